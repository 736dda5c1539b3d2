import SparseJacobian

/// Y = A·X with A sparse on a pattern fixed at trace time, its values a
/// differentiable input (input 0, `nonzeroCount` elements), and X of shape
/// [columns] or [columns, F] (input 1), through `cholmod_l_sdmult`.
///
/// With `transposed`, the pattern and values describe Aᵀ in compressed columns,
/// that is A by rows (CSR, an edge list in row order), and Y = A·X reads them as
/// such: no transposed copy is made.
///
/// Jacobians: for X, sparse, I_F ⊗ A, applied by the engine as Aᵀ·G (one sdmult
/// with F columns, A's values read in place); for the values, the sampled
/// product ∂L/∂a_(i,j) = Σ_k G[i,k]·X[j,k] over A's pattern (SDDMM), a rule that
/// never forms a dense matrix. Saves A's values (for X's gradient) and X (for
/// the values'). Cost: 2·nnz·F flops forward and per gradient.
struct SparseMatrixProduct: DifferentiableOperation {
    let pattern: SparsityPattern
    /// The stored pattern is Aᵀ's (A given by rows).
    let transposed: Bool
    /// The traced X's shape.
    let xShape: [Int]
    var name: String { transposed ? "sparse matmul (by rows)" : "sparse matmul" }

    /// Recomputed freely: one sdmult, 2·nnz·F flops, reading the pattern
    /// (8 bytes an entry and a column pointer), the values and X, writing Y.
    func recomputation(inputShapes: [[Int]], outputShape: [Int]) -> Recomputation {
        let streaming = Recomputation.streaming(inputShapes: inputShapes, outputShape: outputShape, flopsPerElement: 0)
        let nnz = pattern.nonzeroCount
        return Recomputation(rule: .allowed, flops: (2 * nnz).multipliedClamped(by: columnsOfX),
                             bytes: streaming.bytes.addingClamped(8 * (nnz + pattern.columns + 1)))
    }

    private var columnsOfX: Int { xShape.count == 2 ? xShape[1] : 1 }
    /// A's shape.
    private var rows: Int { transposed ? pattern.columns : pattern.rows }
    private var columns: Int { transposed ? pattern.rows : pattern.columns }

    func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] {
        guard inputs[0] == [pattern.nonzeroCount] else {
            throw .shapeMismatch(op: name, shapes: [inputs[0], [pattern.nonzeroCount]],
                                 reason: "the values must be a vector of the pattern's \(pattern.nonzeroCount) entries")
        }
        let x = inputs[1]
        guard (x.count == 1 || x.count == 2), x[0] == columns else {
            throw .shapeMismatch(op: name, shapes: [[rows, columns], x], reason: "A·X needs X with \(columns) rows")
        }
        return try Shape.validated(x.count == 2 ? [rows, x[1]] : [rows], op: name)
    }

    func forward(_ f: ForwardArguments) throws(EngineError) {
        do {
            try pattern.multiply(values: f.input(0), f.input(1), columns: columnsOfX, into: f.output,
                                 transposed: transposed, context: f.context)
        } catch { throw .sparse(op: name, error) }
    }

    func derivative(forInput index: Int) -> Derivative {
        if index == 1 {
            return .sparse(SparseDerivative(pattern: pattern, blocks: columnsOfX, values: .input(0), transposed: transposed))
        }
        // Stored entry p = (i, j) of the pattern is A[i, j], or A[j, i] when transposed.
        return .dense(DenseDerivative(reads: [.input(1)]) { [transposed, columnsOfX, pattern] b in
            let (g, x) = transposed ? (b.saved(.input(1)), b.upstream) : (b.upstream, b.saved(.input(1)))
            pattern.sampledProduct(g, x, inner: columnsOfX, into: b.gradient, accumulate: b.accumulate)
        })
    }

    /// For X: I_F ⊗ A on A's pattern (stored transposed for A by rows). For the
    /// values: Y[i, f] = Σ_p a_p·X[j(p), f] over the stored entries p = (i(p), j(p)),
    /// so column p of J holds rows i(p) + f·rows for each f < F.
    func jacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        if index == 1 { return .kronecker(KroneckerBlocks(outer: columnsOfX, pattern: pattern, transposed: transposed)) }
        // Column p holds rows i(p) + f·rows, f < F: already increasing.
        let rowOfEntry = transposed ? pattern.columnIndices : pattern.rowIndices
        let pointers = (0...pattern.nonzeroCount).map { $0 * columnsOfX }
        let rows = rowOfEntry.flatMap { i in (0..<columnsOfX).map { i + $0 * self.rows } }
        let pattern = try? SparsityPattern(rows: self.rows * columnsOfX, columns: pattern.nonzeroCount,
                                           columnPointers: pointers, rowIndices: rows)
        return pattern.map { .sparse($0) } ?? .dense(rows: self.rows * columnsOfX, columns: self.pattern.nonzeroCount)
    }
}
