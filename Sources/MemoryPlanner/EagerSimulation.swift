/// The eager baseline: allocate at first write, free after last read, first fit.
///
/// Steps run in schedule order; at step `s` every unit (buffer, or in-place chain, which keeps
/// its head's block) whose first step is `s` is allocated, in index order, at the lowest aligned
/// offset where it fits between the blocks allocated then; after step `s` every unit whose last
/// step is `s` is freed. The blocks allocated when a unit starting at `s` is allocated are
/// exactly the units placed before it (earlier first step, or same step and lower index) that
/// overlap it in time, so the simulation is ``PlacementProblem/firstFitByStart()``; this type
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
