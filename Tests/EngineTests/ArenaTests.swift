@testable import Engine
import MemoryPlanner
import SparseJacobian
import Testing

/// The planned arena against the eager baseline, budgets and the public plan.
@Suite struct ArenaTests {
    /// A random program over three [4, 3] inputs: a DAG of the engine's ops,
    /// summed to a scalar, differentiated with respect to every input.
    static func randomProgram(seed: UInt64, memory: MemoryStrategy) throws -> Program {
        try Program(inputShapes: [[4, 3], [4, 3], [3, 4]], gradientsFor: [0, 1, 2],
                    options: ProgramOptions(memory: memory)) { v in
            var rng = Knuth(seed: seed)
            var pool = [v[0], v[1], v[2].transposed()]
            for _ in 0..<12 {
                let a = pool[Int(rng.next() % UInt64(pool.count))], b = pool[Int(rng.next() % UInt64(pool.count))]
                let next: Tensor
                switch rng.next() % 11 {
                case 0: next = a + b
                case 1: next = a * b
                case 2: next = tanh(a)
                case 3: next = sigmoid(a) - b
                case 4: next = relu(a) + exp(b * 0.1)
                case 5: next = maximum(a, b)
                case 6: next = a.sum(axis: 0, keepDimension: true) * b
                case 7: next = matmul(matmul(a, b.transposed()), a) * 0.1
                case 8: next = a.logSoftmax(axis: 1)
                case 9: next = softplus(a) / (square(b) + 1)
                default: next = a.max(axis: 1, keepDimension: true) + b
                }
                pool.append(next)
            }
            return pool.suffix(4).reduce(pool[0]) { $0 + $1 }.sum()
        }
    }

    @Test func plannedAndEagerGradientsAreBitForBitEqual() throws {
        let inputs = [testInput(shape: [4, 3], salt: 1), testInput(shape: [4, 3], salt: 2), testInput(shape: [3, 4], salt: 3)]
        var aliased = 0
        for seed in 0..<60 as Range<UInt64> {
            let planned = try Self.randomProgram(seed: seed, memory: .planned)
            let eager = try Self.randomProgram(seed: seed, memory: .eager)
            let p = try planned.run(inputs), e = try eager.run(inputs)
            #expect(p.value.scalars.map(\.bitPattern) == e.value.scalars.map(\.bitPattern), "seed \(seed)")
            for (a, b) in zip(p.gradients, e.gradients) {
                #expect(a.scalars.map(\.bitPattern) == b.scalars.map(\.bitPattern), "seed \(seed)")
            }
            // And again: a second run in the same arena gives the same bits.
            #expect(try planned.run(inputs) == p)
            try planned.memoryPlan.validate()
            aliased += planned.memoryPlan.aliases.count
        }
        #expect(aliased > 0, "in-place takeovers happen in random programs")
    }

    @Test func planStatisticsAreOrdered() throws {
        let program = try Program(inputShapes: [[1000]], gradientsFor: [0], options: ProgramOptions(optimizeMemory: false)) { v in
            var y = v[0]
            for k in 0..<8 { y = tanh(y * (1 + 0.1 * Double(k)) + 0.05) }
            return square(y).sum()
        }
        let s = program.memoryPlan.statistics
        #expect(s.lowerBound <= s.planned && s.planned <= s.eager && s.eager <= s.naive)
        #expect(s.planned < s.naive / 2, "the backward pass reuses the forward pass's memory")
        #expect(!program.memoryPlan.aliases.isEmpty, "elementwise steps write in place")
        try program.memoryPlan.validate()
    }

    @Test func aBudgetSmallerThanThePlanThrowsBeforeRunning() throws {
        let f: ([Tensor]) -> Tensor = { v in tanh(v[0] * 2).sum() }
        let needed = try Program(inputShapes: [[256]], gradientsFor: [0], f).memoryPlan.arenaSize
        #expect(throws: EngineError.memoryBudgetExceeded(required: needed, allowed: needed - 1)) {
            try Program(inputShapes: [[256]], gradientsFor: [0], options: try ProgramOptions(memoryBudget: needed - 1), f)
        }
        let fits = try Program(inputShapes: [[256]], gradientsFor: [0], options: try ProgramOptions(memoryBudget: needed), f)
        #expect(try fits.run([try TensorValue(repeating: 0.5, shape: [256])]).gradients[0].scalars.count == 256)
        #expect(EngineError.memoryBudgetExceeded(required: 10, allowed: 5).description.contains("10 bytes"))
    }

    @Test func sparseProgramsMatchEagerToo() throws {
        let a = try SparseMatrix.gridLaplacian(side: 6, shift: 1)
        let f: ([Tensor]) -> Tensor = { v in
            let h = relu(matmul(a.pattern, values: v[0], v[1]))
            let x = solve(a.pattern, values: v[0], h)
            return square(x).sum()
        }
        let inputs = [TensorValue(a.values), testInput(shape: [36, 2], salt: 4)]
        let p = try Program(inputShapes: [[a.pattern.nonzeroCount], [36, 2]], gradientsFor: [0, 1], f).run(inputs)
        let e = try Program(inputShapes: [[a.pattern.nonzeroCount], [36, 2]], gradientsFor: [0, 1],
                            options: ProgramOptions(memory: .eager), f).run(inputs)
        #expect(p == e)
    }
}

/// Knuth's MMIX linear congruential generator: enough to pick ops, deterministic.
struct Knuth {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 1 }
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }
}
