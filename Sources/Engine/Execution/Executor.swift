import SparseJacobian

/// Runs a schedule. Where buffers live is the memory strategy's business, the
/// steps only see the buffer table:
/// - external buffers (the caller's inputs, seed, output and gradients) are
///   bound by the caller before each run; constants live in one block the
///   executor fills once;
/// - planned: every arena buffer at the offset the planner gave it in one
///   arena allocated once; runs allocate nothing;
/// - eager: each arena buffer allocated before the step that first touches it
///   and freed after the step that last touches it (the baseline the plan is
///   measured against);
/// - lent: a backward buffer placed in a requested gradient's storage before
///   that gradient is first written, bound at the start of each backward run.
final class Executor {
    let schedule: Schedule
    let state: ExecutionState
    let checkNumerics: Bool
    /// Buffer id to address; external entries are bound by `Program` for each run.
    let table: BufferTable
    /// The planned arena, nil in eager mode.
    private let arena: UnsafeMutableRawPointer?
    /// Constants outside the arena, filled once.
    private let constantBlock: UnsafeMutablePointer<Double>?
    /// Pinned arena buffers (eager mode allocates them for each run).
    private let pinned: [Int]
    /// Arena buffers to allocate before and free after each step (eager mode).
    private let allocateBefore: [[Int]]
    private let freeAfter: [[Int]]
    /// Requested gradients (request order) whose last writing step is each step.
    let gradientsFinalAfter: [[Int]]
    /// Buffers lent by a gradient's storage: id, host buffer, byte offset.
    private let lent: [(id: Int, host: Int, offset: Int)]

    /// An executor in one arena laid out by `offsets` (bytes, by schedule buffer id), or eager when nil.
    init(schedule: Schedule, context: CholmodContext, checkNumerics: Bool, arenaBytes: Int?,
         offsets: [Int: Int]?) throws(EngineError) {
        // The one allocation that can fail comes first, so that nothing leaks when it throws.
        let base = try arenaBytes.map { (bytes) throws(EngineError) in try CheckedAllocation.allocate(bytes: max(bytes, 64)) }
        self.schedule = schedule
        self.state = ExecutionState(context: context)
        self.checkNumerics = checkNumerics
        let table = BufferTable.allocate(capacity: max(schedule.buffers.count, 1))
        table.initialize(repeating: UnsafeMutablePointer(bitPattern: 64)!, count: max(schedule.buffers.count, 1))
        self.table = table
        let buffers = schedule.buffers
        pinned = buffers.indices.filter { buffers[$0].inArena && buffers[$0].pinned }

        let constantIDs = buffers.indices.filter { buffers[$0].storage == .constant }
        let constantCount = constantIDs.reduce(0) { $0 + buffers[$1].elements }
        constantBlock = constantIDs.isEmpty ? nil : .allocate(capacity: max(constantCount, 1))
        var next = constantBlock
        for id in constantIDs {
            table[id] = next!
            next = next! + buffers[id].elements
        }

        if let base, let offsets {
            for (id, offset) in offsets {
                table[id] = (base + offset).bindMemory(to: Double.self, capacity: buffers[id].elements)
            }
            arena = base
        } else {
            arena = nil
        }
        // Constants are never written by a step: fill them once (eager mode: per run if in the arena).
        Self.fillConstants(schedule, table, inArena: false)
        if arena != nil { Self.fillConstants(schedule, table, inArena: true) }

        let liveness = schedule.liveness()
        var before = [[Int]](repeating: [], count: schedule.steps.count)
        var after = [[Int]](repeating: [], count: schedule.steps.count)
        for (id, buffer) in buffers.enumerated() where buffer.inArena && !buffer.pinned && liveness.lastStep[id] >= 0 {
            before[liveness.firstStep[id]].append(id)
            after[liveness.lastStep[id]].append(id)
        }
        allocateBefore = before
        freeAfter = after
        var final = [[Int]](repeating: [], count: schedule.steps.count)
        let gradients = schedule.externalBuffers.compactMap { slot, id -> (k: Int, id: Int)? in
            if case let .gradient(k) = slot { return (k, id) }
            return nil
        }
        for (k, id) in gradients.sorted(by: { $0.k < $1.k }) where liveness.lastStep[id] >= 0 {
            final[liveness.lastStep[id]].append(k)
        }
        gradientsFinalAfter = final
        lent = buffers.indices.compactMap { id in
            guard case let .lent(host, offset) = buffers[id].storage else { return nil }
            return (id, host, offset)
        }
    }

    deinit {
        table.deallocate()
        CheckedAllocation.deallocate(arena)
        constantBlock?.deallocate()
    }

    /// One run over the bound external buffers. `forwardOnly` runs the forward
    /// steps alone. `gradientReady(k)` is called right after the last step that
    /// writes requested gradient k, on this thread.
    func run(forwardOnly: Bool, gradientReady: ((Int) -> Void)? = nil) throws(EngineError) {
        let count = forwardOnly ? schedule.forwardCount : schedule.steps.count
        state.forwardOnly = forwardOnly
        // Only backward steps touch lent buffers, and the gradients are bound when they run.
        if !forwardOnly {
            for (id, host, offset) in lent {
                table[id] = (UnsafeMutableRawPointer(table[host]) + offset).assumingMemoryBound(to: Double.self)
            }
        }
        if arena != nil {
            for s in 0..<count {
                try runStep(s)
                if let gradientReady { for k in gradientsFinalAfter[s] { gradientReady(k) } }
            }
            return
        }
        var live = Set<Int>()
        defer { for id in live { CheckedAllocation.deallocate(table[id]) } }
        for id in pinned {
            table[id] = try CheckedAllocation.allocateDoubles(max(schedule.buffers[id].elements, 1))
            live.insert(id)
        }
        Self.fillConstants(schedule, table, inArena: true)
        for s in 0..<count {
            for id in allocateBefore[s] {
                table[id] = try CheckedAllocation.allocateDoubles(max(schedule.buffers[id].elements, 1))
                live.insert(id)
            }
            try runStep(s)
            if let gradientReady { for k in gradientsFinalAfter[s] { gradientReady(k) } }
            for id in freeAfter[s] {
                CheckedAllocation.deallocate(table[id])
                live.remove(id)
            }
        }
    }

    /// Copies the constants' values into their buffers (those in the arena, or the others).
    private static func fillConstants(_ schedule: Schedule, _ table: BufferTable, inArena: Bool) {
        for (buffer, value) in schedule.constants where schedule.buffers[buffer].inArena == inArena && !value.scalars.isEmpty {
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
        for buffer in step.writes(forwardOnly: state.forwardOnly) {
            let spec = schedule.buffers[buffer], values = table[buffer]
            for k in 0..<spec.elements where !values[k].isFinite {
                let what = spec.role == .gradient ? "gradient" : spec.role == .value ? "value" : step.writesKind
                throw .nonFinite(op: step.label, shape: spec.shape, what: what, index: k, value: values[k])
            }
        }
    }
}
