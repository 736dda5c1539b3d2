/// A coloring of the rows of a sparse matrix J in which two rows of the same
/// color share no column: a greedy distance-2 coloring of the bipartite graph
/// of J (rows on one side, columns on the other), that is, a coloring of the
/// row-intersection graph whose edges join rows with a column in common.
///
/// With such a coloring, one vector-Jacobian product per color gives all of J:
/// the seed s_c = Σ_{color(i) = c} e_i yields s_cᵀ·J = Σ J[i, :], and since the
/// rows of c never overlap, each entry J[i, j] is read back as (s_cᵀ·J)[j]
/// (see `RowCompression`). Rows without entries get no color and cost nothing.
///
/// Vertex orders (greedy colors rows in this order, each with the smallest
/// color none of its neighbours has):
/// - `natural`: rows in index order;
/// - `largestFirst`: by decreasing degree in the row-intersection graph
///   (Welsh–Powell);
/// - `smallestLast`: the reverse of repeatedly removing a row of least remaining
///   degree (Matula–Beck), which bounds the colors by 1 + the graph's
///   degeneracy and is what ColPack and SparseMatrixColorings recommend for
///   Jacobians. It is the default: on the 5-point grid Laplacian it finds 5
///   colors where the optimum is 5 (a clique of 5 rows meets in each interior
///   column), natural order 6–7; see `RowColoringTests` and the README figures.
///
/// The graph is never built: neighbours of row i are enumerated as the rows of
/// the columns of row i, with a marker array against repeats.
/// Cost: O(Σ_j nnz(column j)²) time per pass (one for natural order, two for
/// largest-first, three for smallest-last), O(rows + columns + nnz) memory.
public struct RowColoring: Sendable, Equatable {
    public enum Order: String, Sendable, CaseIterable {
        case natural, largestFirst, smallestLast
    }

    /// The color of each row, or −1 for a row without entries.
    public let colors: [Int]
    /// Number of colors (products).
    public let colorCount: Int
    public let order: Order

    /// Colors the rows of `pattern`.
    public init(pattern: SparsityPattern, order: Order = .smallestLast) {
        self.order = order
        let graph = RowIntersection(pattern)
        if graph.hasFullColumn {
            // One column meets every row: they form a clique, one color each.
            colors = Array(0..<pattern.rows)
            colorCount = pattern.rows
            return
        }
        let sequence: [Int]
        switch order {
        case .natural: sequence = Array(0..<pattern.rows)
        case .largestFirst:
            let degrees = graph.degrees()
            sequence = (0..<pattern.rows).sorted { degrees[$0] != degrees[$1] ? degrees[$0] > degrees[$1] : $0 < $1 }
        case .smallestLast: sequence = graph.smallestLastOrder()
        }
        (colors, colorCount) = graph.greedyColors(in: sequence)
    }

    /// A coloring given by its colors (one known in closed form, such as
    /// (r + 2c) mod 5 for the 5-point stencil); −1 leaves a row uncolored.
    /// Check it against a pattern with `isValid(for:)`.
    public init(colors: [Int]) {
        self.colors = colors
        self.colorCount = (colors.max() ?? -1) + 1
        self.order = .natural
    }

    /// The rows of each color: `rows[offsets[c] ..< offsets[c + 1]]`, increasing.
    public var rowsByColor: (offsets: [Int], rows: [Int]) {
        var offsets = [Int](repeating: 0, count: colorCount + 1)
        for c in colors where c >= 0 { offsets[c + 1] += 1 }
        for c in 0..<colorCount { offsets[c + 1] += offsets[c] }
        var next = offsets, rows = [Int](repeating: 0, count: offsets[colorCount])
        for (i, c) in colors.enumerated() where c >= 0 {
            rows[next[c]] = i
            next[c] += 1
        }
        return (offsets, rows)
    }

    /// No two rows of one color share a column of `pattern`, and exactly the
    /// rows with entries are colored. Cost: O(nnz).
    public func isValid(for pattern: SparsityPattern) -> Bool {
        guard colors.count == pattern.rows else { return false }
        var hasEntry = [Bool](repeating: false, count: pattern.rows)
        for i in pattern.rowIndices { hasEntry[i] = true }
        for (i, c) in colors.enumerated() where (c >= 0) != hasEntry[i] || c >= colorCount { return false }
        var seen = [Int](repeating: -1, count: colorCount)
        for j in 0..<pattern.columns {
            for p in pattern.positions(ofColumn: j) {
                let c = colors[pattern.rowIndices[p]]
                if seen[c] == j { return false }
                seen[c] = j
            }
        }
        return true
    }
}

