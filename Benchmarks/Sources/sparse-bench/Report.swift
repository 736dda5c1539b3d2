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
    let cholesky: CholeskyTiming
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
