/// Where a program keeps its buffers.
public enum MemoryStrategy: String, Sendable, CaseIterable {
    /// One arena laid out by the planner, allocated once; runs allocate nothing.
    case planned
    /// Each buffer allocated before its first write and freed after its last
    /// read: the baseline the plan is measured against.
    case eager
}

/// Options of a compiled program.
public struct ProgramOptions: Sendable {
    /// Check the inputs, and every value and gradient after the step that writes
    /// it, for NaN and infinity, and throw `EngineError.nonFinite` naming the op
    /// (or the input). Costs one pass over each buffer.
    public var checkNumerics: Bool
    /// Where buffers live (default: the planned arena).
    public var memory: MemoryStrategy
    /// What the backward pass keeps and what it recomputes (default
    /// `.automatic`); `.budget(bytes:)` fits the arena in a budget.
    public var savePolicy: SavePolicy
    /// The budget of a `.budget` policy, nil for the others. Building a program
    /// that cannot fit even with `.minimumMemory` throws
    /// `EngineError.memoryBudgetExceeded` naming the smallest reachable arena.
    public var memoryBudget: Int? { savePolicy.budgetBytes }
    /// Keep less (default): inputs read and results written in the caller's
    /// tensors (the arena holds intermediates only), saved values chosen by
    /// liveness, elementwise regions fused and recomputed chunk by chunk in the
    /// backward pass. `false` builds the schedule without any of these (every
    /// input, the output and every gradient copied through the arena, each op's
    /// preferred saved values, one step per op): the baseline the report and
    /// the tests compare against. The baseline recomputes nothing and runs its
    /// steps in traced order whatever `savePolicy` says; a budget is checked.
    public var optimizeMemory: Bool

    /// Options; `savePolicy: try .budget(bytes: n)` fits the arena in n bytes.
    public init(checkNumerics: Bool = false, memory: MemoryStrategy = .planned,
                optimizeMemory: Bool = true, savePolicy: SavePolicy = .automatic) {
        self.checkNumerics = checkNumerics
        self.memory = memory
        self.savePolicy = savePolicy
        self.optimizeMemory = optimizeMemory
    }

    /// Options with a memory budget of `memoryBudget` bytes (the policy
    /// `.budget(bytes:)`); a negative budget throws `EngineError.invalidArgument`.
    public init(checkNumerics: Bool = false, memory: MemoryStrategy = .planned, memoryBudget: Int,
                optimizeMemory: Bool = true) throws(EngineError) {
        self.init(checkNumerics: checkNumerics, memory: memory, optimizeMemory: optimizeMemory,
                  savePolicy: try .budget(bytes: memoryBudget))
    }
}