/// The row-intersection graph of a pattern, kept implicit: the pattern by
/// columns (rows of each column) and by rows (columns of each row).
struct RowIntersection {
    let byColumns: SparsityPattern
    /// Row i's columns are byRows.rowIndices[byRows.positions(ofColumn: i)].
    let byRows: SparsityPattern

    init(_ pattern: SparsityPattern) {
        byColumns = pattern
        byRows = pattern.transposed
    }

    var rowCount: Int { byColumns.rows }

    var hasFullColumn: Bool {
        rowCount > 1 && (0..<byColumns.columns).contains { byColumns.positions(ofColumn: $0).count == rowCount }
    }

    /// Calls body(k) once for each neighbour k ≠ i of row i; `marker` holds
    /// rowCount entries and is stamped with `stamp` (which must be new).
    @inline(__always)
    func forEachNeighbour(of i: Int, marker: inout [Int], stamp: Int, _ body: (Int) -> Void) {
        marker[i] = stamp
        for q in byRows.positions(ofColumn: i) {
            for p in byColumns.positions(ofColumn: byRows.rowIndices[q]) {
                let k = byColumns.rowIndices[p]
                if marker[k] != stamp {
                    marker[k] = stamp
                    body(k)
                }
            }
        }
    }

    func degrees() -> [Int] {
        var marker = [Int](repeating: -1, count: rowCount), degrees = [Int](repeating: 0, count: rowCount)
        for i in 0..<rowCount { forEachNeighbour(of: i, marker: &marker, stamp: i) { _ in degrees[i] += 1 } }
        return degrees
    }

    /// Matula–Beck: remove a vertex of least remaining degree until none is
    /// left (bucket queue), and return the removal order reversed.
    func smallestLastOrder() -> [Int] {
        var degree = degrees()
        let top = (degree.max() ?? 0) + 1
        // Doubly linked bucket lists, one per degree.
        var head = [Int](repeating: -1, count: top), next = [Int](repeating: -1, count: rowCount)
        var previous = [Int](repeating: -1, count: rowCount)
        func insert(_ v: Int) {
            let d = degree[v]
            next[v] = head[d]; previous[v] = -1
            if head[d] >= 0 { previous[head[d]] = v }
            head[d] = v
        }
        func remove(_ v: Int) {
            if previous[v] >= 0 { next[previous[v]] = next[v] } else { head[degree[v]] = next[v] }
            if next[v] >= 0 { previous[next[v]] = previous[v] }
        }
        for v in 0..<rowCount { insert(v) }
        var removed = [Bool](repeating: false, count: rowCount), marker = [Int](repeating: -1, count: rowCount)
        var order = [Int](repeating: 0, count: rowCount)
        var lowest = 0
        for step in 0..<rowCount {
            while head[lowest] < 0 { lowest += 1 }
            let v = head[lowest]
            remove(v)
            removed[v] = true
            order[rowCount - 1 - step] = v
            forEachNeighbour(of: v, marker: &marker, stamp: step) { k in
                guard !removed[k] else { return }
                remove(k)
                degree[k] -= 1
                insert(k)
            }
            lowest = Swift.max(lowest - 1, 0)
        }
        return order
    }

    /// Greedy coloring in `sequence`: each row with an entry takes the smallest
    /// color none of its colored neighbours has.
    func greedyColors(in sequence: [Int]) -> (colors: [Int], count: Int) {
        var colors = [Int](repeating: -1, count: rowCount), marker = [Int](repeating: -1, count: rowCount)
        var forbidden = [Int](repeating: -1, count: rowCount + 1)
        var count = 0
        for (step, i) in sequence.enumerated() where !byRows.positions(ofColumn: i).isEmpty {
            forEachNeighbour(of: i, marker: &marker, stamp: step) { k in
                if colors[k] >= 0 { forbidden[colors[k]] = step }
            }
            var c = 0
            while forbidden[c] == step { c += 1 }
            colors[i] = c
            count = Swift.max(count, c + 1)
        }
        return (colors, count)
    }
}
