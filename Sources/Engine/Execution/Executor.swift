import SparseJacobian

/// Runs a schedule. Where buffers live is the memory strategy's business, the
/// steps only see the buffer table:
/// - planned: one arena, allocated once, every buffer at the offset the planner
///   gave it; runs allocate nothing;
/// - eager: each buffer allocated before the step that first writes it and
///   freed after the step that last reads it (the baseline the plan is measured
///   against).
final class Executor {
    let schedule: Schedule
    let state: ExecutionState
    let checkNumerics: Bool
    private let table: BufferTable
    /// The planned arena, nil in eager mode.
    private let arena: UnsafeMutableRawPointer?
    /// Pinned buffers (eager mode allocates them for each run).
    private let pinned: [Int]
    /// Buffers to allocate before and free after each step (eager mode).
    private let allocateBefore: [[Int]]
    private let freeAfter: [[Int]]

    /// An executor in one arena laid out by `offsets` (bytes), or eager when nil.
    init(schedule: Schedule, context: CholmodContext, checkNumerics: Bool, arenaBytes: Int?, offsets: [Int]?) {
        self.schedule = schedule
        self.state = ExecutionState(context: context)
        self.checkNumerics = checkNumerics
        let table = BufferTable.allocate(capacity: max(schedule.buffers.count, 1))
        self.table = table
        pinned = schedule.buffers.indices.filter { schedule.buffers[$0].pinned }
        if let arenaBytes, let offsets {
            let base = UnsafeMutableRawPointer.allocate(byteCount: max(arenaBytes, 64), alignment: 64)
            for id in schedule.buffers.indices {
                table[id] = (base + offsets[id]).bindMemory(to: Double.self, capacity: schedule.buffers[id].elements)
            }
            arena = base
            // Constants are pinned and never written by a step: fill them once.
            Self.fillConstants(schedule, table)
        } else {
            arena = nil
        }
        var before = [[Int]](repeating: [], count: schedule.steps.count)
        var after = [[Int]](repeating: [], count: schedule.steps.count)
        for (id, buffer) in schedule.buffers.enumerated() where !buffer.pinned {
            before[buffer.firstStep].append(id)
            after[buffer.lastStep].append(id)
        }
        allocateBefore = before
        freeAfter = after
    }

    deinit {
        table.deallocate()
        arena?.deallocate()
    }

    /// One run: `write` fills the pinned buffers (inputs, seed), `read` takes the
    /// results out, both while the pinned buffers are alive. `forwardOnly` runs the
    /// forward steps alone.
    func run(forwardOnly: Bool, write: (BufferTable) -> Void, read: (BufferTable) -> Void) throws(EngineError) {
        let count = forwardOnly ? schedule.forwardCount : schedule.steps.count
        if arena != nil {
            write(table)
            for s in 0..<count { try runStep(s) }
            read(table)
            return
        }
        for id in pinned { table[id] = .allocate(capacity: max(schedule.buffers[id].elements, 1)) }
        var live = Set<Int>()
        defer {
            for id in pinned { table[id].deallocate() }
            for id in live { table[id].deallocate() }
        }
        Self.fillConstants(schedule, table)
        write(table)
        for s in 0..<count {
            for id in allocateBefore[s] {
                table[id] = .allocate(capacity: max(schedule.buffers[id].elements, 1))
                live.insert(id)
            }
            try runStep(s)
            for id in freeAfter[s] {
                table[id].deallocate()
                live.remove(id)
            }
        }
        read(table)
    }

    /// Copies the constants' values into their buffers.
    private static func fillConstants(_ schedule: Schedule, _ table: BufferTable) {
        for (buffer, value) in schedule.constants {
            value.scalars.withUnsafeBufferPointer { table[buffer].update(from: $0.baseAddress!, count: $0.count) }
        }
    }

    @inline(__always)
    private func runStep(_ s: Int) throws(EngineError) {
        let step = schedule.steps[s]
        try step.run(table, state)
        if checkNumerics { try checkFinite(step) }
    }

    private func checkFinite(_ step: any Step) throws(EngineError) {
        let (buffer, shape, what) = step.writes
        let values = table[buffer]
        for k in 0..<Shape.count(shape) where !values[k].isFinite {
            throw .nonFinite(op: step.label, shape: shape, what: what, index: k, value: values[k])
        }
    }
}
