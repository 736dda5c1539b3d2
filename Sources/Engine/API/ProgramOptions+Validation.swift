/// Checks of option values, for `ProgramOptions` to run when it is made.
extension ProgramOptions {
    /// A memory budget must be nil (no limit) or at least 0 bytes: a negative
    /// budget is `EngineError.invalidArgument(op: "ProgramOptions", …)`.
    public static func validate(memoryBudget: Int?) throws(EngineError) {
        if let budget = memoryBudget, budget < 0 {
            throw .invalidArgument(op: "ProgramOptions", shape: [],
                                   reason: "memoryBudget \(budget) is negative; give 0 or more bytes, or nil for no limit")
        }
    }

    /// Options validated as they are made (see `validate(memoryBudget:)`).
    public static func validated(checkNumerics: Bool = false, memory: MemoryStrategy = .planned,
                                 memoryBudget: Int? = nil, optimizeMemory: Bool = true,
                                 savePolicy: SavePolicy = .automatic) throws(EngineError) -> ProgramOptions {
        let options = ProgramOptions(checkNumerics: checkNumerics, memory: memory, memoryBudget: memoryBudget,
                                     optimizeMemory: optimizeMemory, savePolicy: savePolicy)
        try validate(memoryBudget: options.memoryBudget)
        return options
    }
}
