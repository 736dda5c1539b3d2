@testable import Engine
import Testing

/// Sizes a caller can ask for that overflow or cannot be allocated, and misuse
/// of results: typed errors when the program is built or run, never a trap.
@Suite struct ProgramLimitTests {
    @Test func anInputWhoseCountOverflowsIsATypedError() {
        #expect(throws: EngineError.self) { try Program(inputShapes: [[Int.max, 2]]) { v in v[0].sum() } }
        do {
            _ = try Program(inputShapes: [[1 << 31, 1 << 31, 4]]) { v in v[0].sum() }
            Issue.record("no error")
        } catch let EngineError.sizeOverflow(op, _) {
            #expect(op.contains("input 0"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func anArenaThatCannotBeAllocatedIsATypedError() {
        // The baseline copies the 8 TiB input into the arena: the allocation fails, typed.
        do {
            _ = try Program(inputShapes: [[1 << 40]], options: ProgramOptions(optimizeMemory: false)) { v in v[0].sum() }
            Issue.record("no error")
        } catch let EngineError.allocationFailed(bytes) {
            #expect(bytes >= 8 << 40)
        } catch { Issue.record("unexpected \(error)") }
    }

    /// Buffers of 2^59 bytes each fit in Int, but the bytes a run moves do not:
    /// the count saturates (it trapped, a fuzz finding), and the arena that
    /// cannot be allocated is the typed error.
    @Test func trafficThatOverflowsSaturatesAndTheArenaIsTheError() {
        // Eight copies of a 2^59-byte input, one at a time: each step moves 2^60
        // bytes, the run 2^63 (more than Int holds); the arena is 2^59-odd bytes.
        do {
            _ = try Program(inputShapes: [[1 << 56]]) { v in
                (0..<8).map { k in v[0].reshaped([1 << 55, 2]).sum() * Double(k + 1) }.reduce(v[0].sum(), +)
            }
            Issue.record("no error")
        } catch let EngineError.allocationFailed(bytes) {
            #expect(bytes >= 1 << 59)
        } catch { Issue.record("unexpected \(error)") }
    }

    /// An empty tensor with 2^56 blocks around the sliced axis: nothing is
    /// moved, at once (it looped over every block, a fuzz timeout).
    @Test func slicesAndConcatenationsOfEmptyTensorsVisitNoBlock() throws {
        let shape = [0, 4, 1 << 56]
        let program = try Program(inputShapes: [shape], gradientsFor: [0]) { v in
            let x = v[0]
            return try Tensor.concatenate([x.slice(axis: 1, 1..<3), x], axis: 1).sum()
        }
        let x = try TensorValue(shape: shape, scalars: [])
        let result = try program.run([x])
        #expect(result.value.scalar == 0 && result.gradients[0].shape == shape && result.gradients[0].scalars.isEmpty)
        _ = try program.jacobianPattern(input: 0)
    }

    /// The transpose of an empty matrix with 2^56 columns visits nothing,
    /// forward, backward and in its Jacobian (it looped over every column, a fuzz timeout).
    @Test func transposeOfAnEmptyMatrixVisitsNoColumn() throws {
        let shape = [0, 1 << 56]
        let program = try Program(inputShapes: [shape], gradientsFor: [0]) { v in v[0].transposed().sum() }
        let result = try program.run([try TensorValue(shape: shape, scalars: [])])
        #expect(result.value.scalar == 0 && result.gradients[0].shape == shape)
        _ = try program.jacobianPattern(input: 0)
    }

    /// Three 2^62-byte inputs read in place: the arena is small and the program
    /// builds; the report's input total saturates (it trapped, a fuzz finding).
    @Test func reportTotalsThatOverflowSaturate() throws {
        let program = try Program(inputShapes: [[1 << 59], [1 << 59], [1 << 59]]) { v in
            v[0].sum() + v[1].sum() + v[2].sum()
        }
        #expect(program.memoryPlan.arenaSize < 1 << 20)
        let report = program.memoryReport(name: "huge inputs")
        #expect(report.bytes.inputs == Int.max)
        #expect(program.bytesMovedPerRun == Int.max)
    }

    /// The memory-aware order counts the bytes a step would add with
    /// saturating sums: two steps that each make two 2^62-byte buffers (lent
    /// ones, say, which a draft's arena does not count) trapped (a fuzz
    /// finding). Each step reads what the one before wrote, so the order is
    /// forced and the counts are all that is exercised.
    @Test func memoryAwareOrderOfHugeBuffersSaturates() {
        let huge = 1 << 59  // elements: 2^62 bytes each
        let buffers = (0..<4).map { BufferSpec(role: .value, node: $0, shape: [huge]) }
        let accesses = [
            StepAccess(reads: [], writes: [.init(buffer: 0), .init(buffer: 1)]),
            StepAccess(reads: [0, 1], writes: [.init(buffer: 2), .init(buffer: 3)]),
            StepAccess(reads: [2, 3], writes: []),
        ]
        let liveness = Liveness(steps: accesses, buffers: buffers)
        let order = MemoryAwareOrder.order(accesses, keys: [nil, nil, nil], liveness: liveness, buffers: buffers,
                                           segment: 0..<3)
        #expect(order == [0, 1, 2])
    }

    @Test func aResultOfAnotherProgramIsATypedError() throws {
        let small = try Program(inputShapes: [[3]], gradientsFor: [0]) { v in exp(v[0]).sum() }
        let large = try Program(inputShapes: [[1000]], gradientsFor: [0]) { v in exp(v[0]).sum() }
        var result = small.makeResult()
        #expect(throws: EngineError.resultMismatch(what: "gradient 0", expected: [1000], actual: [3], count: 3)) {
            try large.run([try TensorValue(repeating: 0.5, shape: [1000])], into: &result)
        }
    }

    @Test func aTensorFromAnotherTraceIsATypedError() throws {
        var kept: Tensor?
        _ = try Program(inputShapes: [[2]]) { v in kept = v[0]; return v[0].sum() }
        #expect(throws: EngineError.mixedTraces(op: "add")) {
            try Program(inputShapes: [[2]]) { v in (v[0] + kept!).sum() }
        }
    }

    @Test func gradientsLandInTheResultsStorageAndInputsAreNeverWritten() throws {
        let program = try Program(inputShapes: [[5], [5]], gradientsFor: [0, 1]) { v in
            (tanh(v[0]) * v[1] + relu(v[0])).sum()
        }
        let x = TensorValue([0.5, -1, 2, -0.25, 1]), y = TensorValue([1, 2, 3, 4, 5])
        let (xBefore, yBefore) = (x, y)
        var result = program.makeResult()
        let before = result.gradients.map { $0.scalars.withUnsafeBufferPointer { $0.baseAddress } }
        try program.run([x, y], into: &result)
        let after = result.gradients.map { $0.scalars.withUnsafeBufferPointer { $0.baseAddress } }
        #expect(before == after, "the gradients were written where the result keeps them")
        #expect(x == xBefore && y == yBefore)
        #expect(program.memoryPlan.arenaSize < 5 * 8 * 4 + 4096, "no input or gradient copies in the arena")
        // The same numbers as the baseline, which copies everything through the arena.
        let baseline = try Program(inputShapes: [[5], [5]], gradientsFor: [0, 1], options: ProgramOptions(optimizeMemory: false)) { v in
            (tanh(v[0]) * v[1] + relu(v[0])).sum()
        }
        let b = try baseline.run([x, y])
        for k in 0..<2 { expectClose(result.gradients[k], b.gradients[k], "gradient \(k)") }
    }
}
