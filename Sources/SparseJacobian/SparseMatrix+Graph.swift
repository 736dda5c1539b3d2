/// Matrices of graphs: adjacency from an edge list, the storage position of
/// each edge, and the degree normalisation of graph convolutions.
///
/// **Value order.** A pattern stores its entries column by column (compressed
/// sparse columns), rows increasing within a column: `values[p]` is entry
/// (`rowIndices[p]`, column j) for p in `positions(ofColumn: j)`. An edge
/// (i, j) is entry (i, j) of the adjacency, so its value is *not* at the edge's
/// position in the list; `edgePositions(_:)` gives that position, for writing
/// per-edge weights into a `values` tensor (`matmul(pattern, values:, x)`).
extension SparseMatrix {
    /// The `nodeCount`×`nodeCount` adjacency of a graph: entry (i, j) is the sum
    /// of the weights of the edges (i, j) (1 each without `weights`), and with
    /// `symmetric` (an undirected graph) of the edges (j, i) too; a self-loop
    /// (i, i) counts once. Duplicate edges are summed. An edge naming a node
    /// outside `0..<nodeCount` is `SparseError.edgeOutOfRange`, a weight count
    /// other than the edge count `coordinateCountMismatch`.
    /// Cost: O(edges + nodeCount) (one counting sort).
    public static func adjacency(nodeCount: Int, edges: [(Int, Int)], weights: [Double]? = nil,
                                 symmetric: Bool = true) throws(SparseError) -> SparseMatrix {
        guard nodeCount >= 0 else { throw .negativeDimension(rows: nodeCount, columns: nodeCount) }
        if let weights, weights.count != edges.count {
            throw .coordinateCountMismatch(rows: edges.count, columns: edges.count, values: weights.count)
        }
        var rows: [Int] = [], columns: [Int] = [], values: [Double] = []
        let capacity = symmetric ? 2 * edges.count : edges.count
        rows.reserveCapacity(capacity); columns.reserveCapacity(capacity); values.reserveCapacity(capacity)
        for (k, (i, j)) in edges.enumerated() {
            guard (0..<nodeCount).contains(i), (0..<nodeCount).contains(j) else {
                throw .edgeOutOfRange(edge: k, source: i, target: j, nodeCount: nodeCount)
            }
            let w = weights?[k] ?? 1
            rows.append(i); columns.append(j); values.append(w)
            if symmetric && i != j { rows.append(j); columns.append(i); values.append(w) }
        }
        return try SparseMatrix(rows: nodeCount, columns: nodeCount, rowIndices: rows, columnIndices: columns, values: values)
    }

    /// D^-1/2 (A + I) D^-1/2 with D = diag of the row sums of A + I (Kipf and
    /// Welling's graph convolution), or of A alone without `addingSelfLoops`.
    /// Entry (i, j) becomes aᵢⱼ / √(dᵢ dⱼ); a node of degree 0 keeps zeros. A
    /// matrix that is not square is `notSquare`, a negative degree
    /// `negativeDegree`. The pattern is A's with the diagonal added.
    /// Cost: O(nnz + n).
    public func normalizedAdjacency(addingSelfLoops: Bool = true) throws(SparseError) -> SparseMatrix {
        guard rows == columns else { throw .notSquare(rows: rows, columns: columns) }
        let a = addingSelfLoops ? try adding(.identity(rows)) : self
        var degree = [Double](repeating: 0, count: rows)
        for (p, i) in a.pattern.rowIndices.enumerated() { degree[i] += a.values[p] }
        var scale = [Double](repeating: 0, count: rows)
        for (i, d) in degree.enumerated() {
            guard d >= 0 else { throw .negativeDegree(node: i, degree: d) }
            scale[i] = d > 0 ? 1 / d.squareRoot() : 0
        }
        return try a.scalingRows(by: scale).scalingColumns(by: scale)
    }

    /// A + B on the union of the patterns. Shapes must agree (`shapeMismatch`).
    /// Cost: O(nnz(A) + nnz(B) + columns).
    public func adding(_ other: SparseMatrix) throws(SparseError) -> SparseMatrix {
        guard shape == other.shape else { throw .shapeMismatch(operation: "A + B", left: shape, right: other.shape) }
        return try SparseMatrix(rows: rows, columns: columns,
                                rowIndices: pattern.rowIndices + other.pattern.rowIndices,
                                columnIndices: pattern.columnIndices + other.pattern.columnIndices,
                                values: values + other.values)
    }
}

extension SparsityPattern {
    /// The storage position (index into a matrix's `values`) of each entry
    /// (row, column) asked for; an entry not stored is `entryNotStored`, an index
    /// out of range `rowIndexOutOfRange` / `columnIndexOutOfRange`.
    /// Cost: O(k log(entries per column)).
    public func positions(ofEntries entries: [(row: Int, column: Int)]) throws(SparseError) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(entries.count)
        for (k, (i, j)) in entries.enumerated() {
            guard (0..<columns).contains(j) else { throw .columnIndexOutOfRange(position: k, column: j, columns: columns) }
            guard (0..<rows).contains(i) else { throw .rowIndexOutOfRange(column: j, position: k, row: i, rows: rows) }
            guard let p = position(row: i, column: j) else { throw .entryNotStored(row: i, column: j) }
            result.append(p)
        }
        return result
    }

    /// The storage position of entry (i, j) for each edge (i, j): with a pattern
    /// from `SparseMatrix.adjacency`, `values[edgePositions(edges)[k]]` is edge
    /// k's entry (and, for an undirected graph, `edgePositions(edges.map { ($1, $0) })`
    /// its mirror's). Errors as `positions(ofEntries:)`.
    public func edgePositions(_ edges: [(Int, Int)]) throws(SparseError) -> [Int] {
        try positions(ofEntries: edges.map { (row: $0.0, column: $0.1) })
    }
}
