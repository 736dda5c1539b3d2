/// The placement routine every strategy shares: put units one at a time into the gaps that the
/// units already placed leave at the steps where the new unit is live.
struct Placer {
    let units: [PlacementUnit]
    private var index: OccupancyIndex
    /// Unit offsets, in units; -1 while unplaced.
    private(set) var offsets: [Int]

    init(_ problem: PlacementProblem) {
        units = problem.units
        index = OccupancyIndex(stepCount: problem.stepCount)
        offsets = Array(repeating: -1, count: problem.units.count)
    }

    func isPlaced(_ unit: Int) -> Bool { offsets[unit] >= 0 }

    /// Places `unit` (which must not be placed yet) where `fit` says. O(log T) unions updated and
    /// read, see ``OccupancyIndex``.
    mutating func place(_ unit: Int, fit: Fit) {
        let u = units[unit]
        let offset = index.offset(size: u.size, alignment: u.alignment, first: u.first, last: u.last, fit: fit)
        index.insert(Span(start: offset, end: offset + u.size), first: u.first, last: u.last)
        offsets[unit] = offset
    }
}

extension PlacementProblem {
    /// Places every unit in `order` (a permutation of the unit indices) with `fit`; returns unit
    /// offsets.
    func place(inOrder order: [Int], fit: Fit) -> [Int] {
        var placer = Placer(self)
        for unit in order { placer.place(unit, fit: fit) }
        return placer.offsets
    }

    /// Unit indices sorted so that `precedes(a, b)` puts `a` before `b`; ties (neither precedes)
    /// by index, so the order is deterministic. O(n log n).
    func unitOrder(_ precedes: (PlacementUnit, PlacementUnit) -> Bool) -> [Int] {
        units.indices.sorted { a, b in
            if precedes(units[a], units[b]) { return true }
            if precedes(units[b], units[a]) { return false }
            return a < b
        }
    }
}
