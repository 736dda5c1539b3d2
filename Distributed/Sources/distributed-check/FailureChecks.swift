import DataParallelModels
import DistributedEngine
import Engine

/// The last rank passes an input of the wrong shape: it throws its own error,
/// every other rank `peerFailed`, nobody hangs, and the next step works.
func checkRankFailure(_ world: Communicator, _ reduction: DataParallelProgram.Reduction) throws {
    let rows = smallMLP.share(rank: world.rank, of: world.size)
    let runner = try DataParallelProgram(communicator: world, reduction: reduction, bucketBytes: 256) {
        try smallMLP.program(rows: rows)
    }
    var result = runner.makeResult()
    let good = [smallMLP.data(rows: rows).features] + smallMLP.initialParameters()
    let failing = world.rank == world.size - 1
    var inputs = good
    if failing { inputs[1] = try TensorValue(repeating: 0, shape: [1, 1]) }
    do {
        try runner.run(inputs, seed: smallMLP.seed(rows: rows), into: &result)
        throw CheckFailure("the step succeeded although rank \(world.size - 1) failed")
    } catch let error as EngineError {
        try expect(failing, "rank \(world.rank) threw the failing rank's error \(error)")
        guard case .inputMismatch(index: 1, _, _) = error else { throw CheckFailure("unexpected \(error)") }
    } catch let error as DistributedError {
        try expect(!failing && error == .peerFailed(count: 1), "rank \(world.rank) threw \(error)")
    }
    // The collectives stayed matched: the next step succeeds and is right.
    try runner.run(good, seed: smallMLP.seed(rows: rows), into: &result)
    let reference = try singleProcessResult(smallMLP)
    try expect(relativeError(result.gradients, reference.gradients) <= 1e-13, "the step after the failure is wrong")
}

/// The last rank fails to build its program: every rank throws from the initializer.
func checkBuildFailure(_ world: Communicator) throws {
    let failing = world.rank == world.size - 1
    do {
        _ = try DataParallelProgram(communicator: world) {
            try Program(inputShapes: [[2, 3], [3, 4]], gradientsFor: failing ? [7] : [1]) { v in matmul(v[0], v[1]).sum() }
        }
        throw CheckFailure("the runner was built although rank \(world.size - 1) failed")
    } catch let error as EngineError {
        try expect(failing, "rank \(world.rank) threw \(error)")
    } catch let error as DistributedError {
        try expect(!failing && error == .peerFailed(count: 1), "rank \(world.rank) threw \(error)")
    }
}

/// The last rank's model is wider: every rank throws `shapeMismatch` naming its shapes.
func checkShapeDisagreement(_ world: Communicator) throws {
    guard world.size > 1 else { return }
    let wider = DataParallelMLP(batch: 25, inputs: 12, width: world.rank == world.size - 1 ? 11 : 10, hidden: 2, classes: 4)
    let rows = wider.share(rank: world.rank, of: world.size)
    do {
        _ = try DataParallelProgram(communicator: world) { try wider.program(rows: rows) }
        throw CheckFailure("ranks with different widths were accepted")
    } catch let DistributedError.shapeMismatch(rank, shapes, reason) {
        try expect(rank == world.rank && shapes == wider.parameterShapes, "wrong details: \(rank) \(shapes)")
        try expect(reason.contains("gradient shapes"), "reason: \(reason)")
    }
}
