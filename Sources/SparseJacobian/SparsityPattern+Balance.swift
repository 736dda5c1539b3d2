extension SparsityPattern {
    /// Part `part` of `parts` ranges of columns with about equal nonzero counts
    /// (the ranges cover 0..<columns in order). Cost: two binary searches.
    func balancedColumns(part: Int, of parts: Int) -> Range<Int> {
        firstColumn(reaching: nonzeroCount * part / parts)
            ..< (part + 1 == parts ? columns : firstColumn(reaching: nonzeroCount * (part + 1) / parts))
    }

    /// The first column whose entries start at or after `target`.
    private func firstColumn(reaching target: Int) -> Int {
        var low = 0, high = columns
        while low < high {
            let mid = (low + high) / 2
            if columnPointers[mid] < target { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
