import BenchmarkSupport
import Foundation
import SparseJacobian

/// Sizes and repetition counts of a run.
struct Plan {
    var side = 1000
    var columns = 16
    /// Timed runs of each product (after one warm-up).
    var repetitions = 15
    /// Timed numeric factorizations.
    var factorizations = 3
    /// Timed one-right-hand-side solves (after one warm-up).
    var solves = 5
}

/// Bytes an A·X or Aᵀ·X with a square A must move at least once:
/// nnz·(8 value + 8 index) + (n+1)·8 pointers + X + Y (n·k·8 each).
let trafficFormula = "nnz*(8+8) + (n+1)*8 + n*k*8 (X) + n*k*8 (Y)"

func trafficBytes(nonzeros: Int, n: Int, columns: Int) -> Int {
    nonzeros * 16 + (n + 1) * 8 + 2 * n * columns * 8
}

/// Runs every measurement of `plan`, writing progress to `log`.
func measure(_ plan: Plan, log: (String) -> Void) throws -> Report {
    let start = ContinuousClock.now
    log("building the \(plan.side)×\(plan.side) grid Laplacian and operands")
    let work = GridWorkload(side: plan.side, columns: plan.columns)
    let n = work.size, nnz = work.matrix.pattern.nonzeroCount
    let bytes = trafficBytes(nonzeros: nnz, n: n, columns: plan.columns)

    log("A·X: library and direct cholmod_l_sdmult, alternating")
    let product = try measureProduct(work, plan: plan, bytes: bytes)
    log("Aᵀ·X: library")
    let transposed = Timing(try Stopwatch.sample(count: plan.repetitions) { try work.multiply(transposed: true) })
    log("SDDMM")
    let sampled = Timing(Stopwatch.sample(count: plan.repetitions) { work.sampledProduct() })
    log("Cholesky: analysis, factorization, solve")
    let cholesky = try measureCholesky(work, plan: plan)

    return Report(
        problem: Problem(gridSide: plan.side, unknowns: n, nonzeros: nnz, denseColumns: plan.columns,
                         repetitions: plan.repetitions, cores: ProcessInfo.processInfo.activeProcessorCount),
        trafficFormula: trafficFormula,
        product: product,
        transposedProduct: ProductTiming(library: transposed, direct: nil, libraryOverDirect: nil,
                                         maxAbsDifference: nil, bytesPerCall: bytes,
                                         libraryGBPerSecond: gigabytesPerSecond(bytes, transposed)),
        sampledProduct: sampled,
        cholesky: cholesky,
        totalSeconds: (ContinuousClock.now - start).seconds)
}

/// A·X through the library and through `DirectSdmult`, timed alternately on the
/// same arrays, after checking that both compute the same Y.
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

    let (library, baseline) = try Stopwatch.alternate(count: plan.repetitions, { try work.multiply() }, callDirect)
    return ProductTiming(library: Timing(library), direct: Timing(baseline),
                         libraryOverDirect: library.median / baseline.median,
                         maxAbsDifference: difference, bytesPerCall: bytes,
                         libraryGBPerSecond: gigabytesPerSecond(bytes, Timing(library)))
}

/// Analysis once, `plan.factorizations` numeric factorizations, then solves.
private func measureCholesky(_ work: GridWorkload, plan: Plan) throws -> CholeskyTiming {
    var factor: SparseCholesky?
    let analysis = try Stopwatch.time { factor = try work.analyse() }
    guard let factor else { fatalError("analysis returned no factor") }
    let factorize = try Stopwatch.sample(count: plan.factorizations, warmup: 0) { try work.factorize(factor) }
    let solve = try Stopwatch.sample(count: plan.solves) { try work.solve(factor) }
    return CholeskyTiming(analysisMs: analysis * 1e3, factorize: Timing(factorize), solve: Timing(solve),
                          factorNonzeros: factor.factorNonzeroCount, factorBytes: factor.factorBytes,
                          supernodal: factor.isSupernodal, relativeResidual: try work.relativeResidual())
}

private func gigabytesPerSecond(_ bytes: Int, _ timing: Timing) -> Double {
    timing.medianMs > 0 ? Double(bytes) / (timing.medianMs * 1e-3) / 1e9 : 0
}
