import SparseJacobian

extension DifferentiableOperation {
    /// The default declaration, for ops that make none (a user's op): the
    /// structure `derivative(forInput:)` implies (`derivedJacobianStructure`).
    /// Every op of the library declares its own, next to its derivative.
    public func jacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        derivedJacobianStructure(forInput: index, inputShapes: inputShapes, outputShape: outputShape)
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
