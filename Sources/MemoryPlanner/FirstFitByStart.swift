extension PlacementProblem {
    /// ``Strategy/firstFitByStart``: units in order of first step (ties by index), first fit.
    ///
    /// Placing in this order against the placed units that overlap in time is exactly what a
    /// first-fit allocator does when it allocates at first write and frees after last read: when a
    /// unit starting at step `s` is placed, the placed units that overlap it are those allocated
    /// at or before `s` and not yet freed. So this is also the eager layout (see ``EagerSimulation``).
    /// O(n log n) to sort, plus a placement per unit.
    func firstFitByStart(using placer: inout Placer) -> [Int] {
        place(inOrder: unitOrder(byIncreasing: \.first), fit: .first, using: &placer)
    }
}
