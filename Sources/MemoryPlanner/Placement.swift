/// The placement routine every strategy shares: put units one at a time into the gaps that the
/// units already placed leave at the steps where the new unit is live.
///
/// One placer serves every strategy of a plan in turn (``reset()`` between them), so the index
/// is built once.
struct Placer {
    private var index: OccupancyIndex
    /// Unit offsets, in units; -1 while unplaced.
    private(set) var offsets: [Int]

    init(_ problem: PlacementProblem) {
        index = OccupancyIndex(units: problem.units, stepCount: problem.stepCount)
        offsets = Array(repeating: -1, count: problem.units.count)
    }

    /// Unplaces every unit.
    mutating func reset() {
        index.removeAll()
        offsets.withUnsafeMutableBufferPointer { $0.update(repeating: -1) }
    }

    /// Places the units of `order` (not placed yet), in that order, where `fit` says; see
    /// ``OccupancyIndex`` for the cost of each.
    mutating func place(inOrder order: [Int], fit: Fit) {
        // The units' entries, copied in placement order, are then read in sequence: the units
        // come in an order unrelated to time, and their scattered entries would each cost a
        // cache miss on the way.
        let entries = order.map { index.entries[$0] }
        for (unit, entry) in zip(order, entries) {
            let offset = index.offset(for: entry, fit: fit)
            index.insert(entry, at: offset)
            offsets[unit] = offset
        }
    }
}

extension PlacementProblem {
    /// Places every unit in `order` (a permutation of the unit indices) with `fit`, using
    /// `placer` after resetting it; returns unit offsets.
    func place(inOrder order: [Int], fit: Fit, using placer: inout Placer) -> [Int] {
        placer.reset()
        placer.place(inOrder: order, fit: fit)
        return placer.offsets
    }

    /// Unit indices by increasing `key`, ties by index (so the order is deterministic).
    /// O(n log n).
    func unitOrder(byIncreasing key: (PlacementUnit) -> Int) -> [Int] {
        var keyed = units.indices.map { (key(units[$0]), $0) }
        keyed.sort(by: <)
        return keyed.map(\.1)
    }
}
