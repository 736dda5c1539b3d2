import BenchmarkSupport
import Foundation
import SparseJacobian

/// Sizes and repetition counts of a run.
struct Plan {
    var side = 1000
    var columns = 16
    /// Timed runs of each product (after one warm-up).
    var repetitions = 15
    /// Timed numeric factorizations per ordering.
    var factorizations = 2
    /// Timed one-right-hand-side solves (after one warm-up).
    var solves = 5
    /// Grid sides of the log-determinant gradient measurements.
    var logdetSides = [300, 1000]
}

/// Bytes an A·X or Aᵀ·X with a square A must move at least once:
/// nnz·(8 value + 8 index) + (n+1)·8 pointers + X + Y (n·k·8 each).
let trafficFormula = "nnz*(8+8) + (n+1)*8 + n*k*8 (X) + n*k*8 (Y)"

func trafficBytes(nonzeros: Int, n: Int, columns: Int) -> Int {
    nonzeros * 16 + (n + 1) * 8 + 2 * n * columns * 8
}

/// Bytes the SDDMM must move at least once: the row indices (8), the output
/// written (8), the column pointers, G and X (n·k·8 each). The same count as a
/// product's: the values read there are the values written here.
let sampledTrafficFormula = "nnz*(8 index + 8 out) + (n+1)*8 + n*k*8 (G) + n*k*8 (X)"

/// Runs every measurement of `plan`, writing progress to `log`.
func measure(_ plan: Plan, log: (String) -> Void) throws -> Report {
    let start = ContinuousClock.now
    log("building the \(plan.side)×\(plan.side) grid Laplacian and operands")
    let work = GridWorkload(side: plan.side, columns: plan.columns)
    let n = work.size, nnz = work.matrix.pattern.nonzeroCount
    let bytes = trafficBytes(nonzeros: nnz, n: n, columns: plan.columns)

    log("A·X: split over the worker pool, one direct cholmod_l_sdmult, a copy; interleaved")
    let product = try measureProduct(work, plan: plan, bytes: bytes)
    log("Aᵀ·X: library (split over A's columns)")
    let transposed = Timing(try Stopwatch.sample(count: plan.repetitions) { try work.multiply(transposed: true) })
    log("SDDMM")
    let sampled = Timing(Stopwatch.sample(count: plan.repetitions) { work.sampledProduct() })
    log("orderings: analysis and factorization with AMD, METIS, nested dissection")
    let (orderings, cholesky) = try measureOrderings(work, plan: plan, log: log)
    var logdet = [LogdetTiming]()
    var threads: ThreadTiming?
    for side in plan.logdetSides {
        log("log-determinant gradient on the \(side)×\(side) grid")
        let grid = side == plan.side ? work : GridWorkload(side: side, columns: 1)
        logdet.append(try measureLogdet(grid, plan: plan))
        if threads == nil, side < plan.side {
            log("OpenBLAS threads against the worker pool")
            threads = try measureThreads(work, blasWork: grid, plan: plan)
        }
    }

    return Report(
        problem: Problem(gridSide: plan.side, unknowns: n, nonzeros: nnz, denseColumns: plan.columns,
                         repetitions: plan.repetitions, cores: ProcessInfo.processInfo.activeProcessorCount),
        trafficFormula: trafficFormula,
        product: product,
        transposedProduct: ProductTiming(library: transposed, direct: nil, libraryOverDirect: nil,
                                         maxAbsDifference: nil, bytesPerCall: bytes,
                                         libraryGBPerSecond: gigabytesPerSecond(bytes, transposed)),
        sampledProduct: sampled,
        sampledGBPerSecond: gigabytesPerSecond(bytes, sampled),
        copy: product.copy,
        cholesky: cholesky,
        orderings: orderings,
        logdet: logdet,
        threads: threads,
        totalSeconds: (ContinuousClock.now - start).seconds)
}

/// A·X split over the worker pool (the library), one direct `cholmod_l_sdmult`
/// and a plain copy of X's bytes, interleaved on the same arrays, after checking
/// that the split and the single call write the same Y bit for bit.
private func measureProduct(_ work: GridWorkload, plan: Plan, bytes: Int) throws -> ProductTiming {
    let direct = DirectSdmult()
    let callDirect = {
        try work.x.withUnsafeBufferPointer { xs in
            try work.y.withUnsafeMutableBufferPointer { ys in
                try direct.multiply(work.matrix, xs.baseAddress!, columns: plan.columns, into: ys.baseAddress!)
            }
        }
    }
    try work.multiply()
    let fromLibrary = work.y
    try callDirect()
    let difference = zip(fromLibrary, work.y).reduce(0.0) { max($0, abs($1.0 - $1.1)) }
    let identical = zip(fromLibrary, work.y).allSatisfy { $0.bitPattern == $1.bitPattern }

    let samples = try Stopwatch.interleave(count: plan.repetitions, [{ try work.multiply() }, callDirect, { work.copy() }])
    let (library, baseline, copy) = (samples[0], samples[1], samples[2])
    var timing = ProductTiming(library: Timing(library), direct: Timing(baseline),
                               libraryOverDirect: library.median / baseline.median,
                               maxAbsDifference: difference, bytesPerCall: bytes,
                               libraryGBPerSecond: gigabytesPerSecond(bytes, Timing(library)))
    timing.bitIdentical = identical
    timing.cpuOverWall = try [cpuOverWall { try work.multiply() }, cpuOverWall(callDirect)]
    timing.copy = CopyTiming(timing: Timing(copy), bytes: 2 * work.x.count * 8,
                             gigabytesPerSecond: Double(2 * work.x.count * 8) / copy.median / 1e9)
    return timing
}

