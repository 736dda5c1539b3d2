extension PlacementProblem {
    /// ``Strategy/greedyBySize``: largest unit first (ties by index), best fit.
    /// O(n log n) to sort, plus a placement per unit (see ``OccupancyIndex``).
    func greedyBySize(using placer: inout Placer) -> [Int] {
        place(inOrder: unitOrder(byIncreasing: { -$0.size }), fit: .best, using: &placer)
    }
}
