/// A Jacobian with its values, in the form its structure allows.
///
/// Composition follows `JacobianStructure.composed(after:)` and computes the
/// values too: diag·diag elementwise, diag·A and A·diag by scaling rows or
/// columns, A·B through `cholmod_l_ssmult`; with a dense factor the product is
/// one `dgemm` on the dense forms (kept on the structure's pattern when the
/// other factor leaves rows or columns empty).
public enum JacobianValues: Equatable, Sendable {
    case none(rows: Int, columns: Int)
    case identity(size: Int)
    case diagonal([Double])
    case sparse(SparseMatrix)
    case dense(DenseMatrix)

    /// The structure these values have.
    public var structure: JacobianStructure {
        switch self {
        case let .none(r, c): return .none(rows: r, columns: c)
        case let .identity(n): return .identity(size: n)
        case let .diagonal(d): return .diagonal(size: d.count)
        case let .sparse(a): return .sparse(a.pattern)
        case let .dense(m): return .dense(rows: m.rows, columns: m.columns)
        }
    }

    /// The Jacobian as a sparse matrix: none is the empty pattern, identity and
    /// diagonal the diagonal pattern, dense the entries that are not zero.
    public func sparseMatrix() -> SparseMatrix {
        switch self {
        case let .none(r, c):
            return SparseMatrix(trusted: SparsityPattern(uncheckedRows: r, columns: c,
                                                         columnPointers: [Int](repeating: 0, count: c + 1),
                                                         rowIndices: []), values: [])
        case let .identity(n): return .identity(n)
        case let .diagonal(d): return .diagonal(d)
        case let .sparse(a): return a
        case let .dense(m): return SparseMatrix(m)
        }
    }

    /// The Jacobian as a dense matrix (for tests and small cases).
    public func denseMatrix() -> DenseMatrix {
        if case let .dense(m) = self { return m }
        return sparseMatrix().dense()
    }

    /// Jᵀ.
    public var transposed: JacobianValues {
        switch self {
        case let .none(r, c): return .none(rows: c, columns: r)
        case .identity, .diagonal: return self
        case let .sparse(a): return .sparse(a.transposed)
        case let .dense(m): return .dense(m.transposedDense())
        }
    }

    /// J_self·J_inner, with values; its structure is
    /// `structure.composed(after: inner.structure)`.
    public func composed(after inner: JacobianValues, context: CholmodContext) throws(SparseError) -> JacobianValues {
        let outer = structure, innerStructure = inner.structure
        let structure = try outer.composed(after: innerStructure, context: context)  // checks shapes
        switch (self, inner) {
        case (.none, _), (_, .none): return .none(rows: outer.rows, columns: innerStructure.columns)
        case (.identity, _): return inner
        case (_, .identity): return self
        case let (.diagonal(a), .diagonal(b)): return .diagonal(zip(a, b).map(*))
        case let (.diagonal(d), .sparse(b)): return .sparse(try b.scalingRows(by: d))
        case let (.sparse(a), .diagonal(d)): return .sparse(try a.scalingColumns(by: d))
        case let (.sparse(a), .sparse(b)): return .sparse(try a.multiplied(by: b, context: context))
        default:
            // A dense factor: one dgemm on the dense forms.
            let left = denseMatrix(), right = inner.denseMatrix()
            var product = DenseMatrix.zeros(rows: left.rows, columns: right.columns)
            left.values.withUnsafeBufferPointer { a in
                right.values.withUnsafeBufferPointer { b in
                    product.values.withUnsafeMutableBufferPointer { c in
                        guard let a = a.baseAddress, let b = b.baseAddress, let c = c.baseAddress else { return }
                        BLAS.gemm(m: left.rows, n: right.columns, k: left.columns, a, lda: left.rows, b, ldb: right.rows,
                                  c, ldc: left.rows)
                    }
                }
            }
            // A dense factor with empty rows or columns on the other side: the
            // structure is the block of reached rows and columns.
            guard case let .sparse(pattern) = structure else { return .dense(product) }
            let columns = pattern.columnIndices
            return .sparse(SparseMatrix(trusted: pattern, values: pattern.rowIndices.indices.map {
                product[pattern.rowIndices[$0], columns[$0]]
            }))
        }
    }
}

extension DenseMatrix {
    /// The transpose. Cost: O(rows·columns).
    public func transposedDense() -> DenseMatrix {
        var result = DenseMatrix.zeros(rows: columns, columns: rows)
        for j in 0..<columns { for i in 0..<rows { result[j, i] = self[i, j] } }
        return result
    }
}
