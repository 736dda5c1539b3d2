/// What the backward pass keeps from the forward pass, and what it recomputes
/// instead (`Rematerialization` decides, judged by the planner's arena).
public enum SavePolicy: Sendable, Hashable {
    /// Keep every value a backward step reads; recompute nothing.
    case saveEverything
    /// Recompute only what makes the planned arena smaller at a cost the run
    /// does not feel: ops whose rule is `.allowed` (elementwise ops, fused
    /// regions, selections, reshapes, sparse-times-dense products), their
    /// estimated cost together at most a tenth of the bytes the run moves
    /// anyway. The default.
    case automatic
    /// Recompute whatever the ops' rules allow (`.allowed` and `.expensive`)
    /// while the arena shrinks: the smallest arena the program can reach.
    case minimumMemory
    /// The fastest schedule whose planned arena fits in `bytes`: nothing is
    /// recomputed when the saved-everything plan fits; otherwise recomputations
    /// are added cheapest per byte saved first until it fits. Building the
    /// program throws `EngineError.memoryBudgetExceeded` (naming the smallest
    /// arena reachable) only when even `minimumMemory` does not fit.
    case budget(bytes: Int)

    /// The budget, if this policy is one.
    public var budgetBytes: Int? {
        if case let .budget(bytes) = self { return bytes }
        return nil
    }

    /// The recomputation rules this policy may use.
    var allowedRule: Recomputation.Rule? {
        switch self {
        case .saveEverything: return nil
        case .automatic: return .allowed
        case .minimumMemory, .budget: return .expensive
        }
    }

    /// A name for reports: "save everything", "automatic", "minimum memory", "budget 12.0 MiB".
    public var name: String {
        switch self {
        case .saveEverything: return "save everything"
        case .automatic: return "automatic"
        case .minimumMemory: return "minimum memory"
        case let .budget(bytes): return "budget \(bytes) bytes"
        }
    }
}
