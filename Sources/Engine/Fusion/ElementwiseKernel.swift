/// An op the fusion pass may put in a region: output element k depends only on
/// element k of each full-size operand and on the one element of a scalar
/// operand, so the op can run on any chunk of positions.
protocol ElementwiseKernel: DifferentiableOperation {
    /// Inputs read as their one element (a scalar operand), not position by position.
    var scalarInputs: Set<Int> { get }
    /// Writes `count` output elements from the operands at the current chunk,
    /// in input order (scalar operands through `DiagonalOperands.scalar(_:)`).
    func evaluate(_ operands: DiagonalOperands, count: Int, into output: UnsafeMutablePointer<Double>)
    /// ∂output[k]/∂input[k]: for a full-size input the diagonal of its
    /// Jacobian; for a scalar operand the term whose sum over k is its gradient.
    func elementSlope(forInput index: Int) -> ElementSlope
}

/// The slope of an elementwise op with respect to one input, position by position.
enum ElementSlope {
    /// The output does not depend on the input.
    case zero
    /// Constantly 1: the gradient passes through.
    case one
    /// d computed from saved values, in one of the derivative's equivalent forms.
    case diagonal(DiagonalDerivative)
    /// d = operand k itself (a product's slope): the backward pass multiplies
    /// by it without writing d, or by its one element for a scalar operand.
    case operand(Int)

    /// The values each equivalent way of computing d reads (none for 0 and 1).
    var forms: [[SavedValue]] {
        switch self {
        case .zero, .one: return []
        case let .diagonal(d): return d.forms.map(\.reads)
        case let .operand(k): return [[.input(k)]]
        }
    }
}

extension ElementwiseKernel {
    var scalarInputs: Set<Int> { [] }

    func elementSlope(forInput index: Int) -> ElementSlope { derivedElementSlope(forInput: index) }

    /// The slope read off the op's `derivative(forInput:)`.
    func derivedElementSlope(forInput index: Int) -> ElementSlope {
        switch derivative(forInput: index) {
        case .identity: return .one
        case let .diagonal(d): return .diagonal(d)
        case .none: return .zero
        case .notDifferentiable, .sparse, .dense:
            preconditionFailure("\(name): an elementwise kernel declares an identity or diagonal Jacobian")
        }
    }
}
