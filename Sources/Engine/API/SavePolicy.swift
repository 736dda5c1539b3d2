/// What the backward pass keeps from the forward pass, and what it recomputes
/// instead (`Rematerialization` decides, judged by the planner's arena).
///
/// A policy is one of four: `.saveEverything`, `.automatic` (the default),
/// `.minimumMemory`, or `try .budget(bytes:)`. A budget is checked when it is
/// made: a negative one throws, so no policy holds an impossible budget.
public struct SavePolicy: Sendable, Hashable {
    /// The four policies, for a `switch`.
    public enum Kind: Sendable, Hashable {
        case saveEverything, automatic, minimumMemory, budget
    }

    /// Which policy this is.
    public let kind: Kind
    /// The budget in bytes of a `.budget` policy (0 or more), nil otherwise.
    public let budgetBytes: Int?

    private init(_ kind: Kind, budgetBytes: Int? = nil) {
        self.kind = kind
        self.budgetBytes = budgetBytes
    }

    /// Keep every value a backward step reads; recompute nothing.
    public static let saveEverything = SavePolicy(.saveEverything)
    /// Recompute only what makes the planned arena smaller at a cost the run
    /// does not feel: ops whose rule is `.allowed` (elementwise ops, fused
    /// regions, selections, reshapes, sparse-times-dense products), their
    /// estimated cost together at most a fifth of the run's estimated cost, and
    /// only while each step saves at least a tenth of an arena byte per byte
    /// recomputed (`Rematerialization.automaticMinimumSaving`). The default.
    public static let automatic = SavePolicy(.automatic)
    /// Recompute whatever the ops' rules allow (`.allowed` and `.expensive`)
    /// while the arena shrinks: the smallest arena the program can reach.
    public static let minimumMemory = SavePolicy(.minimumMemory)

    /// The fastest schedule whose planned arena fits in `bytes`: nothing is
    /// recomputed when the saved-everything plan fits; otherwise recomputations
    /// are added cheapest per byte saved first until it fits. Building the
    /// program throws `EngineError.memoryBudgetExceeded` (naming the smallest
    /// arena reachable) only when even `minimumMemory` does not fit.
    ///
    /// Throws `EngineError.invalidArgument(op: "SavePolicy.budget", …)` for a
    /// negative `bytes`.
    public static func budget(bytes: Int) throws(EngineError) -> SavePolicy {
        guard bytes >= 0 else {
            throw .invalidArgument(op: "SavePolicy.budget", shape: [],
                                   reason: "a budget of \(bytes) bytes is negative; give 0 or more bytes")
        }
        return SavePolicy(.budget, budgetBytes: bytes)
    }

    /// The recomputation rules this policy may use.
    var allowedRule: Recomputation.Rule? {
        switch kind {
        case .saveEverything: return nil
        case .automatic: return .allowed
        case .minimumMemory, .budget: return .expensive
        }
    }

    /// A name for reports: "save everything", "automatic", "minimum memory", "budget 12582912 bytes".
    public var name: String {
        switch kind {
        case .saveEverything: return "save everything"
        case .automatic: return "automatic"
        case .minimumMemory: return "minimum memory"
        case .budget: return "budget \(budgetBytes ?? 0) bytes"
        }
    }
}
