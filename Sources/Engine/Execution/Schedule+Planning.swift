import MemoryPlanner

extension Schedule {
    /// The arena's buffers as the planner sees them, with the id of each in the
    /// schedule: bytes, 64-byte alignment, lifetimes and in-place takeovers from
    /// `Liveness`, pinning. External and constant buffers are not in the arena.
    func plannerProblem() -> (buffers: [Buffer], scheduleIDs: [Int]) {
        let liveness = liveness()
        let ids = buffers.indices.filter { buffers[$0].inArena }
        var plannerID = [Int](repeating: -1, count: buffers.count)
        for (k, id) in ids.enumerated() { plannerID[id] = k }
        let planned = ids.map { id in
            precondition(liveness.firstStep[id] != .max, "buffer \(id) (\(buffers[id].role)) is never touched")
            return Buffer(size: buffers[id].bytes, firstStep: liveness.firstStep[id], lastStep: liveness.lastStep[id],
                          isPinned: buffers[id].pinned,
                          inPlaceCandidates: liveness.inPlaceCandidates[id].map { plannerID[$0] })
        }
        return (planned, ids)
    }

    /// Plans the arena with every strategy and keeps the smallest. Buffers whose
    /// total size overflows `Int` are `EngineError.sizeOverflow`.
    func plan() throws(EngineError) -> (plan: Plan, scheduleIDs: [Int]) {
        let problem = plannerProblem()
        do {
            return (try Planner.plan(problem.buffers, stepCount: max(steps.count, 1)), problem.scheduleIDs)
        } catch PlannerError.totalSizeOverflow {
            throw .sizeOverflow(op: "memory plan", shape: [])
        } catch {
            preconditionFailure("the engine built an invalid planning problem: \(error)")
        }
    }
}
