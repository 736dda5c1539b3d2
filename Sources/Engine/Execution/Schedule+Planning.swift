import MemoryPlanner

extension Schedule {
    /// The arena's buffers as the planner sees them, with the id of each in the
    /// schedule: bytes, 64-byte alignment, lifetimes and in-place takeovers from
    /// `Liveness`, pinning. External and constant buffers are not in the arena.
    func plannerProblem() -> (buffers: [Buffer], scheduleIDs: [Int]) {
        Self.plannerProblem(accesses: steps.map(\.access), buffers: buffers)
    }

    /// Plans the arena with every strategy and keeps the smallest. Buffers whose
    /// total size overflows `Int` are `EngineError.sizeOverflow`.
    func plan() throws(EngineError) -> (plan: Plan, scheduleIDs: [Int]) {
        try Self.plan(accesses: steps.map(\.access), buffers: buffers)
    }

    /// The planner's problem for a list of step accesses over these buffers
    /// (a schedule, or a draft a pass is trying out). A buffer no step touches
    /// (a pass may leave one behind) is not planned.
    static func plannerProblem(accesses: [StepAccess], buffers: [BufferSpec]) -> (buffers: [Buffer], scheduleIDs: [Int]) {
        plannerProblem(liveness: Liveness(steps: accesses, buffers: buffers), buffers: buffers)
    }

    /// The same from the accesses' `Liveness`, for a pass that has it already.
    static func plannerProblem(liveness: Liveness, buffers: [BufferSpec]) -> (buffers: [Buffer], scheduleIDs: [Int]) {
        let ids = buffers.indices.filter { buffers[$0].inArena && (buffers[$0].pinned || liveness.firstStep[$0] != .max) }
        var plannerID = [Int](repeating: -1, count: buffers.count)
        for (k, id) in ids.enumerated() { plannerID[id] = k }
        let planned = ids.map { id in
            Buffer(size: buffers[id].bytes, firstStep: liveness.firstStep[id], lastStep: liveness.lastStep[id],
                          isPinned: buffers[id].pinned,
                          inPlaceCandidates: liveness.inPlaceCandidates[id].map { plannerID[$0] })
        }
        return (planned, ids)
    }

    /// The planner's best plan for a list of step accesses over these buffers.
    static func plan(accesses: [StepAccess], buffers: [BufferSpec]) throws(EngineError) -> (plan: Plan, scheduleIDs: [Int]) {
        let problem = plannerProblem(accesses: accesses, buffers: buffers)
        do {
            return (try Planner.plan(problem.buffers, stepCount: max(accesses.count, 1)), problem.scheduleIDs)
        } catch PlannerError.totalSizeOverflow {
            throw .sizeOverflow(op: "memory plan", shape: [])
        } catch {
            preconditionFailure("the engine built an invalid planning problem: \(error)")
        }
    }
}
