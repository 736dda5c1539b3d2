import MemoryPlanner

extension Schedule {
    /// The schedule's buffers as the planner sees them: bytes, 64-byte alignment,
    /// lifetimes, pinning, and the in-place takeovers the steps allow — an
    /// elementwise forward step may write into an input of the same size that
    /// dies there, and a gradient that is first written by an identity or
    /// diagonal step may take the upstream gradient's memory when that dies there.
    func plannerBuffers() -> [Buffer] {
        var candidates = [[Int]](repeating: [], count: buffers.count)
        for step in steps {
            switch step {
            case let forward as ForwardStep:
                candidates[forward.node.outputID] += forward.op.inPlaceInputs.map { forward.node.inputIDs[$0] }
                    .filter { buffers[$0].elements == buffers[forward.node.outputID].elements }
            case let elementwise as BackwardStep where elementwise is DiagonalStep || elementwise is IdentityStep:
                let c = elementwise.contribution
                if !c.accumulate { candidates[c.destination].append(c.upstream) }
            default:
                break
            }
        }
        return buffers.enumerated().map { id, spec in
            Buffer(size: spec.bytes, firstStep: spec.firstStep, lastStep: spec.lastStep, isPinned: spec.pinned,
                   inPlaceCandidates: candidates[id])
        }
    }

    /// Plans the arena with every strategy and keeps the smallest.
    func plan() -> Plan {
        do {
            return try Planner.plan(plannerBuffers(), stepCount: max(steps.count, 1))
        } catch {
            preconditionFailure("the engine built an invalid planning problem: \(error)")
        }
    }
}
