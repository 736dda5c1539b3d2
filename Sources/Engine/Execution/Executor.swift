import SparseJacobian

/// Runs a schedule. Where buffers live is the memory strategy's business:
/// `eager` allocates each buffer before the step that first writes it and frees
/// it after the step that last reads it (the baseline the planner is measured
/// against); the steps themselves only see the buffer table.
final class Executor {
    let schedule: Schedule
    let state: ExecutionState
    let checkNumerics: Bool
    private let table: BufferTable
    /// Buffers to allocate before and free after each step (eager strategy).
    private let allocateBefore: [[Int]]
    private let freeAfter: [[Int]]

    init(schedule: Schedule, context: CholmodContext, checkNumerics: Bool) {
        self.schedule = schedule
        self.state = ExecutionState(context: context)
        self.checkNumerics = checkNumerics
        table = .allocate(capacity: max(schedule.buffers.count, 1))
        var before = [[Int]](repeating: [], count: schedule.steps.count)
        var after = [[Int]](repeating: [], count: schedule.steps.count)
        for (id, buffer) in schedule.buffers.enumerated() where !buffer.pinned {
            before[buffer.firstStep].append(id)
            after[buffer.lastStep].append(id)
        }
        allocateBefore = before
        freeAfter = after
    }

    deinit { table.deallocate() }

    /// One run: `write` fills the pinned buffers (inputs, seed), `read` takes the
    /// results out, both while the pinned buffers are alive. `forwardOnly` runs the
    /// forward steps alone.
    func run(forwardOnly: Bool, write: (BufferTable) -> Void, read: (BufferTable) -> Void) throws(EngineError) {
        let pinned = schedule.buffers.indices.filter { schedule.buffers[$0].pinned }
        for id in pinned { table[id] = .allocate(capacity: max(schedule.buffers[id].elements, 1)) }
        var live = Set<Int>()
        defer {
            for id in pinned { table[id].deallocate() }
            for id in live { table[id].deallocate() }
        }
        for (buffer, value) in schedule.constants {
            value.scalars.withUnsafeBufferPointer { table[buffer].update(from: $0.baseAddress!, count: $0.count) }
        }
        write(table)
        let count = forwardOnly ? schedule.forwardCount : schedule.steps.count
        for s in 0..<count {
            for id in allocateBefore[s] {
                table[id] = .allocate(capacity: max(schedule.buffers[id].elements, 1))
                live.insert(id)
            }
            let step = schedule.steps[s]
            try step.run(table, state)
            if checkNumerics { try checkFinite(step) }
            for id in freeAfter[s] {
                table[id].deallocate()
                live.remove(id)
            }
        }
        read(table)
    }

    private func checkFinite(_ step: any Step) throws(EngineError) {
        let (buffer, shape, what) = step.writes
        let values = table[buffer]
        for k in 0..<Shape.count(shape) where !values[k].isFinite {
            throw .nonFinite(op: step.label, shape: shape, what: what, index: k, value: values[k])
        }
    }
}
