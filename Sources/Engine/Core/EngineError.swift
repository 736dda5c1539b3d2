import SparseJacobian

/// Everything the engine refuses, with the op and the shapes involved.
public enum EngineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Operands whose shapes do not fit.
    case shapeMismatch(op: String, shapes: [[Int]], reason: String)
    /// An axis outside the tensor's rank.
    case invalidAxis(op: String, axis: Int, shape: [Int])
    /// An argument that is not a shape (indices out of range, a bad slice, …).
    case invalidArgument(op: String, shape: [Int], reason: String)
    /// A gradient was asked through an input that has no derivative rule.
    case notDifferentiable(op: String, input: Int, shape: [Int], reason: String)
    /// A gradient was asked of a program input that is not one.
    case invalidGradientRequest(input: Int, inputCount: Int)
    /// A run was given the wrong inputs.
    case inputMismatch(index: Int, expected: [Int], actual: [Int])
    case inputCount(expected: Int, actual: Int)
    /// A run was given a result (or a seed) whose storage does not fit this
    /// program: `what` names the tensor ("value", "gradient 2", "seed").
    case resultMismatch(what: String, expected: [Int], actual: [Int], count: Int)
    /// Values that are not a tensor of the given shape.
    case valueCount(shape: [Int], expected: Int, actual: Int)
    /// A non-scalar output was differentiated without a seed, or with one of the wrong shape.
    case seedMismatch(outputShape: [Int], seedShape: [Int]?)
    /// A solve met a matrix that is not positive definite.
    case notPositiveDefinite(op: String, shape: [Int], column: Int)
    /// With numeric checking on: a NaN or infinity in a value or gradient.
    case nonFinite(op: String, shape: [Int], what: String, index: Int, value: Double)
    /// The planned memory is larger than the budget the program was given.
    case memoryBudgetExceeded(required: Int, allowed: Int)
    /// An error from the sparse layer, in an op.
    case sparse(op: String, SparseError)
    /// A sparse Jacobian was asked for an input the program does not differentiate
    /// (it was not in `gradientsFor`).
    case jacobianInputNotDifferentiated(input: Int, gradientInputs: [Int])
    /// A shape whose element count, or byte size at 8 bytes an element, does not fit in `Int`.
    case sizeOverflow(op: String, shape: [Int])
    /// Memory that could not be allocated (the allocator returned nothing): the bytes asked for.
    case allocationFailed(bytes: Int)
    /// An op was given tensors of another trace (a tensor kept from another
    /// `Program`'s body, or the body returned one).
    case mixedTraces(op: String)
    /// An element accessor was given an index outside the tensor.
    case indexOutOfRange(index: [Int], shape: [Int])

    public var description: String {
        switch self {
        case let .shapeMismatch(op, shapes, reason):
            return "\(op): shapes \(shapes.map { "\($0)" }.joined(separator: " and ")) do not fit: \(reason)"
        case let .invalidAxis(op, axis, shape):
            return "\(op): axis \(axis) is out of range for shape \(shape)"
        case let .invalidArgument(op, shape, reason):
            return "\(op) on shape \(shape): \(reason)"
        case let .notDifferentiable(op, input, shape, reason):
            return "\(op): input \(input) of shape \(shape) is not differentiable: \(reason)"
        case let .invalidGradientRequest(input, count):
            return "gradient requested for input \(input), but the program has \(count) inputs"
        case let .inputMismatch(index, expected, actual):
            return "input \(index): expected shape \(expected), got \(actual)"
        case let .inputCount(expected, actual):
            return "expected \(expected) inputs, got \(actual)"
        case let .resultMismatch(what, expected, actual, count):
            return "\(what): expected a tensor of shape \(expected), got shape \(actual) holding \(count) values"
                + " (was the result made by another program?)"
        case let .valueCount(shape, expected, actual):
            return "shape \(shape) holds \(expected) values, got \(actual)"
        case let .seedMismatch(outputShape, seedShape):
            if let seedShape { return "seed of shape \(seedShape) does not match output shape \(outputShape)" }
            return "the output has shape \(outputShape), not a scalar: pass a seed (a vector-Jacobian product)"
        case let .notPositiveDefinite(op, shape, column):
            return "\(op): the \(shape) matrix is not positive definite (factorization failed at column \(column))"
        case let .nonFinite(op, shape, what, index, value):
            return "\(op): \(what) of shape \(shape) has \(value) at flat index \(index)"
        case let .memoryBudgetExceeded(required, allowed):
            return "the program needs \(required) bytes of arena but the budget allows \(allowed)"
        case let .sparse(op, error):
            return "\(op): \(error)"
        case let .jacobianInputNotDifferentiated(input, gradientInputs):
            return "the Jacobian with respect to input \(input) needs a program built with input \(input) in "
                + "gradientsFor (it has \(gradientInputs))"
        case let .sizeOverflow(op, shape):
            return "\(op): shape \(shape) has more elements or bytes than Int can count"
        case let .allocationFailed(bytes):
            return "could not allocate \(bytes) bytes"
        case let .mixedTraces(op):
            return "\(op): a tensor belongs to another trace (another program's body)"
        case let .indexOutOfRange(index, shape):
            return "index \(index) is out of range for shape \(shape)"
        }
    }
}
