import CSuiteSparse

extension SparsityPattern {
    /// The pattern of A + B for any values (entries of either), through
    /// `cholmod_l_add` without values; when one already holds the other (a
    /// stencil plus the diagonal) that one is returned as it is.
    /// Cost: O(nnz(A) + nnz(B) + columns).
    public func union(_ other: SparsityPattern, context: CholmodContext) throws(SparseError) -> SparsityPattern {
        guard rows == other.rows, columns == other.columns else {
            throw .shapeMismatch(operation: "pattern A + B", left: shape, right: other.shape)
        }
        if other.isSubset(of: self) { return self }
        if isSubset(of: other) { return other }
        var one = (1.0, 0.0)
        let (result, status) = context.withCommon { common -> (SparsityPattern?, Int32) in
            let sum = withUnsafeMutablePointer(to: &one) { scale in
                scale.withMemoryRebound(to: Double.self, capacity: 2) { alpha in
                    withCholmodSparse(values: nil) { a in
                        other.withCholmodSparse(values: nil) { b in cholmod_l_add(a, b, alpha, alpha, 0, 1, common) }
                    }
                }
            }
            guard let sum else { return (nil, common.pointee.status) }
            let result = SparseMatrix(copying: sum).pattern
            var owned: UnsafeMutablePointer<cholmod_sparse>? = sum
            cholmod_l_free_sparse(&owned, common)
            return (result, CHOLMOD_OK)
        }
        guard let result else { throw .cholmodFailure(call: "cholmod_l_add", status: status) }
        return result
    }

    /// Every entry of this pattern is one of `other`'s (same shape assumed).
    /// Cost: O(nnz · log of the column lengths), stopping at the first miss.
    public func isSubset(of other: SparsityPattern) -> Bool {
        guard nonzeroCount <= other.nonzeroCount else { return false }
        for j in 0..<columns {
            for p in positions(ofColumn: j) where other.position(row: rowIndices[p], column: j) == nil { return false }
        }
        return true
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
