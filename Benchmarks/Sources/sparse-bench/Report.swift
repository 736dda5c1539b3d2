import BenchmarkSupport

/// Everything one `sparse-bench` run measured; printed as a table or as JSON.
struct Report: Codable {
    let problem: Problem
    /// How `bytesPerCall` is counted for the A·X products.
    let trafficFormula: String
    /// A·X through the library and through a direct `cholmod_l_sdmult`.
    let product: ProductTiming
    /// Aᵀ·X through the library.
    let transposedProduct: ProductTiming
    /// The SDDMM `pattern.sampledProduct(g, x, inner:, into:)`.
    let sampledProduct: Timing
    /// Its minimum traffic (`sampledTrafficFormula`, the same bytes as a product's) per median.
    let sampledGBPerSecond: Double
    /// A copy of X into Y, interleaved with the A·X timings.
    let copy: CopyTiming?
    /// The AMD factorization and its solves.
    let cholesky: CholeskyTiming
    /// AMD, METIS and nested dissection on the grid.
    let orderings: [OrderingTiming]
    /// The log-determinant's gradient at each grid side measured.
    let logdet: [LogdetTiming]
    /// OpenBLAS's threads against the worker pool (nil when only one grid side).
    let threads: ThreadTiming?
    /// Wall time of the whole run, setup included.
    let totalSeconds: Double
}

/// The matrix and operands measured.
struct Problem: Codable {
    let gridSide: Int
    let unknowns: Int
    let nonzeros: Int
    /// Columns of X (and inner dimension of the SDDMM).
    let denseColumns: Int
    let repetitions: Int
    let cores: Int
}

/// Median and minimum of one kernel's timed runs, in milliseconds.
struct Timing: Codable {
    let medianMs: Double
    let minMs: Double
    let runs: Int

    init(_ samples: Samples) {
        medianMs = samples.median * 1e3
        minMs = samples.minimum * 1e3
        runs = samples.seconds.count
    }
}

/// A sparse·dense product: the library's time, optionally the direct call's,
/// and the library's effective bandwidth.
struct ProductTiming: Codable {
    let library: Timing
    let direct: Timing?
    /// library median / direct median.
    let libraryOverDirect: Double?
    /// Largest |Y_library − Y_direct| (0 when both wrote the same result).
    let maxAbsDifference: Double?
    let bytesPerCall: Int
    /// bytesPerCall / library median, in 10⁹ bytes per second.
    let libraryGBPerSecond: Double
    /// Whether the library's (split) Y and the direct call's are the same bits.
    var bitIdentical: Bool?
    var copy: CopyTiming?
    /// Process CPU seconds per wall second of the library's and the direct
    /// call's A·X, in that order.
    var cpuOverWall: [Double]?
}

/// A memcpy of `bytes / 2` bytes (read + write counted).
struct CopyTiming: Codable {
    let timing: Timing
    let bytes: Int
    let gigabytesPerSecond: Double
}

/// One ordering's analysis and numeric factorization on the grid (the JSON
/// entry) and the factor's bytes.
struct OrderingTiming: Codable {
    let entry: SparseBenchJSON.Ordering
    let factorBytes: Int
}

/// ∂ log det A / ∂A by selected inversion against one numeric factorization
/// (the JSON entry), with the ordering and nnz(L) of the factor.
struct LogdetTiming: Codable {
    let entry: SparseBenchJSON.LogdetGradient
    let ordering: String, nnzL: Int
}

/// OpenBLAS's threads against the library's worker pool.
struct ThreadTiming: Codable {
    /// OpenBLAS's default thread count here, and the grid side of the factorizations timed.
    let openBLASThreads: Int, factorSide: Int
    /// The split A·X timed right after a factorization (OpenBLAS's threads just
    /// busy), and right after another A·X.
    let productAfterFactorization: Timing, productAfterProduct: Timing
    /// Factorizations with OpenBLAS's default threads and with one thread, interleaved.
    let factorizeDefaultThreads: Timing, factorizeOneThread: Timing
}

/// The Cholesky factorization of the shifted grid Laplacian.
struct CholeskyTiming: Codable {
    let analysisMs: Double
    let factorize: Timing
    /// Solve with one right-hand side.
    let solve: Timing
    /// nnz(L), as the analysis counted it.
    let factorNonzeros: Int
    let factorBytes: Int
    let supernodal: Bool
    /// ‖A·x − b‖∞ / ‖b‖∞ of the solve.
    let relativeResidual: Double
}

/// report/sparse-bench.json: exactly the keys issue 10 asks for.
struct SparseBenchJSON: Codable {
    /// A·X with `columns` columns on the 10⁶ grid: medians of the split
    /// product and of one direct CHOLMOD call, interleaved; the split's bytes
    /// (`trafficFormula`) per second, and a memcpy's bytes (read + write) per second.
    struct Spmm: Codable {
        let columns: Int
        let parallelSeconds, singleCallSeconds: Double
        let bytesPerSecond, copyBytesPerSecond: Double
    }
    /// The SDDMM's median and its minimum traffic per second.
    struct Sddmm: Codable {
        let seconds, bytesPerSecond: Double
    }
    /// One ordering: nnz(L) and flops as CHOLMOD's analysis counts them, the
    /// analysis's wall time, the median numeric factorization.
    struct Ordering: Codable {
        let ordering: String
        let nnzL: Int
        let flops, analyzeSeconds, factorizeSeconds: Double
    }
    /// ∂ log det A / ∂A on the m×m grid against one numeric factorization.
    struct LogdetGradient: Codable {
        let m: Int
        let seconds, factorizeSeconds: Double
    }
    let spmm: Spmm
    let sddmm: Sddmm
    let orderings: [Ordering]
    let logdetGradient: [LogdetGradient]

    init(_ report: Report) {
        let p = report.product
        spmm = Spmm(columns: report.problem.denseColumns, parallelSeconds: p.library.medianMs / 1e3,
                    singleCallSeconds: (p.direct?.medianMs ?? 0) / 1e3, bytesPerSecond: p.libraryGBPerSecond * 1e9,
                    copyBytesPerSecond: (report.copy?.gigabytesPerSecond ?? 0) * 1e9)
        sddmm = Sddmm(seconds: report.sampledProduct.medianMs / 1e3, bytesPerSecond: report.sampledGBPerSecond * 1e9)
        orderings = report.orderings.map(\.entry)
        logdetGradient = report.logdet.map(\.entry)
    }
}
