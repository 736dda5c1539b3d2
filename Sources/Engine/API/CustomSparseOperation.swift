import SparseJacobian

/// A user's op with a sparse Jacobian: y = f(x) where output element i depends
/// only on the input elements in row i of `pattern` (outputs × inputs, fixed when
/// the op is made), with the Jacobian's values on that pattern computed from x.
/// The engine applies it backwards as Jᵀ·g through `cholmod_l_sdmult`.
///
/// A 1-D stencil y_i = x_{i−1}·x_i + x_i·x_{i+1} has a tridiagonal pattern; its
/// `jacobianValues` writes ∂y_i/∂x_j for each stored (i, j) in the pattern's
/// (column-major) storage order. See the custom-op tests for the full example.
/// Saves its input. Cost: the user's kernels plus one sdmult.
public struct CustomSparseOperation: DifferentiableOperation {
    public let name: String
    public let pattern: SparsityPattern
    let forwardKernel: (_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) -> Void
    let valuesKernel: (_ x: UnsafePointer<Double>, _ values: UnsafeMutablePointer<Double>) -> Void

    /// - Parameters:
    ///   - name: the op's name in errors and reports.
    ///   - pattern: the Jacobian's pattern, outputs × inputs.
    ///   - forward: writes the pattern.rows outputs from the pattern.columns inputs.
    ///   - jacobianValues: writes the pattern.nonzeroCount Jacobian values from the inputs.
    public init(name: String, pattern: SparsityPattern,
                forward: @escaping (_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) -> Void,
                jacobianValues: @escaping (_ x: UnsafePointer<Double>, _ values: UnsafeMutablePointer<Double>) -> Void) {
        self.name = name
        self.pattern = pattern
        self.forwardKernel = forward
        self.valuesKernel = jacobianValues
    }

    public func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] {
        guard inputs.count == 1, Shape.count(inputs[0]) == pattern.columns else {
            throw .shapeMismatch(op: name, shapes: inputs + [pattern.shape],
                                 reason: "the input must have the pattern's \(pattern.columns) columns")
        }
        return try Shape.validated([pattern.rows], op: name)
    }

    public func forward(_ a: ForwardArguments) { forwardKernel(a.input(0), a.output) }

    public func derivative(forInput index: Int) -> Derivative {
        let kernel = valuesKernel
        return .sparse(SparseDerivative(pattern: pattern, values: .computed(reads: [.input(0)]) { arguments, values in
            kernel(arguments.saved(.input(0)), values)
        }))
    }

    /// J: the user's pattern.
    public func jacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        .sparse(pattern)
    }
}
