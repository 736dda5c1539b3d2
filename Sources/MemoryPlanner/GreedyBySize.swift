extension PlacementProblem {
    /// ``Strategy/greedyBySize``: largest unit first (ties by index), best fit.
    /// O(n log n) to sort, plus a placement per unit (see ``OccupancyIndex``).
    func greedyBySize() -> [Int] {
        place(inOrder: unitOrder { $0.size > $1.size }, fit: .best)
    }
}
