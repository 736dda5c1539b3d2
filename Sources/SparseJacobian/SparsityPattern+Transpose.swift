extension SparsityPattern {
    /// The pattern of the transpose, with `permutation[p]` the position in the
    /// transpose of this pattern's entry `p` (so values move as
    /// `transposed[permutation[p]] = values[p]`). Cost: O(nnz + rows).
    public func transposedWithPermutation() -> (pattern: SparsityPattern, permutation: [Int]) {
        var pointers = [Int](repeating: 0, count: rows + 1)
        for row in rowIndices { pointers[row + 1] += 1 }
        for i in 0..<rows { pointers[i + 1] += pointers[i] }
        var next = pointers
        var indices = [Int](repeating: 0, count: nonzeroCount)
        var permutation = [Int](repeating: 0, count: nonzeroCount)
        for j in 0..<columns {
            for p in positions(ofColumn: j) {
                let q = next[rowIndices[p]]
                indices[q] = j
                permutation[p] = q
                next[rowIndices[p]] += 1
            }
        }
        let pattern = SparsityPattern(uncheckedRows: columns, columns: rows, columnPointers: pointers,
                                      rowIndices: indices)
        return (pattern, permutation)
    }

    /// The pattern of the transpose. Cost: O(nnz + rows).
    public var transposed: SparsityPattern { transposedWithPermutation().pattern }
}
