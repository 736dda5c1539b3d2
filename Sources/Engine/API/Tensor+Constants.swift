import SparseJacobian

/// A `TensorValue` captured from outside a trace, used where a traced tensor
/// is expected: it is recorded as a constant of the trace of the other
/// operand (`tracer.constant`), with no gradient. `x * mask`, `matmul(a, w)`
/// and `maximum(x, floor)` read as on paper. Each overload records the constant
/// once per use (its elements are copied into the graph when traced: O(count)),
/// then the op of the `Tensor` form with the same Jacobian for the traced operand.
extension Tensor {
    /// The constant `value` in this tensor's trace.
    func constant(_ value: TensorValue) -> Tensor { tracer.constant(value) }

    /// x + c, c a constant tensor (broadcast). Jacobian for x: identity.
    public static func + (x: Tensor, c: TensorValue) -> Tensor { x + x.constant(c) }
    public static func + (c: TensorValue, x: Tensor) -> Tensor { x.constant(c) + x }
    /// x − c and c − x. Jacobian for x: identity, −identity.
    public static func - (x: Tensor, c: TensorValue) -> Tensor { x - x.constant(c) }
    public static func - (c: TensorValue, x: Tensor) -> Tensor { x.constant(c) - x }
    /// x ⊙ c. Jacobian for x: diag(c).
    public static func * (x: Tensor, c: TensorValue) -> Tensor { x * x.constant(c) }
    public static func * (c: TensorValue, x: Tensor) -> Tensor { x.constant(c) * x }
    /// x / c and c / x. Jacobian for x: diag(1/c), diag(−c/x²).
    public static func / (x: Tensor, c: TensorValue) -> Tensor { x / x.constant(c) }
    public static func / (c: TensorValue, x: Tensor) -> Tensor { x.constant(c) / x }
}

/// max(x, c) and min(x, c) against a constant tensor (broadcast).
public func maximum(_ x: Tensor, _ c: TensorValue) -> Tensor { maximum(x, x.constant(c)) }
public func maximum(_ c: TensorValue, _ x: Tensor) -> Tensor { maximum(x.constant(c), x) }
public func minimum(_ x: Tensor, _ c: TensorValue) -> Tensor { minimum(x, x.constant(c)) }
public func minimum(_ c: TensorValue, _ x: Tensor) -> Tensor { minimum(x.constant(c), x) }

/// A·B with one factor a constant matrix. Jacobian for the traced factor:
/// dense, applied as G·Bᵀ or Aᵀ·G (BLAS).
public func matmul(_ a: Tensor, _ b: TensorValue) -> Tensor { matmul(a, a.constant(b)) }
public func matmul(_ a: TensorValue, _ b: Tensor) -> Tensor { matmul(b.constant(a), b) }

/// A·X with A on `pattern` and its values constant, X traced. Jacobian for X:
/// sparse, I_F ⊗ A.
public func matmul(_ pattern: SparsityPattern, values: TensorValue, _ x: Tensor, byRows: Bool = false) -> Tensor {
    matmul(pattern, values: x.constant(values), x, byRows: byRows)
}

/// A·X with A's values traced and X a constant (features of a graph layer
/// whose edge weights are learned). Jacobian for the values: the sampled product.
public func matmul(_ pattern: SparsityPattern, values: Tensor, _ x: TensorValue, byRows: Bool = false) -> Tensor {
    matmul(pattern, values: values, values.constant(x), byRows: byRows)
}

/// A⁻¹·b with b a constant right-hand side (A's values traced).
public func solve(_ pattern: SparsityPattern, values: Tensor, _ b: TensorValue,
                  ordering: CholeskyOrdering = .automatic(expectedRuns: 1)) -> Tensor {
    solve(pattern, values: values, values.constant(b), ordering: ordering)
}

/// The mean of (prediction − target)² against constant targets. Jacobian for
/// the prediction: dense row, 2(p − t)/n.
public func meanSquaredError(_ prediction: Tensor, _ target: TensorValue) -> Tensor {
    meanSquaredError(prediction, prediction.constant(target))
}
