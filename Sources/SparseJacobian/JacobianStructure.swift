/// The structure of a Jacobian J = ∂output/∂input, rows = output size,
/// columns = input size, as an op declares it for each of its inputs.
///
/// | case | J | backward step g_in (+)= Jᵀ·g_out |
/// | --- | --- | --- |
/// | none | 0 | skipped |
/// | identity | I | g passed on |
/// | diagonal | diag(d) | elementwise g ⊙ d |
/// | sparse | known pattern | sparse Jᵀ·g (`cholmod_l_sdmult`) |
/// | dense | anything | the op's own rule |
public enum JacobianStructure: Hashable, Sendable {
    /// The output does not depend on the input (or it is not differentiable).
    case none(rows: Int, columns: Int)
    /// J = I.
    case identity(size: Int)
    /// J = diag(d).
    case diagonal(size: Int)
    /// Nonzeros only on this pattern.
    case sparse(SparsityPattern)
    /// No known structure.
    case dense(rows: Int, columns: Int)

    public var rows: Int {
        switch self {
        case let .none(r, _), let .dense(r, _): return r
        case let .identity(n), let .diagonal(n): return n
        case let .sparse(p): return p.rows
        }
    }

    public var columns: Int {
        switch self {
        case let .none(_, c), let .dense(_, c): return c
        case let .identity(n), let .diagonal(n): return n
        case let .sparse(p): return p.columns
        }
    }

    /// The structure of Jᵀ.
    public var transposed: JacobianStructure {
        switch self {
        case let .none(r, c): return .none(rows: c, columns: r)
        case let .dense(r, c): return .dense(rows: c, columns: r)
        case .identity, .diagonal: return self
        case let .sparse(p): return .sparse(p.transposed)
        }
    }

    /// The structure of J_self·J_inner, the Jacobian of g∘f when `self` is g's
    /// and `inner` is f's. The rules, first match wins:
    /// none absorbs; identity is neutral; diagonal∘diagonal = diagonal;
    /// diagonal∘sparse and sparse∘diagonal = sparse on the same pattern;
    /// sparse∘sparse = sparse on the structural product (`cholmod_l_ssmult`);
    /// anything with dense = dense.
    public func composed(after inner: JacobianStructure, context: CholmodContext) throws(SparseError) -> JacobianStructure {
        guard columns == inner.rows else {
            throw .shapeMismatch(operation: "Jacobian composition J_g·J_f", left: [rows, columns],
                                 right: [inner.rows, inner.columns])
        }
        switch (self, inner) {
        case (.none, _), (_, .none): return .none(rows: rows, columns: inner.columns)
        case (.identity, _): return inner
        case (_, .identity): return self
        case (.diagonal, .diagonal): return self
        case (.diagonal, .sparse): return inner
        case (.sparse, .diagonal): return self
        case let (.sparse(a), .sparse(b)): return .sparse(try a.multiplied(by: b, context: context))
        case (.dense, _), (_, .dense): return .dense(rows: rows, columns: inner.columns)
        }
    }
}
