import MemoryPlanner

/// Schedule pass: a requested gradient is written into the caller's storage,
/// which holds nothing the run needs until the step that first writes it;
/// until then, backward buffers that die before that step live in it, and
/// leave the arena.
///
/// What it changes: the storage of those buffers, to `.lent(host:offset:)`
/// (the gradient's buffer and a byte offset in it), bound for each run once the
/// gradients are (`Executor.bindLent()`). Buffers are placed largest first,
/// each in the first gradient (earliest first write first) where it fits at
/// the lowest 64-byte-aligned offset not overlapping a buffer placed there
/// whose lifetime overlaps its own. A buffer the arena planner would write
/// in place over one dying at its first step (`Planner.takeovers`) moves
/// with it as one group, same host and offset, so a fused
/// backward step still writes its gradient over its upstream (W2: 0.27–0.54
/// against 0.8–1.2 ms a layer when lending set the two apart); a group that
/// fits no host is tried buffer by buffer. A host's first access must write it
/// whole (not add to it), so nothing placed there is read as the gradient. Only
/// buffers first touched in the backward pass move: a forward-only run
/// (`Program.value`, no gradients bound) never touches one. Pinned, external
/// and constant buffers stay. The arena can only shrink: each moved buffer
/// frees its bytes over its whole lifetime.
/// Cost: O(B·(H + P)) for B buffers, H gradients and P buffers placed in a host.
struct GradientStorageLending {
    func run(_ schedule: Schedule) -> Schedule {
        var result = schedule
        result.buffers = Self.lend(accesses: schedule.steps.map(\.access), buffers: schedule.buffers,
                                   externalBuffers: schedule.externalBuffers, forwardCount: schedule.forwardCount)
        return result
    }

    /// The buffers with those that move given their `.lent` storage. A schedule
    /// that lends (`Schedule.lendsGradientStorage`) is planned with them, so
    /// that passes judging drafts by their arena (a budget) see the arena the
    /// program will have.
    static func lend(accesses: [StepAccess], buffers: [BufferSpec], externalBuffers: [ExternalSlot: Int],
                     forwardCount: Int) -> [BufferSpec] {
        let liveness = Liveness(steps: accesses, buffers: buffers)
        // Hosts: requested gradients whose first access writes them whole, with that step.
        var hosts: [(id: Int, firstWrite: Int, placed: [(offset: Int, bytes: Int, first: Int, last: Int)])] = []
        for (slot, id) in externalBuffers {
            guard case .gradient = slot, liveness.firstStep[id] != .max else { continue }
            let step = liveness.firstStep[id], access = accesses[step]
            let writesWhole = access.writes.contains { $0.buffer == id && !$0.accumulates }
                && !access.writes.contains { $0.buffer == id && $0.accumulates }
                && !access.reads.contains(id) && !access.scratch.contains(id)
            if writesWhole, step > forwardCount { hosts.append((id, step, [])) }
        }
        hosts.sort { ($0.firstWrite, $0.id) < ($1.firstWrite, $1.id) }
        guard !hosts.isEmpty else { return buffers }

        let candidates = buffers.indices.filter { id in
            let spec = buffers[id]
            return spec.inArena && !spec.pinned && spec.bytes > 0 && liveness.firstStep[id] != .max
                && liveness.firstStep[id] >= forwardCount
        }
        let groups = inPlaceGroups(candidates, liveness: liveness, buffers: buffers, stepCount: accesses.count)
            .sorted { (buffers[$0[0]].bytes, $1[0]) > (buffers[$1[0]].bytes, $0[0]) }
        var result = buffers
        /// Places the group in the first host where it fits; false if none.
        func place(_ group: [Int]) -> Bool {
            let bytes = buffers[group[0]].bytes
            let first = liveness.firstStep[group[0]], last = liveness.lastStep[group[group.count - 1]]
            for h in hosts.indices where last < hosts[h].firstWrite {
                guard let offset = lowestOffset(bytes: bytes, first: first, last: last, among: hosts[h].placed,
                                                capacity: buffers[hosts[h].id].bytes) else { continue }
                hosts[h].placed.append((offset, bytes, first, last))
                for id in group { result[id].storage = .lent(host: hosts[h].id, offset: offset) }
                return true
            }
            return false
        }
        for group in groups where !place(group) && group.count > 1 {
            for id in group { _ = place([id]) }
        }
        return result
    }

    /// The candidates in groups that share memory, in order of their lifetimes:
    /// the arena planner's chains of in-place takeovers (`Planner.takeovers`,
    /// the same rule the plan uses), cut where a member is not a candidate.
    /// A chain's lifetimes touch only at its hand-over steps and its first
    /// buffer is its largest, so one placement of that size serves it all.
    private static func inPlaceGroups(_ candidates: [Int], liveness: Liveness, buffers: [BufferSpec],
                                      stepCount: Int) -> [[Int]] {
        let isCandidate = Set(candidates)
        let problem = Schedule.plannerProblem(liveness: liveness, buffers: buffers)
        // A request the planner refuses (sizes that overflow) gets no groups here; `plan()` throws.
        let takeovers = (try? Planner.takeovers(problem.buffers, stepCount: max(stepCount, 1))) ?? []
        var takenBy = [Int: Int](), takes = Set<Int>()
        for alias in takeovers {
            let (taker, reused) = (problem.scheduleIDs[alias.buffer], problem.scheduleIDs[alias.reuses])
            guard isCandidate.contains(taker), isCandidate.contains(reused) else { continue }
            takenBy[reused] = taker
            takes.insert(taker)
        }
        return candidates.filter { !takes.contains($0) }.map { head in
            var chain = [head]
            while let taker = takenBy[chain[chain.count - 1]] { chain.append(taker) }
            return chain
        }
    }

    /// The lowest 64-byte-aligned offset where `bytes` fit in `capacity` without
    /// overlapping a placed buffer alive at the same time; nil if none.
    private static func lowestOffset(bytes: Int, first: Int, last: Int,
                                     among placed: [(offset: Int, bytes: Int, first: Int, last: Int)],
                                     capacity: Int) -> Int? {
        let conflicts = placed.filter { $0.first <= last && first <= $0.last }.sorted { $0.offset < $1.offset }
        var offset = 0
        for other in conflicts {
            if offset + bytes <= other.offset { break }
            offset = max(offset, (other.offset + other.bytes + 63) / 64 * 64)
        }
        return offset + bytes <= capacity ? offset : nil
    }
}
