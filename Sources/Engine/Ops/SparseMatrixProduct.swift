import SparseJacobian

/// Y = A·X with A sparse on a pattern fixed at trace time, its values a
/// differentiable input (input 0, `nonzeroCount` elements), and X of shape
/// [columns] or [columns, F] (input 1), through `cholmod_l_sdmult`.
///
/// Jacobians: for X, sparse, I_F ⊗ A, applied by the engine as Aᵀ·G (one sdmult
/// with F columns, A's values read in place); for the values, the sampled
/// product ∂L/∂a_p = Σ_k G[i,k]·X[j,k] over A's pattern (SDDMM), a rule that never
/// forms a dense matrix. Saves A's values (for X's gradient) and X (for the values').
/// Cost: 2·nnz·F flops forward and per gradient.
struct SparseMatrixProduct: Operation {
    let pattern: SparsityPattern
    /// The traced X's shape.
    let xShape: [Int]
    var name: String { "sparse matmul" }

    private var columnsOfX: Int { xShape.count == 2 ? xShape[1] : 1 }

    func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] {
        guard inputs[0] == [pattern.nonzeroCount] else {
            throw .shapeMismatch(op: name, shapes: [inputs[0], [pattern.nonzeroCount]],
                                 reason: "the values must be a vector of the pattern's \(pattern.nonzeroCount) entries")
        }
        let x = inputs[1]
        guard (x.count == 1 || x.count == 2), x[0] == pattern.columns else {
            throw .shapeMismatch(op: name, shapes: [pattern.shape, x], reason: "A·X needs X with \(pattern.columns) rows")
        }
        return x.count == 2 ? [pattern.rows, x[1]] : [pattern.rows]
    }

    func forward(_ f: ForwardArguments) throws(EngineError) {
        do {
            try pattern.multiply(values: f.input(0), f.input(1), columns: columnsOfX, into: f.output, context: f.context)
        } catch { throw .sparse(op: name, error) }
    }

    func derivative(forInput index: Int) -> Derivative {
        if index == 1 {
            return .sparse(SparseDerivative(pattern: pattern, blocks: columnsOfX, values: .input(0)))
        }
        return .dense(DenseDerivative(reads: [.input(1)]) { b in
            pattern.sampledProduct(b.upstream, b.saved(.input(1)), inner: columnsOfX, into: b.gradient,
                                   accumulate: b.accumulate)
        })
    }
}
