/// How a plan's arena compares with the bounds and baselines, and the memory timelines behind
/// them. All sizes in bytes.
public struct PlanStatistics: Sendable, Hashable {
    /// The most bytes live at any one step: `liveBytes.max()`, 0 without steps. No plan with the
    /// same takeovers can use less.
    public var lowerBound: Int
    /// No reuse at all: the sum of every buffer's size rounded up to its alignment.
    public var naive: Int
    /// The high-water mark of a first-fit allocator that allocates each buffer when first written
    /// and frees it after its last read, stepping through the schedule (in-place takeovers
    /// included: a taker keeps the block it takes over).
    public var eager: Int
    /// The plan's arena size.
    public var planned: Int
    /// Bytes live at each step (one entry per step). A pinned buffer is live at every step.
    /// At a takeover's hand-over step the shared slot counts once, at the size of the buffer
    /// handed over (which is at least the taker's); the taker counts from the next step on.
    /// Sizes count without alignment padding.
    public var liveBytes: [Int]
    /// For each step, the top of the eager allocator's highest block allocated at that step
    /// (one entry per step); its maximum is `eager`.
    public var eagerHighWater: [Int]

    public init(lowerBound: Int, naive: Int, eager: Int, planned: Int, liveBytes: [Int], eagerHighWater: [Int]) {
        self.lowerBound = lowerBound
        self.naive = naive
        self.eager = eager
        self.planned = planned
        self.liveBytes = liveBytes
        self.eagerHighWater = eagerHighWater
    }

    /// `(planned - lowerBound) / lowerBound`: the arena's excess over the lower bound, as a fraction
    /// of it; 0 when the lower bound is 0.
    public var fragmentation: Double {
        lowerBound == 0 ? 0 : Double(planned - lowerBound) / Double(lowerBound)
    }
}
