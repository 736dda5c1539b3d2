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
            let (most, least) = (everything.memoryPlan.arenaSize, minimum.memoryPlan.arenaSize)
            #expect(least <= most, "seed \(seed)")
            #expect(try minimum.run(model.inputs) == reference, "seed \(seed)")
            var rng = Knuth(seed: seed)
            let random = (0..<3).map { _ in least + Int(rng.next() % UInt64(max(most - least, 1))) }
            let budgets = ([most] + random + [least]).sorted(by: >)
            var previous = Int.max
            for budget in budgets {
                let fitted = try program(.budget(bytes: budget))
                #expect(fitted.memoryPlan.arenaSize <= budget, "seed \(seed) budget \(budget)")
                #expect(fitted.memoryPlan.arenaSize <= previous, "seed \(seed): arena grew as the budget shrank")
                previous = fitted.memoryPlan.arenaSize
                #expect(try fitted.run(model.inputs) == reference, "seed \(seed) budget \(budget)")
                try fitted.memoryPlan.validate()
            }
            if least < most { recomputing += 1 }
            // Below minimum memory: the error names the smallest reachable arena.
            #expect(throws: EngineError.memoryBudgetExceeded(required: least, allowed: least - 1), "seed \(seed)") {
                try program(.budget(bytes: least - 1))
            }
        }
        #expect(recomputing > 20, "minimum memory recomputed something in \(recomputing) of 60 programs")
    }
}
