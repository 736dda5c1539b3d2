import CSuiteSparse

extension SparsityPattern {
    /// The pattern of A + B for any values (entries of either), through
    /// `cholmod_l_add` without values. Cost: O(nnz(A) + nnz(B) + columns).
    public func union(_ other: SparsityPattern, context: CholmodContext) throws(SparseError) -> SparsityPattern {
        guard rows == other.rows, columns == other.columns else {
            throw .shapeMismatch(operation: "pattern A + B", left: shape, right: other.shape)
        }
        if other.nonzeroCount == 0 || self == other { return self }
        if nonzeroCount == 0 { return other }
        var one = (1.0, 0.0)
        let sum = withUnsafeMutablePointer(to: &one) { scale in
            scale.withMemoryRebound(to: Double.self, capacity: 2) { alpha in
                withCholmodSparse(values: nil) { a in
                    other.withCholmodSparse(values: nil) { b in cholmod_l_add(a, b, alpha, alpha, 0, 1, context.common) }
                }
            }
        }
        guard let sum else { throw .cholmod(call: "cholmod_l_add", status: Int(context.status)) }
        let result = SparseMatrix(copying: sum).pattern
        var owned: UnsafeMutablePointer<cholmod_sparse>? = sum
        cholmod_l_free_sparse(&owned, context.common)
        return result
    }

    /// Rows with at least one entry, increasing. Cost: O(nnz + rows).
    public var nonemptyRows: [Int] {
        var present = [Bool](repeating: false, count: rows)
        for row in rowIndices { present[row] = true }
        return present.indices.filter { present[$0] }
    }

    /// Columns with at least one entry, increasing. Cost: O(columns).
    public var nonemptyColumns: [Int] { (0..<columns).filter { columnPointers[$0 + 1] > columnPointers[$0] } }
}
