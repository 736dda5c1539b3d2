/// One backward contribution g_in (+)= Jᵀ·g_out: where the upstream gradient is,
/// which gradient it goes into, that gradient's shape, and whether an earlier
/// step already wrote it (then this one adds).
struct Contribution {
    /// "∂op/∂input k", for errors and reports.
    let label: String
    let upstream: Int
    let destination: Int
    let shape: [Int]
    let accumulate: Bool
    var count: Int { Shape.count(shape) }
}

/// A step that makes one backward contribution.
protocol BackwardStep: Step {
    var contribution: Contribution { get }
}

extension BackwardStep {
    var label: String { contribution.label }
    var writesKind: String { "gradient" }
}
