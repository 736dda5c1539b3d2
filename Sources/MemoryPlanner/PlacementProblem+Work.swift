extension PlacementProblem {
    /// Pairs of units whose lifetimes overlap, counted as Σ over units of the units
    /// live at its first step (itself excluded): the work a best-fit placement does
    /// in the worst case, since each placement may read every placed unit live
    /// during its lifetime. O(n + T).
    var overlappingPairs: Int {
        var starting = [Int](repeating: 0, count: stepCount + 1)
        var ending = [Int](repeating: 0, count: stepCount + 1)
        for unit in units {
            starting[unit.first] += 1
            ending[unit.last] += 1
        }
        var pairs = 0, live = 0  // `live`: units started before `step` and not yet ended
        for step in 0..<stepCount {
            // Each unit starting here overlaps those live and the others starting here.
            pairs += live * starting[step] + starting[step] * (starting[step] - 1) / 2
            live += starting[step] - ending[step]
        }
        return pairs
    }
}
