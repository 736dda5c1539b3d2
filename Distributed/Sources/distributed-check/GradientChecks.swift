import DataParallelModels
import DistributedEngine
import Engine

/// A small MLP of W2's shape whose batch does not divide evenly by 2 or 3.
let smallMLP = DataParallelMLP(batch: 25, inputs: 12, width: 10, hidden: 2, classes: 4)

/// The whole batch in one process, on this rank: the reference.
func singleProcessResult(_ model: DataParallelMLP) throws -> ProgramResult {
    let rows = 0..<model.batch
    let program = try model.program(rows: rows)
    return try program.run([model.data(rows: rows).features] + model.initialParameters())
}

/// This rank's share through a data-parallel runner.
func dataParallelResult(_ model: DataParallelMLP, _ world: Communicator, _ reduction: DataParallelProgram.Reduction,
                        bucketBytes: Int, runs: Int = 1) throws
    -> (result: ProgramResult, objective: Double, calls: Int, early: Int) {
    let rows = model.share(rank: world.rank, of: world.size)
    let runner = try DataParallelProgram(communicator: world, reduction: reduction, bucketBytes: bucketBytes) {
        try model.program(rows: rows)
    }
    var result = runner.makeResult()
    let inputs = [model.data(rows: rows).features] + model.initialParameters()
    var objective = 0.0
    for _ in 0..<runs { objective = try runner.run(inputs, seed: model.seed(rows: rows), into: &result) }
    return (result, objective, runner.callsPerStep, runner.lastBucketsStartedEarly)
}

/// max_k ‖a_k − b_k‖_∞ / Σ|b| over all gradients.
func relativeError(_ a: [TensorValue], _ b: [TensorValue]) -> Double {
    let scale = b.flatMap(\.scalars).reduce(0) { $0 + abs($1) }
    let worst = zip(a, b).flatMap { zip($0.scalars, $1.scalars).map { abs($0 - $1) } }.max() ?? 0
    return worst / scale
}

/// Gradients summed over the ranks equal the single-process gradients of the
/// whole batch to 1e-13 relative to Σ|g|, and the objective its loss.
func checkMatchesSingleProcess(_ world: Communicator, _ reduction: DataParallelProgram.Reduction, bucketBytes: Int,
                               minimumCalls: Int) throws {
    let reference = try singleProcessResult(smallMLP)
    let (result, objective, calls, early) = try dataParallelResult(smallMLP, world, reduction, bucketBytes: bucketBytes)
    // Overlapped: every bucket but the last (which carries the failure flag) starts during the backward pass.
    let expectedEarly = reduction == .overlapped ? calls - 1 : 0
    try expect(early == expectedEarly, "\(early) of \(calls) buckets started during the backward pass, expected \(expectedEarly)")
    let error = relativeError(result.gradients, reference.gradients)
    try expect(error <= 1e-13, "gradients differ from one process by \(error) relative to Σ|g|")
    try expect(abs(objective - reference.value.scalar) <= 1e-13 * abs(reference.value.scalar),
               "objective \(objective) against the whole batch's loss \(reference.value.scalar)")
    try expect(calls >= minimumCalls, "\(calls) all-reduce calls per step, expected at least \(minimumCalls)")
    // The ranks really split the work: a share alone gives other gradients (when there are several ranks).
    if world.size > 1 {
        let rows = smallMLP.share(rank: world.rank, of: world.size)
        let alone = try smallMLP.program(rows: rows).run([smallMLP.data(rows: rows).features] + smallMLP.initialParameters(),
                                                          seed: smallMLP.seed(rows: rows))
        try expect(relativeError(alone.gradients, reference.gradients) > 1e-6, "a rank's share alone already matches")
    }
}

/// Bits of every gradient, folded (FNV-1a) into one word.
func fingerprint(_ gradients: [TensorValue]) -> Int64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for value in gradients.flatMap(\.scalars) { hash = (hash ^ value.bitPattern) &* 0x0000_0100_0000_01b3 }
    return Int64(bitPattern: hash)
}

/// Two runners, run to run: the same bits; and the same bits on every rank.
func checkBitwiseDeterministic(_ world: Communicator, _ reduction: DataParallelProgram.Reduction) throws {
    let first = try dataParallelResult(smallMLP, world, reduction, bucketBytes: 256).result
    let second = try dataParallelResult(smallMLP, world, reduction, bucketBytes: 256, runs: 3).result
    try expect(first.gradients == second.gradients, "two runs differ")
    let mine = fingerprint(first.gradients)
    var both: [Int64] = [mine, -mine]
    try world.allreduce(&both, .max)
    try expect(both[0] == mine && -both[1] == mine, "ranks hold different bits (fingerprints up to \(both[0]))")
}

/// The after-run and overlapped reductions agree to 1e-13.
func checkModesAgree(_ world: Communicator) throws {
    let a = try dataParallelResult(smallMLP, world, .afterRun, bucketBytes: 256).result
    let b = try dataParallelResult(smallMLP, world, .overlapped, bucketBytes: 256).result
    let error = relativeError(a.gradients, b.gradients)
    try expect(error <= 1e-13, "after-run and overlapped differ by \(error)")
}

/// The bucket layout packs gradients in readiness order, closes a bucket once it
/// reaches the capacity, and puts the trailing doubles in the last bucket.
func checkBucketLayout() throws {
    // counts in request order; readiness order 3, 2, 1, 0: 4 + 3 < 10, + 100 closes, then 5 (+ 2 trailing).
    let layout = try BucketLayout(counts: [5, 100, 3, 4], order: [3, 2, 1, 0], capacity: 10, trailing: 2)
    try expect(layout.starts == [0, 107, 114], "starts \(layout.starts)")
    try expect(layout.bucketOf == [1, 0, 0, 0], "buckets \(layout.bucketOf)")
    try expect(layout.offsets == [107, 7, 4, 0], "offsets \(layout.offsets)")
    try expect(layout.gradientCounts == [3, 1] && layout.trailingOffset == 112, "counts \(layout.gradientCounts)")
    // One gradient per bucket when each reaches the capacity.
    let single = try BucketLayout(counts: [10, 10, 10], order: [0, 1, 2], capacity: 10)
    try expect(single.starts == [0, 10, 20, 30] && single.bucketCount == 3, "starts \(single.starts)")
    do {
        _ = try BucketLayout(counts: [1, 2], order: [0, 0], capacity: 4)
        throw CheckFailure("a non-permutation order was accepted")
    } catch DistributedError.invalidArgument {}
}
