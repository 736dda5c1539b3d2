import Foundation
@testable import Engine
import SparseJacobian
import Testing

/// Recomputation chosen by the planner (`Rematerialization`), the memory-aware
/// order (`MemoryAwareOrder`) and the policies of `SavePolicy`.
@Suite struct RematerializationTests {
    /// W3 of the report at a small size: Z = A·X, H = relu(Z·W1), out = (A·H)·W2, loss Σ out².
    static func graphLayer(side m: Int, features f: Int = 8) -> (shapes: [[Int]], inputs: [TensorValue], body: ([Tensor]) -> Tensor) {
        let pattern = try! SparseMatrix.gridLaplacian(side: m).pattern
        let n = m * m
        let shapes = [[n, f], [f, f], [f, 1], [pattern.nonzeroCount]]
        let inputs = shapes.enumerated().map { testInput(shape: $0.element, salt: $0.offset) }
        return (shapes, inputs, { v in
            let z = matmul(pattern, values: v[3], v[0], byRows: true)
            let h = relu(matmul(z, v[1]))
            let q = matmul(pattern, values: v[3], h, byRows: true)
            return square(matmul(q, v[2])).sum()
        })
    }

    @Test func graphLayerKeepsLessUnderEachPolicyAndGradientsAreUnchanged() throws {
        let model = Self.graphLayer(side: 40)
        func program(_ policy: SavePolicy) throws -> Program {
            try Program(inputShapes: model.shapes, gradientsFor: [0, 1, 2, 3], options: ProgramOptions(savePolicy: policy),
                        model.body)
        }
        let everything = try program(.saveEverything), automatic = try program(.automatic)
        let minimum = try program(.minimumMemory)
        let reference = try everything.run(model.inputs)
        for p in [automatic, minimum] {
            #expect(try p.run(model.inputs) == reference)
        }
        #expect(automatic.memoryPlan.arenaSize < everything.memoryPlan.arenaSize)
        #expect(minimum.memoryPlan.arenaSize <= automatic.memoryPlan.arenaSize)
        #expect(automatic.memoryChoices.values.contains { $0.kind == .recomputed })
        #expect(everything.memoryChoices.values.allSatisfy { $0.kind == .saved })
    }

    /// On the graph layer with W3's features, the greedy path recomputes A·X
    /// first (saving about its bytes of arena) and then A·H for a few per cent
    /// more: automatic stops after the step that pays (arena saved per
    /// equivalent byte recomputed at least `automaticMinimumSaving`), minimum
    /// memory goes on.
    @Test func automaticStopsWhereRecomputingStopsPaying() throws {
        let model = Self.graphLayer(side: 100, features: 16)
        func program(_ policy: SavePolicy) throws -> Program {
            try Program(inputShapes: model.shapes, gradientsFor: [0, 1, 2, 3], options: ProgramOptions(savePolicy: policy),
                        model.body)
        }
        let everything = try program(.saveEverything), automatic = try program(.automatic)
        let minimum = try program(.minimumMemory)
        func recomputed(_ p: Program) -> [MemoryChoices.Value] { p.memoryChoices.values.filter { $0.kind == .recomputed } }
        func cost(_ p: Program) -> Int { recomputed(p).reduce(0) { $0 + $1.recomputation.equivalentBytes } }
        let (most, mid, least) = (everything.memoryPlan.arenaSize, automatic.memoryPlan.arenaSize, minimum.memoryPlan.arenaSize)
        #expect(least < mid && mid < most, "arenas \(most) > \(mid) > \(least)")
        #expect(Double(most - mid) >= Rematerialization.automaticMinimumSaving * Double(cost(automatic)))
        #expect(Double(mid - least) < Rematerialization.automaticMinimumSaving * Double(cost(minimum) - cost(automatic)))
        #expect(recomputed(automatic).count < recomputed(minimum).count)
        #expect(try automatic.run(model.inputs) == everything.run(model.inputs))
    }

