import CMPI
import Engine

/// Runs a `Program` on every rank over that rank's share of the data and sums the
/// requested gradients over the ranks, so that every rank ends with the gradients
/// of the whole batch: if the global objective is Σ_r seed_r·output_r (for a mean
/// loss over a batch of B rows split into shares B_r, pass seed_r = B_r / B),
/// then after `run` every rank holds Σ_r ∂(seed_r·output_r)/∂θ, bit-for-bit the
/// same on every rank.
///
/// The gradients are reduced in buckets (`BucketLayout`): contiguous runs of
/// gradients in the order the backward pass finishes them, which the program
/// writes straight into the bucket storage (`Program.run(_:seed:value:
/// gradientStorage:gradientReady:)`: no copy in), each bucket summed in place
/// by one all-reduce call (MPI counts are 32-bit, so a bucket beyond 2^31−1
/// doubles takes one call per 2^31−1).
/// - `.afterRun`: after the local run, one agreement all-reduce (the failure
///   count), then one blocking MPI_Allreduce per bucket.
/// - `.overlapped`: a bucket's MPI_Iallreduce starts as soon as the backward pass
///   has written its last gradient (the program's `gradientReady` hook), overlapping
///   the rest of the backward pass; the last bucket carries the failure count and
///   starts after the run.
///
/// Determinism: the number of calls, their order and their sizes are fixed by the
/// layout, the ranks agree on the layout when the runner is built (else
/// `shapeMismatch`), and `Communicator` pins Open MPI's all-reduce algorithm, so
/// with a fixed number of ranks the same inputs give the same bits run to run.
///
/// Errors: a rank whose run throws still takes part in every collective of the
/// step, so no rank hangs; then every rank throws (the failing one its own error,
/// the others `DistributedError.peerFailed`), and no rank's gradients are valid.
///
/// Cost per step: the ring sends and receives 2(P−1)/P·`bytesReducedPerStep`
/// bytes per rank in `callsPerStep` calls, plus one copy of every summed
/// gradient out of the bucket storage into the result.
public final class DataParallelProgram {
    /// When the buckets are reduced.
    public enum Reduction: String, Sendable { case afterRun, overlapped }

    /// 4 MiB per bucket by default; see docs/DISTRIBUTED.md for the choice.
    public static let defaultBucketBytes = 4 << 20

    public let communicator: Communicator
    public let program: Program
    public let reduction: Reduction
    public let layout: BucketLayout
    /// Bytes each rank contributes to the all-reduces of one step (gradients plus
    /// the two trailing doubles).
    public var bytesReducedPerStep: Int { layout.totalCount * MemoryLayout<Double>.stride }
    /// All-reduce calls per step.
    public var callsPerStep: Int { layout.bucketCount }
    /// Seconds of the last `run` spent after the local backward pass until the
    /// summed gradients were in the result (packing, reducing or waiting, unpacking).
    public private(set) var lastTailSeconds = 0.0
    /// Buckets of the last `run` whose all-reduce started while the backward pass
    /// was still running (0 with `.afterRun`; at most `callsPerStep − 1`).
    public private(set) var lastBucketsStartedEarly = 0

    /// This rank's output.
    private var localValue: TensorValue
    /// The bucket storage, and each gradient's slice of it.
    private let staging: UnsafeMutableBufferPointer<Double>
    private let gradientStorage: [UnsafeMutableBufferPointer<Double>]
    private var requests: [MPI_Request?] = []
    private var remaining: [Int]

