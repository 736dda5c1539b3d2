/// Schedule pass: reorders the steps of the forward pass, and those of the
/// backward pass, to lower the peak of live bytes, keeping every dependency.
///
/// Step j must follow step i (i before j today) when j reads what i writes,
/// writes what i reads or writes (so the accumulations into one gradient keep
/// their order, and gradients stay bit for bit those of the original order),
/// or both are rules of the same node whose op may hold state (its
/// recomputation rule is `.never`: a rule may read what the other left, such
/// as a factor or an adjoint solve). Within those constraints a list
/// scheduler takes, among the steps whose predecessors have all run, the one
/// that adds the fewest live bytes: the bytes of arena buffers it touches
/// first, minus the bytes of those it touches last. A contribution that frees
/// a large saved value thus runs before one that allocates a large new
/// gradient. Ties go to the earlier step. The planner judges: the new order
/// is kept only if its planned arena (then its live area) is smaller.
/// Cost: O(S²) for S steps, plus two plans.
struct MemoryAwareOrder {
    /// The schedule reordered when that plans smaller, and the scores before and after.
    func run(_ schedule: Schedule) throws(EngineError) -> (schedule: Schedule, before: ScheduleDraft.Score,
                                                           after: ScheduleDraft.Score) {
        let before = try ScheduleDraft(schedule).score()
        let accesses = schedule.steps.map(\.access)
        let liveness = Liveness(steps: accesses, buffers: schedule.buffers)
        var order = Self.order(accesses, keys: schedule.steps.map(\.orderKey), liveness: liveness,
                               buffers: schedule.buffers, segment: 0..<schedule.forwardCount)
        order += Self.order(accesses, keys: schedule.steps.map(\.orderKey), liveness: liveness,
                            buffers: schedule.buffers, segment: schedule.forwardCount..<schedule.steps.count)
        guard order != Array(schedule.steps.indices) else { return (schedule, before, before) }
        var draft = ScheduleDraft(schedule)
        draft.entries = order.map { .init(source: $0) }
        let after = try draft.score()
        guard after < before else { return (schedule, before, before) }
        return (draft.materialized(), before, after)
    }

    /// The list schedule of the steps in `segment`.
    static func order(_ accesses: [StepAccess], keys: [ObjectIdentifier?], liveness: Liveness, buffers: [BufferSpec],
                      segment: Range<Int>) -> [Int] {
        guard segment.count > 1 else { return Array(segment) }
        let predecessors = dependencies(accesses, keys: keys, segment: segment)
        var waiting = predecessors.map(\.count)
        var successors = [[Int]](repeating: [], count: segment.count)
        for (j, ps) in predecessors.enumerated() { for i in ps { successors[i].append(j) } }
        // Uses of each arena buffer within the segment still to run.
        var remaining: [Int: Int] = [:]
        let touched = segment.map { s in Set(accesses[s].reads + accesses[s].writes.map(\.buffer)) }
        for set in touched { for b in set where buffers[b].inArena && !buffers[b].pinned { remaining[b, default: 0] += 1 } }
        var allocated = Set<Int>(remaining.keys.filter { liveness.firstStep[$0] < segment.lowerBound })
        var ready = Set((0..<segment.count).filter { waiting[$0] == 0 })
        var result: [Int] = []
        result.reserveCapacity(segment.count)
        while let next = ready.map({ (delta: delta(touched[$0]), step: $0) }).min(by: { ($0.delta, $0.step) < ($1.delta, $1.step) })?.step {
            ready.remove(next)
            result.append(segment.lowerBound + next)
            for b in touched[next] where remaining[b] != nil {
                allocated.insert(b)
                remaining[b]! -= 1
            }
            for j in successors[next] {
                waiting[j] -= 1
                if waiting[j] == 0 { ready.insert(j) }
            }
        }
        return result

        /// Bytes a step would add to what is live: new buffers minus buffers it
        /// uses last (saturating: buffers may be as large as the address space,
        /// and a schedule whose sizes overflow is refused later by the planner).
        func delta(_ set: Set<Int>) -> Int {
            var added = 0, freed = 0
            for b in set {
                guard let left = remaining[b] else { continue }
                if !allocated.contains(b) { added = added.addingClamped(buffers[b].bytes) }
                if left == 1 && liveness.lastStep[b] < segment.upperBound { freed = freed.addingClamped(buffers[b].bytes) }
            }
            return added - freed
        }
    }

    /// For each step of the segment (relative index), the steps it must follow.
    static func dependencies(_ accesses: [StepAccess], keys: [ObjectIdentifier?], segment: Range<Int>) -> [[Int]] {
        var lastWriter: [Int: Int] = [:]
        var readers: [Int: [Int]] = [:]
        var lastOfKey: [ObjectIdentifier: Int] = [:]
        return segment.map { s in
            let j = s - segment.lowerBound
            var after = Set<Int>()
            for b in accesses[s].reads { if let w = lastWriter[b] { after.insert(w) } }
            for write in accesses[s].writes {
                if let w = lastWriter[write.buffer] { after.insert(w) }
                after.formUnion(readers[write.buffer] ?? [])
            }
            if let key = keys[s] {
                if let previous = lastOfKey[key] { after.insert(previous) }
                lastOfKey[key] = j
            }
            for b in accesses[s].reads { readers[b, default: []].append(j) }
            for write in accesses[s].writes {
                lastWriter[write.buffer] = j
                readers[write.buffer] = []
            }
            after.remove(j)
            return after.sorted()
        }
    }
}
