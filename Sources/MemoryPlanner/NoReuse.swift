extension PlacementProblem {
    /// ``Strategy/noReuse``: every unit its own slot, stacked by decreasing alignment (ties by
    /// index). Each slot then starts aligned without padding, so the arena is at most the naive
    /// size (the sum of sizes rounded up to their alignments). O(n log n).
    func noReuse() -> [Int] {
        var offsets = [Int](repeating: 0, count: units.count)
        var top = 0
        for unit in unitOrder(byIncreasing: { -$0.alignment }) {
            offsets[unit] = roundUp(top, toMultipleOf: units[unit].alignment)
            top = offsets[unit] + units[unit].size
        }
        return offsets
    }
}
