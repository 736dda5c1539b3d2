extension PlacementProblem {
    /// ``Strategy/greedyByBreadth``: steps by decreasing breadth (the units live at the step,
    /// summed in arena units; ties by step), and at each step its units not yet placed, largest
    /// first (ties by index), best fit.
    ///
    /// Which units a step places does not depend on where earlier ones went, so the order is
    /// worked out first and the units then placed in it like any other order: a unit is placed
    /// at the first step, in breadth order, where it is live, the one of least rank in its
    /// lifetime, found by a range-minimum query. O(T log T + n log T + n log n), plus a placement
    /// per unit (see ``OccupancyIndex``).
    func greedyByBreadth(using placer: inout Placer) -> [Int] {
        place(inOrder: breadthOrder(), fit: .best, using: &placer)
    }

    /// The units in greedy-by-breadth order.
    func breadthOrder() -> [Int] {
        var breadth = [Int](repeating: 0, count: stepCount + 1)
        for unit in units {
            breadth[unit.first] += unit.size
            breadth[unit.last + 1] -= unit.size
        }
        for step in 0..<stepCount { breadth[step + 1] += breadth[step] }
        let stepsByBreadth = (0..<stepCount).map { (-breadth[$0], $0) }.sorted(by: <).map(\.1)

        // A min segment tree over the steps' ranks in that order.
        var base = 1
        while base < stepCount { base <<= 1 }
        var tree = [Int](repeating: .max, count: 2 * base)
        for (rank, step) in stepsByBreadth.enumerated() { tree[base + step] = rank }
        for node in stride(from: base - 1, through: 1, by: -1) { tree[node] = min(tree[2 * node], tree[2 * node + 1]) }
        func leastRank(_ first: Int, _ last: Int) -> Int {
            var least = Int.max, left = first + base, right = last + base + 1
            while left < right {
                if left & 1 == 1 { least = min(least, tree[left]); left += 1 }
                if right & 1 == 1 { right -= 1; least = min(least, tree[right]) }
                left >>= 1
                right >>= 1
            }
            return least
        }
        var keyed = units.indices.map { (leastRank(units[$0].first, units[$0].last), -units[$0].size, $0) }
        keyed.sort(by: <)
        return keyed.map(\.2)
    }
}
