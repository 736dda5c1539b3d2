import Engine

/// One reference model at one size: how to build its program, its inputs, and
/// the names of the gradients it returns.
public struct ReferenceModel {
    public let name: String
    public let variant: String
    /// One line describing the model, for the report.
    public let summary: String
    public let inputShapes: [[Int]]
    public let inputs: [TensorValue]
    /// Inputs differentiated, in order, and the names of their gradients.
    public let gradientsFor: [Int]
    public let gradientNames: [String]
    /// Whether this is a large variant (fewer timed runs).
    public let isLarge: Bool
    /// The traced function.
    public let function: ([Tensor]) -> Tensor

    /// Builds the program (trace, plan, sparse analysis).
    public func program(memory: MemoryStrategy) throws -> Program {
        try program(options: ProgramOptions(memory: memory))
    }

    /// Builds the program with the given options.
    public func program(options: ProgramOptions) throws -> Program {
        try Program(inputShapes: inputShapes, gradientsFor: gradientsFor, options: options, function)
    }
}
