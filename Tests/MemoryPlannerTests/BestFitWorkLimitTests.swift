import Testing
@testable import MemoryPlanner

@Suite struct BestFitWorkLimitTests {
    /// n buffers all live over the same steps: every pair overlaps.
    func crowd(_ n: Int) -> [Buffer] {
        (0..<n).map { Buffer(size: 64 * ($0 % 5 + 1), firstStep: $0 % 3, lastStep: 3 + $0 % 4) }
    }

    @Test func overlappingPairsMatchABruteForceCount() throws {
        for seed in 0..<50 {
            var rng = seed &* 7919 &+ 13
            func next(_ bound: Int) -> Int { rng = (rng &* 1_103_515_245 &+ 12345) & 0x7fff_ffff; return rng % bound }
            let steps = 1 + next(12)
            let buffers = (0..<next(30)).map { _ -> Buffer in
                let first = next(steps)
                return Buffer(size: 1 + next(200), firstStep: first, lastStep: first + next(steps - first))
            }
            let problem = PlacementProblem(checked: buffers, stepCount: steps)
            var brute = 0
            for (i, a) in problem.units.enumerated() {
                for b in problem.units[(i + 1)...] where a.first <= b.last && b.first <= a.last { brute += 1 }
            }
            #expect(problem.overlappingPairs == brute, "seed \(seed)")
        }
    }

    @Test func bestFitIsSkippedAboveTheLimitAndThePlanStaysValid() throws {
        let buffers = crowd(40)  // 780 overlapping pairs
        let limited = try Planner.plan(buffers, stepCount: 8, bestFitWorkLimit: 100)
        try limited.validate()
        #expect(limited.arenaSizeByStrategy.map(\.strategy) == [.firstFitByStart, .noReuse])
        #expect(limited.arenaSize <= limited.statistics.eager)
        let full = try Planner.plan(buffers, stepCount: 8, bestFitWorkLimit: 1000)
        #expect(full.arenaSizeByStrategy.map(\.strategy) == Strategy.allCases)
        #expect(full.arenaSize <= limited.arenaSize)
        // Asked for best fit alone, the planner runs it whatever the limit.
        let only = try Planner.plan(buffers, stepCount: 8, strategies: [.greedyBySize], bestFitWorkLimit: 1)
        #expect(only.strategy == .greedyBySize)
    }
}
