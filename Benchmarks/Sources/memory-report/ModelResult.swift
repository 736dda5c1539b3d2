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

    var model: String
    var variant: String
    var summary: String
    var supported = true
    var reason: String? = nil
    var loss: Double
    var checksums: [String: Checksum]
    var time: Time
    /// Peak resident bytes added by the first run of a freshly built program.
    var peakResidentBytes: Int?
    var peakResidentEagerBytes: Int?
    var memory: MemoryReport
}