/// For each ordering: the analysis (timed once), nnz(L), flops, factor bytes and
/// `plan.factorizations` numeric factorizations; the solves on AMD's factor.
private func measureOrderings(_ work: GridWorkload, plan: Plan,
                              log: (String) -> Void) throws -> ([OrderingTiming], CholeskyTiming) {
    var results = [OrderingTiming]()
    var cholesky: CholeskyTiming?
    for ordering in [CholeskyOrdering.amd, .metis, .nestedDissection] {
        log("  \(ordering)")
        var made: SparseCholesky?
        let analysis = try Stopwatch.time { made = try work.analyse(ordering: ordering) }
        guard let factor = made else { fatalError("analysis returned no factor") }
        let factorize = try Stopwatch.sample(count: plan.factorizations, warmup: 0) { try work.factorize(factor) }
        let entry = SparseBenchJSON.Ordering(ordering: "\(ordering)", nnzL: factor.factorNonzeroCount,
                                             flops: factor.factorizationFlops, analyzeSeconds: analysis,
                                             factorizeSeconds: factorize.median)
        results.append(OrderingTiming(entry: entry, factorBytes: factor.factorBytes))
        if ordering == .amd {
            let solve = try Stopwatch.sample(count: plan.solves) { try work.solve(factor) }
            cholesky = CholeskyTiming(analysisMs: analysis * 1e3, factorize: Timing(factorize), solve: Timing(solve),
                                      factorNonzeros: factor.factorNonzeroCount, factorBytes: factor.factorBytes,
                                      supernodal: factor.isSupernodal, relativeResidual: try work.relativeResidual())
        }
    }
    return (results, cholesky!)
}

/// One numeric factorization and the selected inversion of ∂ log det A / ∂A on
/// the default ordering's factor, interleaved (3 rounds: medians).
private func measureLogdet(_ work: GridWorkload, plan: Plan) throws -> LogdetTiming {
    let factor = try work.analyse()
    let rounds = 3
    try work.factorize(factor)
    let samples = try Stopwatch.interleave(count: rounds, warmup: 0,
                                           [{ try work.factorize(factor) }, { try work.logDeterminantGradient(factor) }])
    return LogdetTiming(entry: .init(m: work.side, seconds: samples[1].median, factorizeSeconds: samples[0].median),
                        ordering: "\(factor.ordering)", nnzL: factor.factorNonzeroCount)
}

/// Does OpenBLAS (used by CHOLMOD's supernodal factorization) get in the way of
/// the worker pool, or the reverse? The split A·X right after a factorization
/// (OpenBLAS's threads have just worked and may still spin) against an A·X after
/// another A·X, and a factorization with OpenBLAS's default threads against one
/// with OpenBLAS pinned to a single thread; all interleaved.
private func measureThreads(_ work: GridWorkload, blasWork: GridWorkload, plan: Plan) throws -> ThreadTiming {
    let factor = try blasWork.analyse()
    let defaultThreads = BLAS.threadCount
    var afterBLAS = Samples(), afterProduct = Samples(), factorDefault = Samples(), factorOne = Samples()
    try blasWork.factorize(factor)
    for _ in 0..<plan.repetitions {
        factorDefault.append(try Stopwatch.time { try blasWork.factorize(factor) })
        afterBLAS.append(try Stopwatch.time { try work.multiply() })
        afterProduct.append(try Stopwatch.time { try work.multiply() })
        BLAS.threadCount = 1
        factorOne.append(try Stopwatch.time { try blasWork.factorize(factor) })
        BLAS.threadCount = defaultThreads
    }
    return ThreadTiming(openBLASThreads: defaultThreads, factorSide: blasWork.side,
                        productAfterFactorization: Timing(afterBLAS), productAfterProduct: Timing(afterProduct),
                        factorizeDefaultThreads: Timing(factorDefault), factorizeOneThread: Timing(factorOne))
}

/// Process CPU time over wall time of `count` runs of `body`: about 2 when a
/// split product keeps two threads busy, about 1 for one call.
private func cpuOverWall(count: Int = 5, _ body: () throws -> Void) rethrows -> Double {
    func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
    let cpu = cpuSeconds()
    let wall = try Stopwatch.time { for _ in 0..<count { try body() } }
    return (cpuSeconds() - cpu) / wall
}

private func gigabytesPerSecond(_ bytes: Int, _ timing: Timing) -> Double {
    timing.medianMs > 0 ? Double(bytes) / (timing.medianMs * 1e-3) / 1e9 : 0
}
