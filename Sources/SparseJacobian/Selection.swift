/// A 0/1 matrix with at most one 1 in each row: row i is e_{sources[i]}ᵀ, or
/// zero when `sources[i]` is −1. The Jacobian of every op that only moves
/// elements: slices, gathers, broadcasts, concatenations (rows of the other
/// operands are zero), and permutations (transposes) when `isPermutation`.
///
/// Stored as the index map itself: O(rows) integers, whatever the shape.
public struct Selection: Hashable, Sendable {
    public let rows: Int
    public let columns: Int
    /// The column of each row's 1, or −1 for a zero row.
    public let sources: [Int]

    /// A selection from its index map, validated: one entry per row, each −1
    /// or a column in 0..<columns.
    public init(columns: Int, sources: [Int]) throws(SparseError) {
        guard columns >= 0 else { throw .negativeDimension(rows: sources.count, columns: columns) }
        for (row, column) in sources.enumerated() where column < -1 || column >= columns {
            throw .columnIndexOutOfRange(position: row, column: column, columns: columns)
        }
        self.init(uncheckedColumns: columns, sources: sources)
    }

    /// A selection from an index map its maker built consistently (the engine,
    /// from shapes validated when traced); checked only in debug builds.
    public init(uncheckedColumns columns: Int, sources: [Int]) {
        assert(sources.allSatisfy { $0 >= -1 && $0 < columns }, "selection source out of range")
        self.rows = sources.count
        self.columns = columns
        self.sources = sources
    }

    /// Every column is picked by exactly one row, and rows = columns.
    public var isPermutation: Bool {
        guard rows == columns else { return false }
        var seen = [Bool](repeating: false, count: columns)
        for column in sources {
            if column < 0 || seen[column] { return false }
            seen[column] = true
        }
        return true
    }

    /// S·T for a selection T with T.rows == columns: row i picks T's pick of
    /// S's pick. Cost: O(rows).
    public func composed(after inner: Selection) -> Selection {
        precondition(columns == inner.rows, "selections do not chain")
        return Selection(uncheckedColumns: inner.columns, sources: sources.map { $0 < 0 ? -1 : inner.sources[$0] })
    }

    /// The pattern of Sᵀ (columns × rows, one entry in each column that picks
    /// something), built directly in compressed columns. Cost: O(rows).
    public var transposedPattern: SparsityPattern {
        var pointers = [0], indices = [Int]()
        pointers.reserveCapacity(rows + 1)
        indices.reserveCapacity(rows)
        for column in sources {
            if column >= 0 { indices.append(column) }
            pointers.append(indices.count)
        }
        return SparsityPattern(uncheckedRows: columns, columns: rows, columnPointers: pointers, rowIndices: indices)
    }

    /// The pattern of S. Cost: O(rows + columns) (a transposition).
    public var pattern: SparsityPattern { transposedPattern.transposed }
}
