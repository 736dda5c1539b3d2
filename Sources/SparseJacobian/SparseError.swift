/// Everything that can be wrong with a sparse matrix, a product or a factorization.
///
/// Each case carries where the problem is, and `description` says it in words.
public enum SparseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A dimension is negative.
    case negativeDimension(rows: Int, columns: Int)
    /// `columnPointers` must have `columns + 1` entries.
    case columnPointerCount(expected: Int, actual: Int)
    /// `columnPointers[0]` must be 0.
    case firstColumnPointerNotZero(Int)
    /// `columnPointers` decreases at `column`.
    case columnPointersDecrease(column: Int, start: Int, end: Int)
    /// The last column pointer must equal the number of row indices.
    case lastColumnPointerMismatch(pointer: Int, rowIndexCount: Int)
    /// A row index outside `0..<rows`.
    case rowIndexOutOfRange(column: Int, position: Int, row: Int, rows: Int)
    /// A column index outside `0..<columns` (coordinate input).
    case columnIndexOutOfRange(position: Int, column: Int, columns: Int)
    /// Row indices in a column are not increasing.
    case rowIndicesUnsorted(column: Int, position: Int, previous: Int, row: Int)
    /// The same row appears twice in a column.
    case duplicateRowIndex(column: Int, row: Int)
    /// Coordinate arrays of different lengths.
    case coordinateCountMismatch(rows: Int, columns: Int, values: Int)
    /// A value array whose length does not match the pattern or shape.
    case valueCountMismatch(expected: Int, actual: Int)
    /// Operands whose shapes do not fit together.
    case shapeMismatch(operation: String, left: [Int], right: [Int])
    /// A symmetric factorization reads the lower triangle, and the pattern has an
    /// entry above the diagonal, at (`row`, `column`), whose mirror
    /// (`column`, `row`) is not stored: its value would be taken as zero.
    case upperEntryWithoutMirror(row: Int, column: Int)
    /// A factorization or solve of a matrix that is not square.
    case notSquare(rows: Int, columns: Int)
    /// The matrix is not (numerically) positive definite: the factorization
    /// failed at `column` (in CHOLMOD's permuted order, `L->minor`).
    case notPositiveDefinite(column: Int)
    /// A solve or determinant was asked of a factor that holds no numeric values.
    case notFactorized
    /// CHOLMOD reported an error.
    case cholmod(call: String, status: Int)
    /// A dimension so large that the matrix's index arrays (`dimension + 1`
    /// pointers, the entries of a generated matrix) cannot be counted in `Int`.
    case dimensionTooLarge(rows: Int, columns: Int)
    /// Memory that could not be allocated: by this library (`bytes` known) or
    /// inside CHOLMOD (`CHOLMOD_OUT_OF_MEMORY`; `bytes` when the call's size is known).
    case outOfMemory(call: String, bytes: Int?)
    /// Edge number `edge` of an edge list, (`source`, `target`), names a node
    /// outside `0..<nodeCount`.
    case edgeOutOfRange(edge: Int, source: Int, target: Int, nodeCount: Int)
    /// Entry (`row`, `column`) was asked for by position but is not stored in the pattern.
    case entryNotStored(row: Int, column: Int)
    /// Degree normalisation met a node whose weighted degree is negative (its
    /// inverse square root is not real).
    case negativeDegree(node: Int, degree: Double)

    public var description: String {
        switch self {
        case let .negativeDimension(r, c):
            return "negative dimension: \(r)×\(c)"
        case let .columnPointerCount(e, a):
            return "column pointers: expected \(e) entries (columns + 1), got \(a)"
        case let .firstColumnPointerNotZero(p):
            return "column pointers must start at 0, got \(p)"
        case let .columnPointersDecrease(c, s, e):
            return "column pointers decrease at column \(c): \(s) then \(e)"
        case let .lastColumnPointerMismatch(p, n):
            return "last column pointer is \(p) but there are \(n) row indices"
        case let .rowIndexOutOfRange(c, p, r, rows):
            return "row index \(r) at position \(p) (column \(c)) is outside 0..<\(rows)"
        case let .columnIndexOutOfRange(p, c, cols):
            return "column index \(c) at position \(p) is outside 0..<\(cols)"
        case let .rowIndicesUnsorted(c, p, prev, r):
            return "row indices of column \(c) are not increasing at position \(p): \(prev) then \(r)"
        case let .duplicateRowIndex(c, r):
            return "row \(r) appears twice in column \(c)"
        case let .coordinateCountMismatch(r, c, v):
            return "coordinate arrays differ in length: \(r) rows, \(c) columns, \(v) values"
        case let .valueCountMismatch(e, a):
            return "expected \(e) values, got \(a)"
        case let .shapeMismatch(op, l, r):
            return "\(op): shapes \(l) and \(r) do not fit"
        case let .upperEntryWithoutMirror(r, c):
            return "entry (\(r), \(c)) above the diagonal has no mirror (\(c), \(r)) below it; "
                + "only the lower triangle is read"
        case let .notSquare(r, c):
            return "matrix is \(r)×\(c), not square"
        case let .notPositiveDefinite(c):
            return "matrix is not positive definite: factorization failed at column \(c)"
        case .notFactorized:
            return "the factor holds no numeric factorization yet"
        case let .cholmod(call, status):
            return "\(call) failed with CHOLMOD status \(status)"
        case let .dimensionTooLarge(r, c):
            return "a \(r)×\(c) matrix is too large: its index arrays cannot be counted in Int"
        case let .outOfMemory(call, bytes):
            if let bytes { return "\(call): out of memory allocating \(bytes) bytes" }
            return "\(call): out of memory"
        case let .edgeOutOfRange(k, s, t, n):
            return "edge \(k) (\(s), \(t)) names a node outside 0..<\(n)"
        case let .entryNotStored(r, c):
            return "entry (\(r), \(c)) is not stored in the pattern"
        case let .negativeDegree(node, d):
            return "node \(node) has negative degree \(d): D^-1/2 is not real"
        }
    }
}
