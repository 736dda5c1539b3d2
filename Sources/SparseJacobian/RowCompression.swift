/// Reads a sparse J back from the compressed products s_cᵀ·J of a row
/// coloring (`RowColoring`): row i of color c has its entry J[i, j] at
/// position j of product c, alone, because no other row of c meets column j.
///
/// Holds, for each color, the stored positions of its rows' entries (in J's
/// storage order) and their columns, so one product is scattered into J's
/// values in one pass over its entries. Cost: O(nnz) to build, O(entries of
/// the color) per product; 2·nnz integers of memory.
public struct RowCompression: Sendable {
    public let pattern: SparsityPattern
    public let coloring: RowColoring
    /// Rows of color c: rows[rowOffsets[c] ..< rowOffsets[c + 1]].
    public let rowOffsets: [Int]
    public let rows: [Int]
    /// Entries of color c: positions[entryOffsets[c] ..< entryOffsets[c + 1]] with their columns.
    let entryOffsets: [Int]
    let positions: [Int]
    let columns: [Int]

    public init(pattern: SparsityPattern, coloring: RowColoring) {
        precondition(coloring.colors.count == pattern.rows, "the coloring is not of this pattern")
        self.pattern = pattern
        self.coloring = coloring
        (rowOffsets, rows) = coloring.rowsByColor
        let count = coloring.colorCount
        var offsets = [Int](repeating: 0, count: count + 1)
        for i in pattern.rowIndices { offsets[coloring.colors[i] + 1] += 1 }
        for c in 0..<count { offsets[c + 1] += offsets[c] }
        var next = offsets
        var positions = [Int](repeating: 0, count: pattern.nonzeroCount), columns = positions
        for j in 0..<pattern.columns {
            for p in pattern.positions(ofColumn: j) {
                let c = coloring.colors[pattern.rowIndices[p]]
                positions[next[c]] = p
                columns[next[c]] = j
                next[c] += 1
            }
        }
        entryOffsets = offsets
        self.positions = positions
        self.columns = columns
    }

    /// Number of products (colors).
    public var productCount: Int { coloring.colorCount }

    /// The rows whose unit vectors make up the seed of color `c`.
    public func seedRows(ofColor c: Int) -> ArraySlice<Int> { rows[rowOffsets[c]..<rowOffsets[c + 1]] }

    /// Writes the entries of color `c`'s rows from `product` = s_cᵀ·J (one
    /// value per column of J) into `values` (J's values in storage order).
    public func recover(color c: Int, from product: UnsafePointer<Double>, into values: UnsafeMutablePointer<Double>) {
        for e in entryOffsets[c]..<entryOffsets[c + 1] { values[positions[e]] = product[columns[e]] }
    }
}
