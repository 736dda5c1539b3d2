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

/// x = A⁻¹·b for a symmetric positive definite A on `pattern` (lower triangle
/// read) with traced values; analysed once when traced, factorized each run.
/// Gradients for the values and for b.
public func solve(_ pattern: SparsityPattern, values: Tensor, _ b: Tensor) -> Tensor {
    b.tracer.apply({ () throws(EngineError) in try SparseSolve(pattern: pattern, bShape: b.shape, context: b.tracer.context) },
                   [values, b], fallback: b)
}

/// log det A for a symmetric positive definite A on `pattern` (lower triangle
/// read). Its gradient is not implemented yet: asking for it throws.
public func logDeterminant(_ pattern: SparsityPattern, values: Tensor) -> Tensor {
    values.tracer.apply({ () throws(EngineError) in try LogDeterminant(pattern: pattern, context: values.tracer.context) },
                        [values], fallback: values)
}
