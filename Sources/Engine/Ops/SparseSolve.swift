import SparseJacobian

/// x = A⁻¹·b for a symmetric positive definite A on a pattern fixed at trace
/// time (analysed once there by CHOLMOD), its values a differentiable input
/// (input 0), and b of shape [n] or [n, k] (input 1, all k columns solved in one
/// call). The analysis uses the given `CholeskyOrdering`. Only the lower
/// triangle of A is read (see `SparseCholesky`): entries above the diagonal
/// must have their mirror stored below (else a typed error when traced), their
/// values are not read and get zero gradient. Each run factorizes the new
/// values and solves.
///
/// Jacobians (dense, applied by rules on the same factor):
/// - for b: ∂L/∂b = A⁻¹·ḡ, one more solve;
/// - for the values: ∂L/∂A = −(A⁻¹ḡ)·xᵀ on the pattern; an off-diagonal stored
///   entry (i, j) stands for both A[i,j] and A[j,i], so its gradient is
///   −Σ_k (u_ik·x_jk + u_jk·x_ik) with u = A⁻¹ḡ, a diagonal one −Σ_k u_ik·x_ik.
/// Saves the output x (and the factor, outside the arena).
/// Cost: one numeric factorization and solve forward; one solve per gradient.
final class SparseSolve: DifferentiableOperation {
    let pattern: SparsityPattern
    let factor: SparseCholesky
    /// The traced b's shape.
    let bShape: [Int]
    let name = "spd solve"
    private let columnIndices: [Int]

    init(pattern: SparsityPattern, bShape: [Int], ordering: CholeskyOrdering,
         context: CholmodContext) throws(EngineError) {
        self.pattern = pattern
        self.bShape = bShape
        do {
            factor = try SparseCholesky(pattern: pattern, context: context, ordering: ordering)
        } catch { throw .sparse(op: "spd solve", error) }
        columnIndices = pattern.columnIndices
    }

    private var rightHandSides: Int { bShape.count == 2 ? bShape[1] : 1 }

    func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] {
        guard inputs[0] == [pattern.nonzeroCount] else {
            throw .shapeMismatch(op: name, shapes: [inputs[0], [pattern.nonzeroCount]],
                                 reason: "the values must be a vector of the pattern's \(pattern.nonzeroCount) entries")
        }
        guard (inputs[1].count == 1 || inputs[1].count == 2), inputs[1][0] == pattern.rows else {
            throw .shapeMismatch(op: name, shapes: [pattern.shape, inputs[1]], reason: "b needs \(pattern.rows) rows")
        }
        return inputs[1]
    }

    var externalBytes: Int { factor.factorBytes }

    func forward(_ f: ForwardArguments) throws(EngineError) {
        do {
            try factor.factorize(values: f.input(0))
            try factor.solve(f.input(1), columns: rightHandSides, into: f.output)
        } catch let SparseError.notPositiveDefinite(column) {
            throw .notPositiveDefinite(op: name, shape: pattern.shape, column: column)
        } catch { throw .sparse(op: name, error) }
    }

    func derivative(forInput index: Int) -> Derivative {
        let count = pattern.rows * rightHandSides
        if index == 1 {
            return .dense(DenseDerivative(reads: [], scratch: [count]) { [self] (b) throws(EngineError) in
                let u = b.accumulate ? b.scratch(0) : b.gradient
                try solve(b.upstream, into: u)
                if b.accumulate { for k in 0..<count { b.gradient[k] += u[k] } }
            })
        }
        return .dense(DenseDerivative(reads: [.output], scratch: [count]) { [self] (b) throws(EngineError) in
            let u = b.scratch(0), x = b.saved(.output), out = b.gradient
            try solve(b.upstream, into: u)
            let n = pattern.rows
            for p in 0..<pattern.nonzeroCount {
                let i = pattern.rowIndices[p], j = columnIndices[p]
                var sum = 0.0
                if i > j {
                    for k in 0..<rightHandSides { sum += u[i + k * n] * x[j + k * n] + u[j + k * n] * x[i + k * n] }
                } else if i == j {
                    for k in 0..<rightHandSides { sum += u[i + k * n] * x[i + k * n] }
                }
                if b.accumulate { out[p] -= sum } else { out[p] = -sum }
            }
        })
    }

    /// For b with k columns: I_k ⊗ A⁻¹, A⁻¹ taken as dense (its pattern is the
    /// fill of the factor's closure, dense in general). For the values: dense.
    func jacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        if index == 1 { return .kronecker(KroneckerBlocks(outer: rightHandSides, denseRows: pattern.rows, columns: pattern.rows)) }
        return .dense(rows: Shape.count(outputShape), columns: pattern.nonzeroCount)
    }

    private func solve(_ g: UnsafePointer<Double>, into u: UnsafeMutablePointer<Double>) throws(EngineError) {
        do { try factor.solve(g, columns: rightHandSides, into: u) } catch { throw .sparse(op: name, error) }
    }
}
