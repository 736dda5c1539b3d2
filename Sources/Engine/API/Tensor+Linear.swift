import SparseJacobian

/// A·B for matrices, on BLAS. Jacobians: dense, applied as G·Bᵀ and Aᵀ·G.
public func matmul(_ a: Tensor, _ b: Tensor) -> Tensor { a.tracer.apply(MatrixProduct(), [a, b]) }

/// A·X for a constant sparse A and X of shape [A.columns] or [A.columns, F]
/// (cholmod_l_sdmult). Jacobian for X: sparse, I_F ⊗ A.
public func matmul(_ a: SparseMatrix, _ x: Tensor) -> Tensor {
    x.tracer.apply(SparseLinearMap(name: "sparse matmul (constant)", matrix: a, flattensInput: false, inputShape: x.shape), [x])
}

/// A·X with A on `pattern` and its values a traced vector (differentiable:
/// their gradient is the sampled product over the pattern), X of shape
/// [columns] or [columns, F].
///
/// With `byRows`, `pattern` and `values` give A by rows (compressed sparse rows,
/// an edge list in row order): they are read as the compressed columns of Aᵀ,
/// without a transposed copy.
public func matmul(_ pattern: SparsityPattern, values: Tensor, _ x: Tensor, byRows: Bool = false) -> Tensor {
    x.tracer.apply(SparseMatrixProduct(pattern: pattern, transposed: byRows, xShape: x.shape), [values, x])
}

/// x = A⁻¹·b for a symmetric positive definite A on `pattern` with traced
/// values, b of shape [n] or [n, k]; analysed once when traced (with
/// `ordering`: `.automatic(expectedRuns:)` tries METIS when the program is
/// expected to run often enough to repay its slower analysis), factorized each
/// run. Only the lower triangle is read; an entry above the diagonal without its
/// mirror below is an error. Gradients for the values and for b.
public func solve(_ pattern: SparsityPattern, values: Tensor, _ b: Tensor,
                  ordering: CholeskyOrdering = .automatic(expectedRuns: 1)) -> Tensor {
    b.tracer.apply({ () throws(EngineError) in
        try SparseSolve(pattern: pattern, bShape: b.shape, ordering: ordering, context: b.tracer.context)
    }, [values, b], fallback: b)
}

/// log det A for a symmetric positive definite A on `pattern` (lower triangle
/// read, entries above the diagonal must be mirrored), analysed with `ordering`
/// when traced. Its gradient for the values is A⁻¹ on the pattern (2·(A⁻¹)ᵢⱼ
/// for a stored entry below the diagonal), by selected inversion.
public func logDeterminant(_ pattern: SparsityPattern, values: Tensor,
                           ordering: CholeskyOrdering = .automatic(expectedRuns: 1)) -> Tensor {
    values.tracer.apply({ () throws(EngineError) in
        try LogDeterminant(pattern: pattern, ordering: ordering, context: values.tracer.context)
    }, [values], fallback: values)
}
