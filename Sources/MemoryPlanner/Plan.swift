/// Where every buffer lives in one arena, with the request it answers and how it compares.
///
/// Made by ``Planner/plan(_:stepCount:strategies:)``; ``validate()`` checks it.
public struct Plan: Sendable, Hashable {
    /// The buffers planned, as given.
    public let buffers: [Buffer]
    /// The number of steps of the schedule.
    public let stepCount: Int
    /// The byte offset of each buffer in the arena (0 for zero-size buffers), aligned to its
    /// alignment. A buffer that takes over another in place has that buffer's offset.
    public let offsets: [Int]
    /// The arena size in bytes: the largest `offsets[i] + buffers[i].size`, 0 if none.
    public let arenaSize: Int
    /// The strategy whose layout this is.
    public let strategy: Strategy
    /// The in-place takeovers made, sorted by taking buffer.
    public let aliases: [InPlaceAlias]
    /// The arena size each strategy that ran reached, in ``Strategy`` declaration order.
    public let arenaSizeByStrategy: [StrategyResult]
    /// Bounds, baselines and timelines.
    public let statistics: PlanStatistics

    init(
        buffers: [Buffer], stepCount: Int, offsets: [Int], arenaSize: Int, strategy: Strategy,
        aliases: [InPlaceAlias], arenaSizeByStrategy: [StrategyResult], statistics: PlanStatistics
    ) {
        self.buffers = buffers
        self.stepCount = stepCount
        self.offsets = offsets
        self.arenaSize = arenaSize
        self.strategy = strategy
        self.aliases = aliases
        self.arenaSizeByStrategy = arenaSizeByStrategy
        self.statistics = statistics
    }
}

/// The arena size one strategy reached.
public struct StrategyResult: Sendable, Hashable {
    public var strategy: Strategy
    public var arenaSize: Int

    public init(strategy: Strategy, arenaSize: Int) {
        self.strategy = strategy
        self.arenaSize = arenaSize
    }
}
