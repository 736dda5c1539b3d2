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
///   degeneracy (ColPack and SparseMatrixColorings offer it too). It is the
///   default: on the 5-point grid Laplacian it finds the
///   optimal 5 colors (a clique of 5 rows meets in each interior column) at
///   sides 10, 20, 50, 64, 100 and 1000 (7 at side 31), where natural and
///   largest-first order take 7; on random patterns with 3 entries per column
///   5 against 6–7. Figures: `RowColoringTests`, jacobian-bench, the README.
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
/// columns (rows of each column) and by rows (columns of each row). The passes
/// run on raw buffers: Swift's dynamic exclusivity checks on captured arrays
/// cost more than the scans themselves.
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

    /// Calls `body` with a neighbour scan over this graph's arrays.
    func withScan<R>(_ body: (NeighbourScan) -> R) -> R {
        byRows.columnPointers.withUnsafeBufferPointer { rowStart in
            byRows.rowIndices.withUnsafeBufferPointer { rowColumns in
                byColumns.columnPointers.withUnsafeBufferPointer { columnStart in
                    byColumns.rowIndices.withUnsafeBufferPointer { columnRows in
                        let marker = UnsafeMutableBufferPointer<Int>.allocate(capacity: rowCount)
                        defer { marker.deallocate() }
                        marker.initialize(repeating: -1)
                        return body(NeighbourScan(rowStart: rowStart, rowColumns: rowColumns, columnStart: columnStart,
                                                  columnRows: columnRows, marker: marker))
                    }
                }
            }
        }
    }

    func degrees() -> [Int] {
        withScan { scan in
            [Int](unsafeUninitializedCapacity: rowCount) { degrees, count in
                for i in 0..<rowCount {
                    var d = 0
                    scan.forEachNeighbour(of: i, stamp: i) { _ in d += 1 }
                    degrees[i] = d
                }
                count = rowCount
            }
        }
    }

    /// Matula–Beck: remove a vertex of least remaining degree until none is
    /// left (bucket queue), and return the removal order reversed.
    func smallestLastOrder() -> [Int] {
        let initial = degrees()
        let n = rowCount
        return withScan { scan in
            let queue = BucketQueue(degrees: initial)
            defer { queue.deallocate() }
            let removed = UnsafeMutableBufferPointer<Bool>.allocate(capacity: n)
            defer { removed.deallocate() }
            removed.initialize(repeating: false)
            return [Int](unsafeUninitializedCapacity: n) { order, count in
                var lowest = 0
                for step in 0..<n {
                    while queue.head[lowest] < 0 { lowest += 1 }
                    let v = queue.head[lowest]
                    queue.remove(v)
                    removed[v] = true
                    order[n - 1 - step] = v
                    scan.forEachNeighbour(of: v, stamp: step) { k in
                        if !removed[k] { queue.decrement(k) }
                    }
                    lowest = Swift.max(lowest - 1, 0)
                }
                count = n
            }
        }
    }

    /// Greedy coloring in `sequence`: each row with an entry takes the smallest
    /// color none of its colored neighbours has.
    func greedyColors(in sequence: [Int]) -> (colors: [Int], count: Int) {
        let n = rowCount
        var colors = [Int](repeating: -1, count: n)
        var count = 0
        withScan { scan in
            let forbidden = UnsafeMutableBufferPointer<Int>.allocate(capacity: n + 1)
            defer { forbidden.deallocate() }
            forbidden.initialize(repeating: -1)
            colors.withUnsafeMutableBufferPointer { colors in
                for (step, i) in sequence.enumerated() where scan.rowStart[i + 1] > scan.rowStart[i] {
                    scan.forEachNeighbour(of: i, stamp: step) { k in
                        let c = colors[k]
                        if c >= 0 { forbidden[c] = step }
                    }
                    var c = 0
                    while forbidden[c] == step { c += 1 }
                    colors[i] = c
                    count = Swift.max(count, c + 1)
                }
            }
        }
        return (colors, count)
    }
}

/// Neighbours of a row: the rows of its columns, each once (a marker stamped
/// per scan).
struct NeighbourScan {
    let rowStart: UnsafeBufferPointer<Int>
    let rowColumns: UnsafeBufferPointer<Int>
    let columnStart: UnsafeBufferPointer<Int>
    let columnRows: UnsafeBufferPointer<Int>
    let marker: UnsafeMutableBufferPointer<Int>

    /// Calls body(k) once for each neighbour k ≠ i of row i; `stamp` must differ
    /// from every earlier scan's.
    @inline(__always)
    func forEachNeighbour(of i: Int, stamp: Int, _ body: (Int) -> Void) {
        marker[i] = stamp
        for q in rowStart[i]..<rowStart[i + 1] {
            let j = rowColumns[q]
            for p in columnStart[j]..<columnStart[j + 1] {
                let k = columnRows[p]
                if marker[k] != stamp {
                    marker[k] = stamp
                    body(k)
                }
            }
        }
    }
}

/// Vertices in doubly linked lists, one per current degree.
struct BucketQueue {
    let degree: UnsafeMutableBufferPointer<Int>
    let head: UnsafeMutableBufferPointer<Int>
    let next: UnsafeMutableBufferPointer<Int>
    let previous: UnsafeMutableBufferPointer<Int>

    init(degrees: [Int]) {
        let n = degrees.count
        degree = .allocate(capacity: n)
        _ = degree.initialize(from: degrees)
        head = .allocate(capacity: (degrees.max() ?? 0) + 1)
        head.initialize(repeating: -1)
        next = .allocate(capacity: n)
        previous = .allocate(capacity: n)
        for v in 0..<n { insert(v) }
    }

    func deallocate() {
        for buffer in [degree, head, next, previous] { buffer.deallocate() }
    }

    @inline(__always)
    func insert(_ v: Int) {
        let d = degree[v]
        next[v] = head[d]
        previous[v] = -1
        if head[d] >= 0 { previous[head[d]] = v }
        head[d] = v
    }

    @inline(__always)
    func remove(_ v: Int) {
        if previous[v] >= 0 { next[previous[v]] = next[v] } else { head[degree[v]] = next[v] }
        if next[v] >= 0 { previous[next[v]] = previous[v] }
    }

    /// Moves v one bucket down.
    @inline(__always)
    func decrement(_ v: Int) {
        remove(v)
        degree[v] -= 1
        insert(v)
    }
}
