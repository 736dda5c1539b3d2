/// A sparse matrix: a validated `SparsityPattern` and one value per stored entry.
///
/// A value type whose arrays are shared copy-on-write; products hand them to
/// CHOLMOD in place (see `withCholmodSparse`), so a product copies nothing.
/// Explicit zeros are kept: the pattern, not the values, says what is stored.
public struct SparseMatrix: Equatable, Sendable {
    public let pattern: SparsityPattern
    /// Values in the pattern's storage order.
    public var values: [Double]

    public var rows: Int { pattern.rows }
    public var columns: Int { pattern.columns }
    public var shape: [Int] { pattern.shape }

    /// A matrix from a pattern and its values.
    public init(pattern: SparsityPattern, values: [Double]) throws(SparseError) {
        guard values.count == pattern.nonzeroCount else {
            throw .valueCountMismatch(expected: pattern.nonzeroCount, actual: values.count)
        }
        self.pattern = pattern
        self.values = values
    }

    /// A matrix from coordinate triplets in any order; values at the same position
    /// are summed. Cost: O(nnz + rows + columns).
    public init(rows: Int, columns: Int, rowIndices: [Int], columnIndices: [Int], values: [Double]) throws(SparseError) {
        guard values.count == rowIndices.count, values.count == columnIndices.count else {
            throw .coordinateCountMismatch(rows: rowIndices.count, columns: columnIndices.count, values: values.count)
        }
        let sorted = try CoordinateSort(rows: rows, columns: columns, rowIndices: rowIndices,
                                        columnIndices: columnIndices)
        var summed = [Double](repeating: 0, count: sorted.pattern.nonzeroCount)
        for (k, value) in values.enumerated() { summed[sorted.permutation[k]] += value }
        self.pattern = sorted.pattern
        self.values = summed
    }

    /// The entries of a dense matrix that are not zero (`-0.0` counts as zero).
    public init(_ dense: DenseMatrix) {
        var pointers = [0], indices = [Int](), values = [Double]()
        for j in 0..<dense.columns {
            for i in 0..<dense.rows where dense[i, j] != 0 {
                indices.append(i)
                values.append(dense[i, j])
            }
            pointers.append(indices.count)
        }
        self.pattern = SparsityPattern(uncheckedRows: dense.rows, columns: dense.columns,
                                       columnPointers: pointers, rowIndices: indices)
        self.values = values
    }

    /// The `n`×`n` diagonal matrix with `diagonal` on its diagonal.
    public static func diagonal(_ diagonal: [Double]) -> SparseMatrix {
        SparseMatrix(trusted: .diagonal(diagonal.count), values: diagonal)
    }

    /// The `n`×`n` identity.
    public static func identity(_ n: Int) -> SparseMatrix {
        diagonal([Double](repeating: 1, count: n))
    }

    /// For patterns and values this module built consistently.
    init(trusted pattern: SparsityPattern, values: [Double]) {
        precondition(values.count == pattern.nonzeroCount, "value count does not match the pattern")
        self.pattern = pattern
        self.values = values
    }

    /// The matrix as a dense one (for tests and small cases). Cost: O(rows·columns).
    public func dense() -> DenseMatrix {
        var result = DenseMatrix.zeros(rows: rows, columns: columns)
        for j in 0..<columns {
            for p in pattern.positions(ofColumn: j) { result[pattern.rowIndices[p], j] = values[p] }
        }
        return result
    }

    /// The transpose. Cost: O(nnz + rows).
    public var transposed: SparseMatrix {
        let (pattern, permutation) = pattern.transposedWithPermutation()
        var moved = [Double](repeating: 0, count: values.count)
        for (p, value) in values.enumerated() { moved[permutation[p]] = value }
        return SparseMatrix(trusted: pattern, values: moved)
    }
}
