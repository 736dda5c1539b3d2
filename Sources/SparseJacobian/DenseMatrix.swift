/// A dense matrix stored column-major (entry `(i, j)` at `values[i + j * rows]`),
/// the layout of CHOLMOD's dense matrices and of BLAS with `CblasColMajor`.
public struct DenseMatrix: Equatable, Sendable {
    public let rows: Int
    public let columns: Int
    /// Column-major entries, `rows * columns` of them.
    public var values: [Double]

    /// A matrix from column-major values.
    public init(rows: Int, columns: Int, values: [Double]) throws(SparseError) {
        let count = try Self.count(rows: rows, columns: columns)
        guard values.count == count else { throw .valueCountMismatch(expected: count, actual: values.count) }
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A matrix from values listed row by row, as one writes a matrix on paper.
    public init(rows: Int, columns: Int, rowMajor: [Double]) throws(SparseError) {
        let count = try Self.count(rows: rows, columns: columns)
        guard rowMajor.count == count else { throw .valueCountMismatch(expected: count, actual: rowMajor.count) }
        var values = [Double](repeating: 0, count: count)
        for i in 0..<rows { for j in 0..<columns { values[i + j * rows] = rowMajor[i * columns + j] } }
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// rows·columns, checked: a negative dimension is `negativeDimension`, a
    /// product beyond `Int` is `dimensionTooLarge`.
    static func count(rows: Int, columns: Int) throws(SparseError) -> Int {
        guard rows >= 0, columns >= 0 else { throw .negativeDimension(rows: rows, columns: columns) }
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow else { throw .dimensionTooLarge(rows: rows, columns: columns) }
        return count
    }

    /// The zero matrix.
    public static func zeros(rows: Int, columns: Int) -> DenseMatrix {
        precondition(rows >= 0 && columns >= 0, "negative size")
        return try! DenseMatrix(rows: rows, columns: columns, values: [Double](repeating: 0, count: rows * columns))
    }

    /// Entry `(i, j)`.
    public subscript(i: Int, j: Int) -> Double {
        get { values[i + j * rows] }
        set { values[i + j * rows] = newValue }
    }

    /// The shape as `[rows, columns]`.
    public var shape: [Int] { [rows, columns] }
}
