import PropertyBased
import Testing
@testable import MemoryPlanner

/// Properties over thousands of random requests (see `randomProblem`).
@Suite struct PlannerPropertyTests {
    @Test func plansAreValidAndWithinBounds() async {
        await propertyCheck(count: 1500, input: problems()) { problem in
            let plan = try Planner.plan(problem.buffers, stepCount: problem.stepCount)
            try plan.validate()
            let s = plan.statistics
            #expect(s.lowerBound <= s.planned)
            #expect(s.planned <= s.naive)
            #expect(s.lowerBound <= s.eager)
            #expect(s.planned <= s.eager)  // first fit by start is the eager layout
            #expect(s.planned == plan.arenaSize)
            #expect(s.liveBytes.count == problem.stepCount && s.eagerHighWater.count == problem.stepCount)
            #expect(s.lowerBound == (s.liveBytes.max() ?? 0))
            #expect(plan.arenaSizeByStrategy.map(\.strategy) == Strategy.allCases)
            #expect(plan.arenaSize == plan.arenaSizeByStrategy.map(\.arenaSize).min())
            #expect(plan.strategy == plan.arenaSizeByStrategy.first { $0.arenaSize == plan.arenaSize }!.strategy)
        }
    }

    /// `Planner.takeovers` names exactly the plan's in-place takeovers.
    @Test func takeoversAreThePlansAliases() async {
        await propertyCheck(count: 500, input: problems()) { problem in
            let plan = try Planner.plan(problem.buffers, stepCount: problem.stepCount)
            #expect(try Planner.takeovers(problem.buffers, stepCount: problem.stepCount) == plan.aliases)
        }
    }

    @Test func everyStrategyAloneGivesAValidPlan() async {
        await propertyCheck(count: 500, input: problems()) { problem in
            for strategy in Strategy.allCases {
                let plan = try Planner.plan(problem.buffers, stepCount: problem.stepCount, strategies: [strategy])
                try plan.validate()
                #expect(plan.strategy == strategy)
                #expect(plan.statistics.lowerBound <= plan.arenaSize)
            }
        }
    }

    @Test func planningIsDeterministic() async {
        await propertyCheck(count: 500, input: problems()) { problem in
            let first = try Planner.plan(problem.buffers, stepCount: problem.stepCount)
            let second = try Planner.plan(problem.buffers, stepCount: problem.stepCount)
            #expect(first == second)
            let reordered = try Planner.plan(
                problem.buffers, stepCount: problem.stepCount, strategies: Strategy.allCases.reversed() + [.noReuse])
            #expect(first == reordered)
        }
    }

    @Test func takeoversAreLegalAndListed() async {
        await propertyCheck(count: 1000, input: problems()) { problem in
            let plan = try Planner.plan(problem.buffers, stepCount: problem.stepCount)
            var takers = Set<Int>(), reused = Set<Int>()
            for alias in plan.aliases {
                let taker = problem.buffers[alias.buffer], old = problem.buffers[alias.reuses]
                #expect(taker.inPlaceCandidates.contains(alias.reuses))
                #expect(old.lastStep == taker.firstStep && alias.step == taker.firstStep)
                #expect(taker.size <= old.size && taker.alignment <= old.alignment)
                #expect(!taker.isPinned && !old.isPinned)
                #expect(plan.offsets[alias.buffer] == plan.offsets[alias.reuses])
                #expect(takers.insert(alias.buffer).inserted && reused.insert(alias.reuses).inserted)
            }
            #expect(plan.aliases.map(\.buffer) == plan.aliases.map(\.buffer).sorted())
        }
    }

    @Test func liveBytesCountEachChainOnceAtItsLargestLiveMember() async {
        await propertyCheck(count: 1000, input: problems()) { problem in
            let plan = try Planner.plan(problem.buffers, stepCount: problem.stepCount)
            #expect(plan.statistics.liveBytes == bruteForceLiveBytes(plan))
        }
    }

    @Test func eagerMatchesALiteralFirstFitAllocator() async {
        await propertyCheck(count: 1000, input: problems()) { problem in
            let plan = try Planner.plan(problem.buffers, stepCount: problem.stepCount)
            let literal = literalEagerHighWater(problem.buffers, stepCount: problem.stepCount, aliases: plan.aliases)
            #expect(plan.statistics.eagerHighWater == literal)
            #expect(plan.statistics.eager == (literal.max() ?? 0))
        }
    }

    /// The indexed placement gives exactly the layouts of a brute-force scan over all placed units.
    @Test func placementMatchesABruteForceScan() async {
        await propertyCheck(count: 1000, input: problems(maxBuffers: 40)) { problem in
            let p = PlacementProblem(checked: problem.buffers, stepCount: problem.stepCount)
            var placer = Placer(p)
            let bySize = p.unitOrder(byIncreasing: { -$0.size })
            #expect(p.greedyBySize(using: &placer) == referencePlacement(p.units, order: bySize, bestFit: true))
            let byStart = p.unitOrder(byIncreasing: \.first)
            #expect(p.firstFitByStart(using: &placer) == referencePlacement(p.units, order: byStart, bestFit: false))
            let byBreadth = referenceBreadthOrder(p.units, stepCount: problem.stepCount)
            #expect(p.breadthOrder() == byBreadth)
            #expect(p.greedyByBreadth(using: &placer) == referencePlacement(p.units, order: byBreadth, bestFit: true))
        }
    }

    /// Long schedules, where the index has several levels, against the brute-force scan.
    @Test func placementMatchesABruteForceScanOnLongSchedules() {
        var rng = SplitMix64(state: 7)
        for _ in 0..<30 {
            let stepCount = Int.random(in: 100...4000, using: &rng)
            let buffers = (0..<Int.random(in: 50...300, using: &rng)).map { _ in
                let first = Int.random(in: 0..<stepCount, using: &rng)
                let length = Int.random(in: 0..<10, using: &rng) == 0 ? Int.random(in: 0..<stepCount, using: &rng) : Int.random(in: 0...20, using: &rng)
                return Buffer(size: 64 * Int.random(in: 1...16, using: &rng), firstStep: first,
                              lastStep: min(stepCount - 1, first + length), isPinned: Int.random(in: 0..<40, using: &rng) == 0)
            }
            let p = PlacementProblem(checked: buffers, stepCount: stepCount)
            var placer = Placer(p)
            #expect(p.greedyBySize(using: &placer) == referencePlacement(p.units, order: p.unitOrder(byIncreasing: { -$0.size }), bestFit: true))
            #expect(p.firstFitByStart(using: &placer) == referencePlacement(p.units, order: p.unitOrder(byIncreasing: \.first), bestFit: false))
            if stepCount <= 1500 {  // the brute-force breadth order costs steps × buffers
                let byBreadth = referenceBreadthOrder(p.units, stepCount: stepCount)
                #expect(p.greedyByBreadth(using: &placer) == referencePlacement(p.units, order: byBreadth, bestFit: true))
            }
            let plan = try! Planner.plan(buffers, stepCount: stepCount)
            #expect(throws: Never.self) { try plan.validate() }
        }
    }
}
