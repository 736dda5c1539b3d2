/// The eager baseline: allocate at first write, free after last read, first fit.
///
/// Steps run in schedule order; at step `s` every unit (buffer, or in-place chain, which keeps
/// its head's block) whose first step is `s` is allocated, in index order, at the lowest aligned
/// offset where it fits between the blocks allocated then; after step `s` every unit whose last
/// step is `s` is freed. The blocks allocated when a unit starting at `s` is allocated are
/// exactly the units placed before it (earlier first step, or same step and lower index) that
/// overlap it in time, so the simulation is ``PlacementProblem/firstFitByStart(using:)``; this type
/// reads the allocator's high-water marks off that layout.
struct EagerSimulation {
    /// The allocator's high-water mark over the run, in bytes.
    let highWater: Int
    /// For each step, the end of the highest block allocated at that step, in bytes.
    let highWaterPerStep: [Int]

    /// O(n log T + T) given the first-fit-by-start layout.
    init(_ problem: PlacementProblem, firstFitByStart unitOffsets: [Int]) {
        let blocks = problem.units.indices.map { index in
            let unit = problem.units[index]
            return (first: unit.first, last: unit.last,
                    value: unitOffsets[index] * problem.quantum + problem.buffers[unit.head].size)
        }
        highWaterPerStep = maximumPerStep(stepCount: problem.stepCount, blocks)
        highWater = highWaterPerStep.max() ?? 0
    }
}

/// For each step of `0..<stepCount`, the largest `value` among the intervals that contain it
/// (0 if none). A segment tree: each interval raises O(log T) nodes, then one pass pushes the
/// maxima down to the leaves. O(n log T + T).
func maximumPerStep(stepCount: Int, _ intervals: [(first: Int, last: Int, value: Int)]) -> [Int] {
    var base = 1
    while base < stepCount { base <<= 1 }
    var tree = [Int](repeating: 0, count: 2 * base)
    for interval in intervals {
        var left = interval.first + base, right = interval.last + base + 1
        while left < right {
            if left & 1 == 1 { tree[left] = max(tree[left], interval.value); left += 1 }
            if right & 1 == 1 { right -= 1; tree[right] = max(tree[right], interval.value) }
            left >>= 1
            right >>= 1
        }
    }
    for node in 2..<(2 * base) { tree[node] = max(tree[node], tree[node >> 1]) }
    return Array(tree[base..<(base + stepCount)])
}