    /// A random program over r×c matrices: dense and sparse products, elementwise
    /// ops (fused into regions), broadcast biases, slices joined back, sums.
    static func randomBody(seed: UInt64, rows r: Int, columns c: Int) -> ([Tensor]) -> Tensor {
        let pattern = tridiagonalPattern(r)
        return { v in
            var rng = Knuth(seed: seed)
            func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
            let (x, w, bias, values) = (v[0], v[1], v[2], v[3])
            var pool = [x]
            for _ in 0..<(4 + pick(8)) {
                let a = pool[pick(pool.count)], b = pool[pick(pool.count)]
                let next: Tensor
                switch pick(9) {
                case 0: next = matmul(a, w)
                case 1: next = matmul(pattern, values: values, a)
                case 2: next = relu(a + bias)
                case 3: next = tanh(a) * b
                case 4: next = relu(matmul(a, w)) + b
                case 5: next = try! Tensor.concatenate([a.slice(axis: 1, 0..<(c / 2)), (b * 0.5).slice(axis: 1, (c / 2)..<c)], axis: 1)
                case 6: next = matmul(pattern, values: values, relu(a))
                case 7: next = sigmoid(a) + square(b) * 0.1
                default: next = a + b
                }
                pool.append(next)
            }
            var loss = square(pool[pool.count - 1]).sum()
            if pick(2) == 0 { loss = loss + pool[pick(pool.count)].sum() * 0.5 }
            return loss
        }
    }

    static func randomCase(_ seed: UInt64) -> (shapes: [[Int]], inputs: [TensorValue], body: ([Tensor]) -> Tensor) {
        let (r, c) = ([17, 64, 301, 1000][Int(seed) % 4], [4, 6, 8][Int(seed) % 3])
        let shapes = [[r, c], [c, c], [c], [tridiagonalPattern(r).nonzeroCount]]
        let inputs = shapes.enumerated().map { testInput(shape: $0.element, salt: Int(seed) * 7 + $0.offset) }
        return (shapes, inputs, randomBody(seed: seed, rows: r, columns: c))
    }

