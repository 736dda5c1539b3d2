/// Where the entries of a sparse matrix may be nonzero, in compressed sparse
/// column (CSC) form.
///
/// Column `j` holds the rows `rowIndices[columnPointers[j] ..< columnPointers[j + 1]]`,
/// strictly increasing. Every initializer validates that: pointers start at 0,
/// never decrease and end at `rowIndices.count`; row indices are in range, sorted
/// and unique within each column. A pattern is a value: two patterns are equal
/// when their CSC arrays are.
///
/// Indices are `Int`, which is CHOLMOD's `SuiteSparse_long`: the arrays are handed
/// to CHOLMOD as they are, without a copy.
public struct SparsityPattern: Hashable, Sendable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// `columns + 1` offsets into `rowIndices`.
    public let columnPointers: [Int]
    /// Row of each stored entry, column by column.
    public let rowIndices: [Int]

    /// Number of stored entries.
    public var nonzeroCount: Int { rowIndices.count }

    /// The shape as `[rows, columns]`.
    public var shape: [Int] { [rows, columns] }

    /// A pattern from CSC arrays, validated. Cost: O(columns + nnz).
    public init(rows: Int, columns: Int, columnPointers: [Int], rowIndices: [Int]) throws(SparseError) {
        guard rows >= 0, columns >= 0 else { throw .negativeDimension(rows: rows, columns: columns) }
        guard columns < Int.max else { throw .dimensionTooLarge(rows: rows, columns: columns) }
        guard columnPointers.count == columns + 1 else {
            throw .columnPointerCount(expected: columns + 1, actual: columnPointers.count)
        }
        guard columnPointers[0] == 0 else { throw .firstColumnPointerNotZero(columnPointers[0]) }
        for j in 0..<columns {
            let start = columnPointers[j], end = columnPointers[j + 1]
            guard end >= start else { throw .columnPointersDecrease(column: j, start: start, end: end) }
            guard end <= rowIndices.count else {
                throw .lastColumnPointerMismatch(pointer: end, rowIndexCount: rowIndices.count)
            }
            var previous = -1
            for p in start..<end {
                let row = rowIndices[p]
                guard row >= 0, row < rows else {
                    throw .rowIndexOutOfRange(column: j, position: p, row: row, rows: rows)
                }
                if row == previous { throw .duplicateRowIndex(column: j, row: row) }
                guard row > previous else {
                    throw .rowIndicesUnsorted(column: j, position: p, previous: previous, row: row)
                }
                previous = row
            }
        }
        guard columnPointers[columns] == rowIndices.count else {
            throw .lastColumnPointerMismatch(pointer: columnPointers[columns], rowIndexCount: rowIndices.count)
        }
        self.init(uncheckedRows: rows, columns: columns, columnPointers: columnPointers, rowIndices: rowIndices)
    }

    /// A pattern from coordinates `(rowIndices[k], columnIndices[k])` in any order;
    /// a position given twice is stored once. Cost: O(nnz + columns) (a counting sort).
    public init(rows: Int, columns: Int, rowIndices: [Int], columnIndices: [Int]) throws(SparseError) {
        let sorted = try CoordinateSort(rows: rows, columns: columns, rowIndices: rowIndices,
                                        columnIndices: columnIndices)
        self = sorted.pattern
    }

    /// Trusted construction for arrays this module built itself.
    init(uncheckedRows rows: Int, columns: Int, columnPointers: [Int], rowIndices: [Int]) {
        self.rows = rows
        self.columns = columns
        self.columnPointers = columnPointers
        self.rowIndices = rowIndices
    }

    /// The `n`×`n` pattern of the diagonal.
    public static func diagonal(_ n: Int) -> SparsityPattern {
        precondition(n >= 0, "negative size")
        return SparsityPattern(uncheckedRows: n, columns: n, columnPointers: Array(0...n), rowIndices: Array(0..<n))
    }

    /// The pattern with every entry present (for small dense matrices).
    public static func full(rows: Int, columns: Int) -> SparsityPattern {
        precondition(rows >= 0 && columns >= 0, "negative size")
        let pointers = (0...columns).map { $0 * rows }
        var indices = [Int]()
        indices.reserveCapacity(rows * columns)
        for _ in 0..<columns { indices.append(contentsOf: 0..<rows) }
        return SparsityPattern(uncheckedRows: rows, columns: columns, columnPointers: pointers, rowIndices: indices)
    }

    /// The range of positions of column `j` in `rowIndices`.
    @inlinable
    public func positions(ofColumn j: Int) -> Range<Int> { columnPointers[j]..<columnPointers[j + 1] }

    /// The position of entry `(row, column)` in `rowIndices`, or nil when it is not
    /// stored. Cost: O(log of the column's length).
    public func position(row: Int, column: Int) -> Int? {
        var low = columnPointers[column], high = columnPointers[column + 1]
        while low < high {
            let mid = (low + high) / 2
            let r = rowIndices[mid]
            if r == row { return mid }
            if r < row { low = mid + 1 } else { high = mid }
        }
        return nil
    }

    /// The column of every stored entry, in storage order. Cost: O(nnz).
    public var columnIndices: [Int] {
        var result = [Int](repeating: 0, count: nonzeroCount)
        for j in 0..<columns { for p in positions(ofColumn: j) { result[p] = j } }
        return result
    }
}
