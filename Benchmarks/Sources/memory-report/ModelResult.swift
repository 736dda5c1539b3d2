import Engine

/// Sum, sum of absolute values and Σ_k g[k]·((k mod 7) + 1) over the row-major
/// flattening: checksums any implementation can reproduce.
struct Checksum: Codable {
    var sum: Double
    var abs: Double
    var weighted: Double

    init(_ tensor: TensorValue) {
        let values = tensor.rowMajorScalars
        sum = values.reduce(0, +)
        abs = values.reduce(0) { $0 + Swift.abs($1) }
        weighted = values.enumerated().reduce(0) { $0 + $1.element * Double($1.offset % 7 + 1) }
    }
}

/// Everything the report says about one model at one size.
struct ModelResult: Codable {
    struct Time: Codable {
        var buildSeconds: Double
        var medianSeconds: Double
        var minSeconds: Double
        var runs: Int
        /// One run of the eager program, for comparison.
        var eagerSeconds: Double
    }

    /// The same model built with `ProgramOptions(optimizeMemory: false)` (the
    /// schedule without the memory optimizations), measured in the same run, its
    /// timed runs alternating with the planned program's.
    struct Baseline: Codable {
        var workspaceBytes: Int?
        var peakResidentBytes: Int?
        var arenaBytes: Int
        var buildSeconds: Double
        var medianSeconds: Double
        var minSeconds: Double
        var runs: Int
        /// Worst relative checksum difference from the planned program's gradients.
        var worstChecksumDifference: Double?
    }

    /// One point of a memory–time curve: the program built under a memory budget.
    /// The list stays absent until the budget sweep measures it; largest budget
    /// first, `budgetBytes` null for the point without a budget.
    struct BudgetPoint: Codable {
        var policy: String?
        var budgetBytes: Int?
        var arenaBytes: Int
        var workspaceBytes: Int?
        var medianSeconds: Double
    }

    var model: String
    var variant: String
    var summary: String
    var supported = true
    var reason: String? = nil
    var loss: Double
    var checksums: [String: Checksum]
    var time: Time
    /// Peak resident bytes added by the first run of a freshly built program, a
    /// run that allocates the result it returns (inputs already resident).
    var peakResidentBytes: Int?
    /// `peakResidentBytes` minus the bytes of the returned gradients: what the
    /// peers report as their workspace, measured the same way.
    var workspaceBytes: Int?
    var baseline: Baseline?
    var budgetSweep: [BudgetPoint]? = nil
    var peakResidentEagerBytes: Int?
    var memory: MemoryReport

    /// "W1 n=2000000".
    var label: String { "\(model) \(variant)" }
    /// What the model is, for a chart's title: "W1 n=2000000 · elementwise chain, …".
    var title: String { "\(label) · \(summary)" }
}
