/// What a program's schedule keeps for its backward pass and what it
/// recomputes, with the effect of the memory-aware order: the companion of
/// `Program.memoryPlan` (which places buffers and knows nothing of values).
public struct MemoryChoices: Sendable {
    /// A value of the forward pass that a backward step reads.
    public struct Value: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable {
            /// Kept in the arena from the forward pass to the backward pass.
            case saved
            /// Recomputed in the backward pass right before it is read.
            case recomputed
        }

        public let kind: Kind
        /// The op (or fused region) that computes it.
        public let op: String
        public let shape: [Int]
        public let bytes: Int
        /// What recomputing it costs (and whether its op allows it); for a saved
        /// value, what it would cost.
        public let recomputation: Recomputation
    }

    public let policy: SavePolicy
    /// Saved and recomputed values, in forward order.
    public let values: [Value]
    /// The lower bound (largest live bytes of one step) of the schedule as
    /// built, and after the memory-aware order.
    public let lowerBoundBeforeOrder: Int
    public let lowerBoundAfterOrder: Int
    /// The planned arena of the schedule as built, and with nothing recomputed
    /// after the order (the order is kept only when it plans smaller).
    public let arenaBeforeOrder: Int
    public let arenaSavingEverything: Int

    /// Bytes of the values kept and of those recomputed.
    public var savedBytes: Int { values.filter { $0.kind == .saved }.reduce(0) { $0.addingClamped($1.bytes) } }
    public var recomputedBytes: Int { values.filter { $0.kind == .recomputed }.reduce(0) { $0.addingClamped($1.bytes) } }

    /// The values the backward pass of `outcome.source` reads, kept or recomputed.
    init(policy: SavePolicy, outcome: Rematerialization.Outcome, before: ScheduleDraft.Score,
         after: ScheduleDraft.Score) {
        self.policy = policy
        lowerBoundBeforeOrder = before.lowerBound
        lowerBoundAfterOrder = after.lowerBound
        arenaBeforeOrder = before.arena
        arenaSavingEverything = after.arena
        let schedule = outcome.source
        let recomputed = Set(outcome.recomputed.map(\.step))
        let candidates = Dictionary(outcome.candidates.map { ($0.step, $0) }, uniquingKeysWith: { a, _ in a })
        let liveness = schedule.liveness()
        var values: [Value] = []
        for s in 0..<schedule.forwardCount {
            let step = schedule.steps[s]
            guard step.writesKind == "value" else { continue }
            for buffer in step.access.writes.map(\.buffer) {
                let spec = schedule.buffers[buffer]
                guard spec.inArena, !spec.pinned, liveness.lastStep[buffer] >= schedule.forwardCount else { continue }
                values.append(Value(kind: recomputed.contains(s) ? .recomputed : .saved, op: step.label,
                                    shape: spec.shape, bytes: spec.bytes, recomputation: candidates[s]?.cost ?? .never))
            }
        }
        self.values = values
    }
}