    /// Builds the rank's program with `makeProgram` and agrees with the other ranks
    /// on what is reduced. Collective: every rank must call it. A rank whose
    /// `makeProgram` throws makes every rank throw.
    public init(communicator: Communicator, reduction: Reduction = .overlapped, bucketBytes: Int = defaultBucketBytes,
                _ makeProgram: () throws -> Program) throws {
        self.communicator = communicator
        self.reduction = reduction
        var built: Result<(Program, BucketLayout), Error>
        do {
            let program = try makeProgram()
            let counts = program.gradientInputs.map { program.inputShapes[$0].reduce(1, *) }
            let finals = program.gradientFinalSteps
            let order = counts.indices.sorted { (finals[$0], $0) < (finals[$1], $1) }
            let capacity = max(bucketBytes / MemoryLayout<Double>.stride, 1)
            built = .success((program, try BucketLayout(counts: counts, order: order, capacity: capacity, trailing: 2)))
        } catch {
            built = .failure(error)
        }
        var agreement = [Int64](repeating: 0, count: 1 + 2 * Self.signatureLength)
        if case let .success((program, layout)) = built {
            let signature = Self.signature(program, layout)
            for (i, s) in signature.enumerated() { agreement[1 + i] = s; agreement[1 + Self.signatureLength + i] = -s }
        } else {
            agreement[0] = 1
        }
        let mine = agreement
        try communicator.allreduce(&agreement, .max)
        let (program, layout) = try built.get()
        if agreement[0] != 0 { throw DistributedError.peerFailed(count: 1) }
        let shapes = program.gradientInputs.map { program.inputShapes[$0] }
        for i in 0..<Self.signatureLength where agreement[1 + i] != -agreement[1 + Self.signatureLength + i] {
            throw DistributedError.shapeMismatch(
                rank: communicator.rank, shapes: shapes,
                reason: "the ranks disagree on the \(Self.signatureNames[i]) (this rank: \(mine[1 + i]))")
        }
        self.program = program
        self.layout = layout
        self.localValue = program.makeResult().value
        let staging = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(layout.totalCount, 1))
        staging.initialize(repeating: 0)
        self.staging = staging
        let counts = program.gradientInputs.map { program.inputShapes[$0].reduce(1, *) }
        self.gradientStorage = counts.indices.map { k in
            UnsafeMutableBufferPointer(start: staging.baseAddress! + layout.offsets[k], count: counts[k])
        }
        self.remaining = layout.gradientCounts
    }

    deinit { staging.deallocate() }

    /// A zero result of the program's shapes, for `run(_:seed:into:)`.
    public func makeResult() -> ProgramResult { program.makeResult() }

    /// Runs this rank's share and sums the gradients over the ranks into `result`
    /// (its value is this rank's output). Returns the global objective
    /// Σ_r seed_r·output_r. Collective: every rank must call it for each step.
    @discardableResult
    public func run(_ inputs: [TensorValue], seed: TensorValue? = nil, into result: inout ProgramResult) throws -> Double {
        requests.removeAll(keepingCapacity: true)
        var failure: Error?
        var hookError: DistributedError?
        switch reduction {
        case .afterRun:
            lastBucketsStartedEarly = 0
            do { try program.run(inputs, seed: seed, value: &localValue, gradientStorage: gradientStorage) } catch { failure = error }
        case .overlapped:
            for b in remaining.indices { remaining[b] = layout.gradientCounts[b] }
            var started = 0
            do {
                try program.run(inputs, seed: seed, value: &localValue, gradientStorage: gradientStorage) { k in
                    guard hookError == nil else { return }
                    do {
                        let b = layout.bucketOf[k]
                        remaining[b] -= 1
                        while started < layout.bucketCount - 1 && remaining[started] == 0 {
                            try communicator.startAllreduceSum(bucket(started), into: &requests)
                            started += 1
                        }
                        try communicator.progress(&requests)
                    } catch { hookError = error as? DistributedError ?? .invalidArgument("\(error)") }
                }
            } catch { failure = error }
            if let hookError { throw hookError }
            lastBucketsStartedEarly = started
            // A rank that failed mid-run starts the buckets it had not, in the same order.
            while started < layout.bucketCount - 1 {
                try communicator.startAllreduceSum(bucket(started), into: &requests)
                started += 1
            }
        }
        let tailStart = MPI_Wtime()
        defer { lastTailSeconds = MPI_Wtime() - tailStart }
        let objective = failure == nil ? localObjective(seed) : 0
        staging[layout.trailingOffset] = objective
        staging[layout.trailingOffset + 1] = failure == nil ? 0 : 1
        let failures: Int
        switch reduction {
        case .afterRun:
            var status: [Int64] = [failure == nil ? 0 : 1]
            try communicator.allreduce(&status, .sum)
            failures = Int(status[0])
            if failures == 0 {
                for b in 0..<layout.bucketCount { try communicator.allreduceSum(bucket(b)) }
            }
        case .overlapped:
            try communicator.startAllreduceSum(bucket(layout.bucketCount - 1), into: &requests)
            try communicator.waitAll(&requests)
            failures = Int(staging[layout.trailingOffset + 1])
        }
        if let failure { throw failure }
        if failures > 0 { throw DistributedError.peerFailed(count: failures) }
        for k in result.gradients.indices {
            let offset = layout.offsets[k]
            result.withUnsafeMutableGradient(k) { g in
                if let base = g.baseAddress { base.update(from: staging.baseAddress! + offset, count: g.count) }
            }
        }
        let value = localValue
        result.withUnsafeMutableValue { v in value.scalars.withUnsafeBufferPointer { v.baseAddress!.update(from: $0.baseAddress!, count: $0.count) } }
        return staging[layout.trailingOffset]
    }

    /// seed·output of this rank's run (the seed is 1 for a scalar output without one).
    private func localObjective(_ seed: TensorValue?) -> Double {
        guard let seed else { return localValue.scalars.reduce(0, +) }
        return zip(seed.scalars, localValue.scalars).reduce(0) { $0 + $1.0 * $1.1 }
    }

    private func bucket(_ b: Int) -> UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(rebasing: staging[layout.starts[b]..<layout.starts[b + 1]])
    }

    // MARK: Agreement

    private static let signatureNames = ["number of gradients", "gradient shapes", "output size", "bucket layout"]
    private static var signatureLength: Int { signatureNames.count }

    /// What the ranks must agree on, as integers: the gradient count, a hash of
    /// their shapes, the output's element count, a hash of the bucket layout.
    private static func signature(_ program: Program, _ layout: BucketLayout) -> [Int64] {
        let shapes = program.gradientInputs.map { program.inputShapes[$0] }
        let shapeWords = shapes.flatMap { [$0.count] + $0 }
        let layoutWords = layout.offsets + layout.starts
        return [Int64(shapes.count), fnv1a(shapeWords), Int64(program.outputShape.reduce(1, *)), fnv1a(layoutWords)]
    }

    /// FNV-1a over the words' bytes, as a signed 64-bit integer.
    private static func fnv1a(_ words: [Int]) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for word in words {
            var w = UInt64(bitPattern: Int64(word))
            for _ in 0..<8 {
                hash = (hash ^ (w & 0xff)) &* 0x0000_0100_0000_01b3
                w >>= 8
            }
        }
        return Int64(bitPattern: hash)
    }
}
