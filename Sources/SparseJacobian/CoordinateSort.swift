/// Coordinates sorted into CSC order by a stable two-pass counting sort, with
/// `permutation[k]` the storage position of input entry `k`. Entries at the
/// same position share one storage slot. Cost: O(nnz + rows + columns).
struct CoordinateSort {
    let pattern: SparsityPattern
    let permutation: [Int]

    init(rows: Int, columns: Int, rowIndices: [Int], columnIndices: [Int]) throws(SparseError) {
        guard rows >= 0, columns >= 0 else { throw .negativeDimension(rows: rows, columns: columns) }
        guard rowIndices.count == columnIndices.count else {
            throw .coordinateCountMismatch(rows: rowIndices.count, columns: columnIndices.count,
                                           values: rowIndices.count)
        }
        // The counting sort keeps rows + 1 and columns + 1 counters.
        let largest = Swift.max(rows, columns)
        guard largest < Int.max else { throw .dimensionTooLarge(rows: rows, columns: columns) }
        try SparseError.ensureAvailable(count: largest + 1, stride: MemoryLayout<Int>.stride, call: "SparsityPattern",
                                        rows: rows, columns: columns)
        let count = rowIndices.count
        for k in 0..<count {
            guard columnIndices[k] >= 0, columnIndices[k] < columns else {
                throw .columnIndexOutOfRange(position: k, column: columnIndices[k], columns: columns)
            }
            guard rowIndices[k] >= 0, rowIndices[k] < rows else {
                throw .rowIndexOutOfRange(column: columnIndices[k], position: k, row: rowIndices[k], rows: rows)
            }
        }
        // Pass 1: order by row (stable), pass 2: stable by column => sorted by (column, row).
        let byRow = Self.countingOrder(keys: rowIndices, keyCount: rows)
        var byColumnCounts = [Int](repeating: 0, count: columns + 1)
        for k in 0..<count { byColumnCounts[columnIndices[k] + 1] += 1 }
        for j in 0..<columns { byColumnCounts[j + 1] += byColumnCounts[j] }
        var next = byColumnCounts
        var order = [Int](repeating: 0, count: count)
        for k in byRow {
            let j = columnIndices[k]
            order[next[j]] = k
            next[j] += 1
        }
        // Merge equal positions.
        var pointers = [Int](repeating: 0, count: columns + 1)
        var indices = [Int]()
        indices.reserveCapacity(count)
        var permutation = [Int](repeating: 0, count: count)
        var q = 0
        for j in 0..<columns {
            var lastRow = -1
            for s in byColumnCounts[j]..<byColumnCounts[j + 1] {
                let k = order[s]
                if rowIndices[k] != lastRow {
                    indices.append(rowIndices[k])
                    lastRow = rowIndices[k]
                    q += 1
                }
                permutation[k] = q - 1
            }
            pointers[j + 1] = q
        }
        pattern = SparsityPattern(uncheckedRows: rows, columns: columns, columnPointers: pointers, rowIndices: indices)
        self.permutation = permutation
    }

    /// Indices `0..<keys.count` stably ordered by `keys`.
    private static func countingOrder(keys: [Int], keyCount: Int) -> [Int] {
        var starts = [Int](repeating: 0, count: keyCount + 1)
        for key in keys { starts[key + 1] += 1 }
        for i in 0..<keyCount { starts[i + 1] += starts[i] }
        var order = [Int](repeating: 0, count: keys.count)
        for (k, key) in keys.enumerated() {
            order[starts[key]] = k
            starts[key] += 1
        }
        return order
    }
}
