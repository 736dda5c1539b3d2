import SparseJacobian

/// An op that declares what its Jacobians are (`JacobianStructure`), beside
/// how the engine applies them (`derivative(forInput:)`).
///
/// Every op of the library conforms, in an extension next to the op; a user's
/// op may, and otherwise gets the structure derived from its derivative
/// (`derivedJacobianStructure`). The structure must contain every nonzero of
/// the true Jacobian (the declared-structure test checks each op against its
/// numeric Jacobian); the sparse-Jacobian API composes these along the graph.
public protocol JacobianStructureDeclaring: DifferentiableOperation {
    /// The structure of ∂output/∂input `index` (rows: output elements, columns:
    /// the input's elements, both in column-major storage order).
    func declaredJacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure
}

extension DifferentiableOperation {
    /// The structure of ∂output/∂input `index` (rows: output elements, columns:
    /// the input's elements, both in storage order): the op's declaration when
    /// it makes one, else `derivedJacobianStructure`.
    public func jacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        if let declaring = self as? any JacobianStructureDeclaring {
            return declaring.declaredJacobianStructure(forInput: index, inputShapes: inputShapes, outputShape: outputShape)
        }
        return derivedJacobianStructure(forInput: index, inputShapes: inputShapes, outputShape: outputShape)
    }

    /// The conservative structure `derivative(forInput:)` implies: identity →
    /// identity, diagonal → diagonal, sparse → its Kronecker blocks (I_blocks ⊗ S,
    /// S stored transposed when it is), dense → dense, none or not
    /// differentiable → none.
    public func derivedJacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        let rows = Shape.count(outputShape), columns = Shape.count(inputShapes[index])
        switch derivative(forInput: index) {
        case .none, .notDifferentiable: return .none(rows: rows, columns: columns)
        case .identity: return .identity(size: rows)
        case .diagonal: return .diagonal(size: rows)
        case let .sparse(s): return .kronecker(KroneckerBlocks(outer: s.blocks, pattern: s.pattern, transposed: s.transposed))
        case .dense: return .dense(rows: rows, columns: columns)
        }
    }
}

// The elementwise ops' structures (their files belong to the execution layer's
// owner; the structures are declared here until `Derivative` carries them).

/// y = f(x): J = diag(f′(x)), or I when f′ ≡ 1.
extension ElementwiseUnary: JacobianStructureDeclaring {
    public func declaredJacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        if case .constant(1) = slope { return .identity(size: Shape.count(outputShape)) }
        return .diagonal(size: Shape.count(outputShape))
    }
}

/// z = f(x, y) on equal shapes: each J is I (add) or diagonal.
extension ElementwiseBinary: JacobianStructureDeclaring {
    func declaredJacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        if case .identity = derivatives[index] { return .identity(size: Shape.count(outputShape)) }
        return .diagonal(size: Shape.count(outputShape))
    }
}

/// x + s or x ⊙ s: for x, I or diag(s); for the one-element s, a dense n×1
/// column (every output depends on s; Jᵀ is the dense row Σ g or Σ g ⊙ x).
extension ScalarBinary: JacobianStructureDeclaring {
    func declaredJacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        let n = Shape.count(outputShape)
        if index == scalarIndex { return .dense(rows: n, columns: 1) }
        return kind == .add ? .identity(size: n) : .diagonal(size: n)
    }
}
