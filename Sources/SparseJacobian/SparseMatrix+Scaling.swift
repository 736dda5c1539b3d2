extension SparseMatrix {
    /// diag(d)·A: row i scaled by d[i]; the pattern is kept (a diagonal Jacobian
    /// composed after a sparse one). Cost: O(nnz).
    public func scalingRows(by d: [Double]) throws(SparseError) -> SparseMatrix {
        guard d.count == rows else { throw .shapeMismatch(operation: "diag(d)·A", left: [d.count], right: shape) }
        var scaled = values
        for p in 0..<scaled.count { scaled[p] *= d[pattern.rowIndices[p]] }
        return SparseMatrix(trusted: pattern, values: scaled)
    }

    /// A·diag(d): column j scaled by d[j]; the pattern is kept. Cost: O(nnz).
    public func scalingColumns(by d: [Double]) throws(SparseError) -> SparseMatrix {
        guard d.count == columns else { throw .shapeMismatch(operation: "A·diag(d)", left: shape, right: [d.count]) }
        var scaled = values
        for j in 0..<columns { for p in pattern.positions(ofColumn: j) { scaled[p] *= d[j] } }
        return SparseMatrix(trusted: pattern, values: scaled)
    }
}
