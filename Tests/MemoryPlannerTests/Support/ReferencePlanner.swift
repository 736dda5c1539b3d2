@testable import MemoryPlanner

// Slow, obviously correct versions of what the planner computes, to compare against.

/// TFLite-style placement: for each unit in `order`, look at every placed unit that overlaps it
/// in time, sorted by offset, and take the smallest gap that fits (`bestFit`) or the lowest one,
/// else the top. O(n^2 log n). Works on the planner's units (offsets in units).
func referencePlacement(_ units: [PlacementUnit], order: [Int], bestFit: Bool) -> [Int] {
    var offsets = [Int?](repeating: nil, count: units.count)
    for u in order {
        let me = units[u]
        let taken = units.indices
            .filter { offsets[$0] != nil && units[$0].first <= me.last && me.first <= units[$0].last }
            .map { (start: offsets[$0]!, end: offsets[$0]! + units[$0].size) }
            .sorted { $0.start < $1.start }
        var chosen: Int? = nil, chosenGap = Int.max, top = 0
        for block in taken {
            let candidate = (top + me.alignment - 1) / me.alignment * me.alignment
            if block.start > top && candidate + me.size <= block.start {
                let gap = block.start - top
                if chosen == nil || (bestFit && gap < chosenGap) { chosen = candidate; chosenGap = gap }
                if !bestFit { break }
            }
            top = max(top, block.end)
        }
        offsets[u] = chosen ?? (top + me.alignment - 1) / me.alignment * me.alignment
    }
    return offsets.map { $0! }
}

/// A literal eager allocator, in bytes: steps in order; at each, allocate (first fit, in index
/// order) every chain of takeovers whose first buffer starts there, keeping that buffer's size;
/// record the top of the allocated blocks; then free the chains whose last buffer ends there.
/// Returns the top per step.
func literalEagerHighWater(_ buffers: [Buffer], stepCount: Int, aliases: [InPlaceAlias]) -> [Int] {
    var takerOf = [Int?](repeating: nil, count: buffers.count)
    var isTaker = [Bool](repeating: false, count: buffers.count)
    for alias in aliases { takerOf[alias.reuses] = alias.buffer; isTaker[alias.buffer] = true }
    struct Chain { var head: Int; var first: Int; var last: Int }
    var chains: [Chain] = []
    for head in buffers.indices where !isTaker[head] && buffers[head].size > 0 {
        var tail = head
        while let next = takerOf[tail] { tail = next }
        let b = buffers[head]
        chains.append(Chain(head: head, first: b.isPinned ? 0 : b.firstStep,
                            last: buffers[tail].isPinned ? stepCount - 1 : buffers[tail].lastStep))
    }
    var allocated: [(start: Int, end: Int, chain: Int)] = []  // sorted by start
    var highWater: [Int] = []
    for step in 0..<stepCount {
        for (c, chain) in chains.enumerated() where chain.first == step {
            let size = buffers[chain.head].size, alignment = buffers[chain.head].alignment
            var top = 0, place: Int? = nil
            for block in allocated {
                let candidate = (top + alignment - 1) / alignment * alignment
                if candidate + size <= block.start { place = candidate; break }
                top = max(top, block.end)
            }
            let start = place ?? (top + alignment - 1) / alignment * alignment
            allocated.append((start, start + size, c))
            allocated.sort { $0.start < $1.start }
        }
        highWater.append(allocated.map(\.end).max() ?? 0)
        allocated.removeAll { chains[$0.chain].last == step }
    }
    return highWater
}

/// Bytes live per step by brute force: each chain of takeovers counts the largest of its
/// members live at the step, other buffers their size.
func bruteForceLiveBytes(_ plan: Plan) -> [Int] {
    let chainOf = chains(plan)
    return (0..<plan.stepCount).map { step in
        var largest: [Int: Int] = [:]
        for (b, buffer) in plan.buffers.enumerated()
        where buffer.isPinned || (buffer.firstStep...buffer.lastStep).contains(step) {
            largest[chainOf[b]] = max(largest[chainOf[b], default: 0], buffer.size)
        }
        return largest.values.reduce(0, +)
    }
}

/// Greedy-by-breadth order by brute force: steps by decreasing total unit size live there (ties
/// by step), and at each the units live there not yet taken, largest first (ties by index).
func referenceBreadthOrder(_ units: [PlacementUnit], stepCount: Int) -> [Int] {
    let breadth = (0..<stepCount).map { step in units.filter { $0.first <= step && step <= $0.last }.map(\.size).reduce(0, +) }
    let steps = (0..<stepCount).filter { breadth[$0] > 0 }.sorted { breadth[$0] != breadth[$1] ? breadth[$0] > breadth[$1] : $0 < $1 }
    var taken = Set<Int>(), order: [Int] = []
    for step in steps {
        let batch = units.indices.filter { !taken.contains($0) && units[$0].first <= step && step <= units[$0].last }
            .sorted { units[$0].size != units[$1].size ? units[$0].size > units[$1].size : $0 < $1 }
        order += batch
        taken.formUnion(batch)
    }
    return order
}
