import Testing
@testable import MemoryPlanner

@Suite struct EdgeCaseTests {
    @Test func noBuffers() throws {
        for steps in [0, 3] {
            let plan = try Planner.plan([], stepCount: steps)
            try plan.validate()
            #expect(plan.arenaSize == 0 && plan.offsets.isEmpty && plan.aliases.isEmpty)
            #expect(plan.statistics == PlanStatistics(
                lowerBound: 0, naive: 0, eager: 0, planned: 0,
                liveBytes: Array(repeating: 0, count: steps), eagerHighWater: Array(repeating: 0, count: steps)))
            #expect(plan.statistics.fragmentation == 0)
        }
    }

    @Test func zeroSizeBuffers() throws {
        let buffers = [
            Buffer(size: 0, firstStep: 0, lastStep: 2),
            Buffer(size: 64, firstStep: 0, lastStep: 2),
            Buffer(size: 0, alignment: 1024, firstStep: 1, lastStep: 1, isPinned: true),
            Buffer(size: 0, firstStep: 2, lastStep: 2, inPlaceCandidates: [1]),
        ]
        let plan = try Planner.plan(buffers, stepCount: 3)
        try plan.validate()
        #expect(plan.offsets == [0, 0, 0, 0])
        #expect(plan.arenaSize == 64)
        #expect(plan.aliases == [InPlaceAlias(buffer: 3, reuses: 1, step: 2)])
        #expect(plan.statistics.naive == 64)
        #expect(plan.statistics.liveBytes == [64, 64, 64])
    }

    @Test func onlyZeroSizeBuffers() throws {
        let plan = try Planner.plan([Buffer(size: 0, firstStep: 0, lastStep: 0)], stepCount: 1)
        try plan.validate()
        #expect(plan.arenaSize == 0 && plan.statistics.fragmentation == 0)
    }

    @Test func oneBuffer() throws {
        let plan = try Planner.plan([Buffer(size: 100, firstStep: 1, lastStep: 1)], stepCount: 3)
        try plan.validate()
        #expect(plan.offsets == [0] && plan.arenaSize == 100)
        #expect(plan.statistics == PlanStatistics(
            lowerBound: 100, naive: 128, eager: 100, planned: 100, liveBytes: [0, 100, 0], eagerHighWater: [0, 100, 0]))
        #expect(plan.strategy == .greedyBySize)
    }

    @Test func allPinned() throws {
        let buffers = (0..<4).map { Buffer.pinned(size: 64 * ($0 + 1)) }
        let plan = try Planner.plan(buffers, stepCount: 5)
        try plan.validate()
        #expect(plan.arenaSize == 640)
        #expect(plan.statistics.lowerBound == 640 && plan.statistics.naive == 640)
        #expect(plan.statistics.liveBytes == Array(repeating: 640, count: 5))
        #expect(plan.statistics.fragmentation == 0)
        // Largest first.
        #expect(plan.offsets == [576, 448, 256, 0])
    }

    @Test func pinnedBuffersNeverTakeOverOrAreTakenOver() throws {
        let buffers = [
            Buffer(size: 64, firstStep: 0, lastStep: 1, isPinned: true),
            Buffer(size: 64, firstStep: 1, lastStep: 2, inPlaceCandidates: [0]),
            Buffer(size: 64, firstStep: 2, lastStep: 2, isPinned: true, inPlaceCandidates: [1]),
        ]
        let plan = try Planner.plan(buffers, stepCount: 3)
        try plan.validate()
        #expect(plan.aliases.isEmpty)
        #expect(plan.arenaSize == 192)
    }

    @Test func illegalCandidatesAreSkippedNotReported() throws {
        let buffers = [
            Buffer(size: 64, firstStep: 0, lastStep: 1),
            Buffer(size: 32, alignment: 32, firstStep: 0, lastStep: 2),
            Buffer(size: 128, firstStep: 2, lastStep: 3),
            // Too large for 0, wrong step for 2, 1 fits (its last step 2 is our first step).
            Buffer(size: 32, alignment: 32, firstStep: 2, lastStep: 3, inPlaceCandidates: [2, 0, 1]),
        ]
        let plan = try Planner.plan(buffers, stepCount: 4)
        try plan.validate()
        #expect(plan.aliases == [InPlaceAlias(buffer: 3, reuses: 1, step: 2)])
    }

    @Test func fragmentationIsTheExcessOverTheLowerBound() throws {
        let plan = try Planner.plan([Buffer(size: 100, firstStep: 0, lastStep: 0), Buffer(size: 100, firstStep: 0, lastStep: 0)], stepCount: 1)
        #expect(plan.arenaSize == 228 && plan.statistics.lowerBound == 200)
        #expect(plan.statistics.fragmentation == 0.14)
    }

    @Test func mixedAlignmentsNeverExceedNaive() throws {
        // Best fit puts the 65-byte buffer first and pads the 64-aligned one up to 128;
        // the no-reuse layout stacks by alignment and needs only 129.
        let buffers = [
            Buffer(size: 65, alignment: 1, firstStep: 0, lastStep: 0),
            Buffer(size: 64, alignment: 64, firstStep: 0, lastStep: 0),
        ]
        let plan = try Planner.plan(buffers, stepCount: 1)
        try plan.validate()
        #expect(plan.arenaSizeByStrategy.first { $0.strategy == .greedyBySize }?.arenaSize == 192)
        #expect(plan.strategy == .noReuse && plan.arenaSize == 129 && plan.statistics.naive == 129)
    }

    @Test func aLargeRandomScheduleIsValid() throws {
        var rng = SplitMix64(state: 2024)
        let stepCount = 3000
        let buffers = (0..<3000).map { i in
            let length = Int.random(in: 0..<20, using: &rng) == 0 ? Int.random(in: 0..<1500, using: &rng) : Int.random(in: 0...3, using: &rng)
            return Buffer(size: Int.random(in: 1...100_000, using: &rng), firstStep: i, lastStep: min(stepCount - 1, i + length),
                          isPinned: i % 500 == 0, inPlaceCandidates: i > 0 && i % 3 == 0 ? [i - 1] : [])
        }
        let plan = try Planner.plan(buffers, stepCount: stepCount)
        try plan.validate()
        #expect(!plan.aliases.isEmpty)
        #expect(plan.statistics.lowerBound <= plan.arenaSize && plan.arenaSize <= plan.statistics.eager)
    }
}