    /// Budgets from save everything down to minimum memory, and random ones in
    /// between: every plan fits, arenas never grow as the budget shrinks, and the
    /// gradients are bit for bit those of save everything (recomputed values are
    /// the same kernels on the same operands, and the order keeps every
    /// buffer's writes in order, so no sum changes order).
    @Test func randomGraphsUnderRandomBudgets() throws {
        var recomputing = 0
        for seed in 0..<60 as Range<UInt64> {
            let model = Self.randomCase(seed)
            func program(_ policy: SavePolicy) throws -> Program {
                try Program(inputShapes: model.shapes, gradientsFor: [0, 1, 2, 3],
                            options: ProgramOptions(savePolicy: policy), model.body)
            }
            let everything = try program(.saveEverything), minimum = try program(.minimumMemory)
            let reference = try everything.run(model.inputs)
            // Save everything (fused, reordered) against the unoptimized schedule.
            let unoptimized = try Program(inputShapes: model.shapes, gradientsFor: [0, 1, 2, 3],
                                          options: ProgramOptions(optimizeMemory: false), model.body).run(model.inputs)
            expectClose(reference.value, unoptimized.value, "seed \(seed) value")
            for k in 0..<4 { expectClose(reference.gradients[k], unoptimized.gradients[k], "seed \(seed) gradient \(k)") }
            let (most, least) = (everything.memoryPlan.arenaSize, minimum.memoryPlan.arenaSize)
            #expect(least <= most, "seed \(seed)")
            #expect(try minimum.run(model.inputs) == reference, "seed \(seed)")
            var rng = Knuth(seed: seed)
            let random = (0..<3).map { _ in least + Int(rng.next() % UInt64(max(most - least, 1))) }
            let budgets = ([most] + random + [least]).sorted(by: >)
            var previous = Int.max
            for budget in budgets {
                let fitted = try program(try .budget(bytes: budget))
                #expect(fitted.memoryPlan.arenaSize <= budget, "seed \(seed) budget \(budget)")
                #expect(fitted.memoryPlan.arenaSize <= previous, "seed \(seed): arena grew as the budget shrank")
                previous = fitted.memoryPlan.arenaSize
                #expect(try fitted.run(model.inputs) == reference, "seed \(seed) budget \(budget)")
                try fitted.memoryPlan.validate()
            }
            if least < most { recomputing += 1 }
            // Below minimum memory: the error names the smallest reachable arena.
            #expect(throws: EngineError.memoryBudgetExceeded(required: least, allowed: least - 1), "seed \(seed)") {
                try program(try .budget(bytes: least - 1))
            }
        }
        #expect(recomputing > 20, "minimum memory recomputed something in \(recomputing) of 60 programs")
    }

    /// A contribution that frees a saved value runs before one that allocates a
    /// new gradient: for out = (x·W1)·W2, ∂/∂W2 (the last read of x·W1) moves
    /// before ∂/∂(x·W1), and the lower bound drops by the saved value. (Only the
    /// weights' gradients are requested: too small to lend their storage to the
    /// n × f gradients, which would change the bounds.)
    @Test func memoryAwareOrderFreesBeforeItAllocates() throws {
        let n = 1000, f = 8
        let program = try Program(inputShapes: [[n, f], [f, f], [f, 1]], gradientsFor: [1, 2]) { v in
            matmul(matmul(v[0], v[1]), v[2]).sum()
        }
        let choices = program.memoryChoices
        #expect(choices.lowerBoundAfterOrder < choices.lowerBoundBeforeOrder)
        #expect(choices.lowerBoundBeforeOrder - choices.lowerBoundAfterOrder == n * f * 8)
        let labels = program.schedule.steps.map(\.label)
        let w2 = try #require(labels.firstIndex(of: "∂matmul/∂input 1"))
        #expect(labels[w2 + 1] == "∂matmul/∂input 0")
        let inputs = [testInput(shape: [n, f], salt: 1), testInput(shape: [f, f], salt: 2), testInput(shape: [f, 1], salt: 3)]
        let unordered = try Program(inputShapes: [[n, f], [f, f], [f, 1]], gradientsFor: [1, 2],
                                    options: ProgramOptions(optimizeMemory: false)) { v in matmul(matmul(v[0], v[1]), v[2]).sum() }
        #expect(try program.run(inputs) == unordered.run(inputs))
    }

    /// The order never plans larger than the schedule as built.
    @Test func memoryAwareOrderNeverRaisesTheArena() throws {
        var lowered = 0
        for seed in 0..<40 as Range<UInt64> {
            let model = Self.randomCase(seed)
            let program = try Program(inputShapes: model.shapes, gradientsFor: [0, 1, 2, 3],
                                      options: ProgramOptions(savePolicy: .saveEverything), model.body)
            let choices = program.memoryChoices
            #expect(choices.arenaSavingEverything <= choices.arenaBeforeOrder, "seed \(seed)")
            #expect(program.memoryPlan.arenaSize == choices.arenaSavingEverything, "seed \(seed)")
            if choices.lowerBoundAfterOrder < choices.lowerBoundBeforeOrder { lowered += 1 }
        }
        #expect(lowered > 0)
    }

    /// What the graph layer keeps and recomputes, with bytes and costs.
    @Test func memoryChoicesListSavedAndRecomputedValues() throws {
        let model = Self.graphLayer(side: 40)
        let program = try Program(inputShapes: model.shapes, gradientsFor: [0, 1, 2, 3], model.body)
        let values = program.memoryChoices.values
        let z = try #require(values.first)
        #expect(z.kind == .recomputed && z.op == "sparse matmul (by rows)" && z.bytes == 1600 * 8 * 8)
        #expect(z.recomputation.rule == .allowed && z.recomputation.flops == 2 * 8 * (5 * 1600 - 4 * 40))
        #expect(values.dropFirst().allSatisfy { $0.kind == .saved })
        #expect(program.memoryChoices.recomputedBytes == z.bytes)
        #expect(program.memoryChoices.arenaSavingEverything > program.memoryPlan.arenaSize)
    }

    /// Every kind of step renamed has the renamed access (the promise drafts are judged by).
    @Test func renamedStepsHaveRenamedAccesses() throws {
        var programs = (0..<12 as Range<UInt64>).map { seed -> Program in
            let model = Self.randomCase(seed)
            return try! Program(inputShapes: model.shapes, gradientsFor: [0, 1, 2, 3], model.body)
        }
        let model = Self.graphLayer(side: 10)
        programs.append(try Program(inputShapes: model.shapes, gradientsFor: [0, 1, 2, 3],
                                    options: ProgramOptions(optimizeMemory: false), model.body))
        var kinds = Set<String>()
        for program in programs {
            let count = program.schedule.buffers.count
            let renaming = BufferRenaming(map: Dictionary(uniqueKeysWithValues: (0..<count).map { ($0, 2 * count - $0) }))
            for step in program.schedule.steps {
                kinds.insert(String(describing: type(of: step)))
                let (a, b) = (step.renamed(renaming).access, step.access.renamed(renaming))
                #expect(a.reads == b.reads && a.scratch == b.scratch, "\(step.label)")
                #expect(a.writes.map(\.buffer) == b.writes.map(\.buffer) && a.writes.map(\.accumulates) == b.writes.map(\.accumulates))
                #expect(a.mayOverwrite.map(\.written) == b.mayOverwrite.map(\.written)
                        && a.mayOverwrite.map(\.read) == b.mayOverwrite.map(\.read), "\(step.label)")
            }
        }
        #expect(kinds.isSuperset(of: ["ForwardStep", "RegionForwardStep", "RegionBackwardStep", "SparseStep", "DenseStep",
                                      "CopyStep"]), "\(kinds)")
    }

    /// The rules of an op that may hold state (a solve's factor) keep their
    /// order, and a solve is never recomputed, whatever the policy.
    @Test func aSolveKeepsItsRulesInOrderAndIsNeverRecomputed() throws {
        let m = 12, n = m * m
        let laplacian = try SparseMatrix.gridLaplacian(side: m, shift: 1)
        let body = { (v: [Tensor]) -> Tensor in
            let x = solve(laplacian.pattern, values: v[0], v[1])
            return square(tanh(x)).sum()
        }
        let shapes = [[laplacian.pattern.nonzeroCount], [n]]
        let inputs = [TensorValue(laplacian.values), testInput(shape: [n], salt: 3)]
        let reference = try Program(inputShapes: shapes, gradientsFor: [0, 1],
                                    options: ProgramOptions(optimizeMemory: false), body).run(inputs)
        for policy in [SavePolicy.saveEverything, .automatic, .minimumMemory] {
            let program = try Program(inputShapes: shapes, gradientsFor: [0, 1], options: ProgramOptions(savePolicy: policy), body)
            let labels = program.schedule.steps.map(\.label)
            let rules = labels.indices.filter { labels[$0].hasPrefix("∂spd solve") }
            #expect(rules.map { labels[$0] } == ["∂spd solve/∂input 0", "∂spd solve/∂input 1"], "\(policy)")
            #expect(!program.memoryChoices.values.contains { $0.op == "spd solve" && $0.kind == .recomputed })
            #expect(labels.filter { $0 == "spd solve" }.count == 1)
            let result = try program.run(inputs)
            #expect(result.value == reference.value)
            for k in 0..<2 { expectClose(result.gradients[k], reference.gradients[k], "\(policy) gradient \(k)") }
        }
    }
}
