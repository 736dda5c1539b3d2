/// Plans the placement of buffers in one arena. Pure: same request, same plan.
public enum Planner {
    /// Overlapping pairs above which best fit is skipped: about 10^7, or under a second of
    /// best-fit placement on this project's 2-core machine.
    public static let defaultBestFitWorkLimit = 10_000_000

    /// The in-place takeovers ``plan(_:stepCount:strategies:bestFitWorkLimit:)`` makes for
    /// these buffers, chosen by the same rule, without placing anything: for a caller that
    /// places some buffers elsewhere and must keep them in place together.
    /// - Throws: ``PlannerError`` for the first invalid input, as `plan` does.
    /// - Complexity: O(n + total candidates) for n buffers.
    public static func takeovers(_ buffers: [Buffer], stepCount: Int) throws(PlannerError) -> [InPlaceAlias] {
        try PlannerError.check(buffers, stepCount: stepCount)
        return PlacementProblem(checked: buffers, stepCount: stepCount).aliases
    }

    /// Checks the request, chooses the in-place takeovers, runs each requested strategy and keeps
    /// the smallest arena (ties go to the strategy declared first in ``Strategy``).
    ///
    /// Takeovers are chosen once, before the strategies run: buffers in index order each take
    /// their first legal, not yet taken candidate (see ``Buffer/inPlaceCandidates``), unless
    /// that would close a cycle. A chain of takeovers then shares one slot of its first buffer's
    /// size, reserved from that buffer's first step to the last member's last step.
    ///
    /// - Parameters:
    ///   - buffers: The buffers; their indices name them everywhere.
    ///   - stepCount: The number of steps of the schedule; every step named must be below it.
    ///   - strategies: The strategies to try; order and repeats do not matter. With
    ///     ``Strategy/firstFitByStart`` among them the arena is at most the eager one, with
    ///     ``Strategy/noReuse`` at most the naive one (both run by default).
    /// - Returns: The best plan, with statistics.
    /// - Throws: ``PlannerError`` for the first invalid input, checking buffers in index order.
    /// - Complexity: For n buffers over T steps, per strategy O(n log n + T log T) plus one
    ///   placement per buffer. A placement reads and updates the merged span lists of
    ///   O(log T) nodes of a segment tree over the steps, and costs O(k log log T) for the k spans
    ///   it reads, k being at most the number of placed buffers live during the buffer's lifetime
    ///   (fewer where neighbouring buffers merge into one span): near n log n in all when few
    ///   buffers are live at once, up to n · L when L are. 10^5 buffers with a few dozen live at a
    ///   time plan in about half a second, all strategies together.
    ///
    ///   The best-fit strategies (``Strategy/greedyBySize``, ``Strategy/greedyByBreadth``) are
    ///   skipped when the request has more than `bestFitWorkLimit` pairs of buffers whose
    ///   lifetimes overlap (their worst-case work): first fit by start and no reuse, both O(n log n),
    ///   still run, so the plan is never worse than eager. The limit is a count, not a clock, so the
    ///   plan stays deterministic; ``Plan/arenaSizeByStrategy`` lists what ran.
    public static func plan(
        _ buffers: [Buffer], stepCount: Int, strategies: [Strategy] = Strategy.allCases,
        bestFitWorkLimit: Int = defaultBestFitWorkLimit
    ) throws(PlannerError) -> Plan {
        try PlannerError.check(buffers, stepCount: stepCount)
        guard !strategies.isEmpty else { throw .noStrategies }
        let problem = PlacementProblem(checked: buffers, stepCount: stepCount)
        let bestFitAffordable = problem.overlappingPairs <= bestFitWorkLimit

        var placer = Placer(problem)
        let eagerLayout = problem.firstFitByStart(using: &placer)
        var best: (strategy: Strategy, offsets: [Int], arenaSize: Int)?
        var results: [StrategyResult] = []
        for strategy in Strategy.allCases where strategies.contains(strategy) {
            if strategy.isBestFit && !bestFitAffordable && strategies.contains(where: { !$0.isBestFit }) { continue }
            let unitOffsets =
                switch strategy {
                case .greedyBySize: problem.greedyBySize(using: &placer)
                case .greedyByBreadth: problem.greedyByBreadth(using: &placer)
                case .firstFitByStart: eagerLayout
                case .noReuse: problem.noReuse()
                }
            let (offsets, arenaSize) = problem.layout(unitOffsets: unitOffsets)
            results.append(StrategyResult(strategy: strategy, arenaSize: arenaSize))
            if best == nil || arenaSize < best!.arenaSize {
                best = (strategy, offsets, arenaSize)
            }
        }
        let winner = best!

        let liveBytes = liveBytesPerStep(buffers, stepCount: stepCount, aliases: problem.aliases)
        let eager = EagerSimulation(problem, firstFitByStart: eagerLayout)
        let statistics = PlanStatistics(
            lowerBound: liveBytes.max() ?? 0,
            naive: buffers.reduce(0) { $0 + roundUp($1.size, toMultipleOf: $1.alignment) },
            eager: eager.highWater,
            planned: winner.arenaSize,
            liveBytes: liveBytes,
            eagerHighWater: eager.highWaterPerStep)
        return Plan(
            buffers: buffers, stepCount: stepCount, offsets: winner.offsets, arenaSize: winner.arenaSize,
            strategy: winner.strategy, aliases: problem.aliases, arenaSizeByStrategy: results,
            statistics: statistics)
    }
}
