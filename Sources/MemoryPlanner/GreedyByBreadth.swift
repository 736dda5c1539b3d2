extension PlacementProblem {
    /// ``Strategy/greedyByBreadth``: steps by decreasing breadth (the units live at the step,
    /// summed in arena units; ties by step), and at each step its units not yet placed, largest
    /// first (ties by index), best fit. Steps where nothing is live are skipped.
    ///
    /// Finding a step's unplaced units goes through ``WaitingUnits``, so each unit is looked at
    /// O(log T) times in all, not once per step it is live. O(n log n + T log T), plus a
    /// placement per unit.
    func greedyByBreadth() -> [Int] {
        var breadth = [Int](repeating: 0, count: stepCount + 1)
        for unit in units {
            breadth[unit.first] += unit.size
            breadth[unit.last + 1] -= unit.size
        }
        for step in 0..<stepCount { breadth[step + 1] += breadth[step] }
        let steps = (0..<stepCount).filter { breadth[$0] > 0 }
            .sorted { breadth[$0] != breadth[$1] ? breadth[$0] > breadth[$1] : $0 < $1 }

        var waiting = WaitingUnits(self)
        var placer = Placer(self)
        var batch: [Int] = []
        for step in steps {
            batch.removeAll(keepingCapacity: true)
            waiting.takeUnits(liveAt: step, into: &batch)
            batch.sort { units[$0].size != units[$1].size ? units[$0].size > units[$1].size : $0 < $1 }
            for unit in batch { placer.place(unit, fit: .best) }
        }
        return placer.offsets
    }
}

/// The units not yet handed out, by the steps where they are live: an interval segment tree
/// whose node lists are emptied as they are read. A stabbing query at a step reads the lists on
/// one leaf-to-root path; every unit still in them is live at the step and is handed out, so
/// each list is read in full at most once with new units in it. O(n log T) to build, and
/// O(n log T + T log T) for all queries together.
struct WaitingUnits {
    private let leafBase: Int
    private var lists: [[Int]]
    private var handedOut: [Bool]

    init(_ problem: PlacementProblem) {
        var base = 1
        while base < problem.stepCount { base <<= 1 }
        leafBase = base
        lists = Array(repeating: [], count: 2 * base)
        handedOut = Array(repeating: false, count: problem.units.count)
        for (index, unit) in problem.units.enumerated() {
            var left = unit.first + base, right = unit.last + base + 1
            while left < right {
                if left & 1 == 1 { lists[left].append(index); left += 1 }
                if right & 1 == 1 { right -= 1; lists[right].append(index) }
                left >>= 1
                right >>= 1
            }
        }
    }

    /// Appends to `batch` the units live at `step` that were not handed out before, and hands
    /// them out.
    mutating func takeUnits(liveAt step: Int, into batch: inout [Int]) {
        var node = step + leafBase
        while node >= 1 {
            for unit in lists[node] where !handedOut[unit] {
                handedOut[unit] = true
                batch.append(unit)
            }
            lists[node] = []
            node >>= 1
        }
    }
}
