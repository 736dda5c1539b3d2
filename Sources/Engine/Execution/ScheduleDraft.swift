/// A rewrite of a schedule that a pass is trying out, before any step is made:
/// each entry is a step of the schedule (by index) with its buffers renamed,
/// in the draft's order, over the schedule's buffers plus new ones. Passes
/// judge a draft by planning its accesses (`StepAccess.renamed` is exactly the
/// access of the renamed step), and `materialized()` makes the one they keep.
struct ScheduleDraft {
    struct Entry {
        let source: Int
        var renaming = BufferRenaming()
    }

    let schedule: Schedule
    var entries: [Entry]
    var buffers: [BufferSpec]
    /// Entries `0..<forwardCount` are the forward pass.
    var forwardCount: Int

    /// The schedule as it is.
    init(_ schedule: Schedule) {
        self.schedule = schedule
        entries = schedule.steps.indices.map { Entry(source: $0) }
        buffers = schedule.buffers
        forwardCount = schedule.forwardCount
    }

    var accesses: [StepAccess] {
        entries.map { entry in
            let access = schedule.steps[entry.source].access
            return entry.renaming.map.isEmpty ? access : access.renamed(entry.renaming)
        }
    }

    /// The planned arena and the bytes × steps the buffers are live: smaller is better, arena first
    /// (with the buffers the schedule would lend to gradients' storage out of it).
    func score() throws(EngineError) -> Score {
        let accesses = self.accesses
        let buffers = schedule.lendsGradientStorage
            ? GradientStorageLending.lend(accesses: accesses, buffers: self.buffers, externalBuffers: schedule.externalBuffers,
                                          forwardCount: forwardCount)
            : self.buffers
        let plan = try Schedule.plan(accesses: accesses, buffers: buffers).plan
        return Score(arena: plan.arenaSize, area: plan.statistics.liveBytes.reduce(0) { $0.addingClamped($1) },
                     lowerBound: plan.statistics.lowerBound)
    }

    /// The draft as a schedule: renamed entries become new steps, the others keep theirs.
    func materialized() -> Schedule {
        var result = schedule
        result.buffers = buffers
        result.forwardCount = forwardCount
        result.steps = entries.map { entry in
            let step = schedule.steps[entry.source]
            return entry.renaming.map.isEmpty ? step : step.renamed(entry.renaming)
        }
        return result
    }

    struct Score: Comparable {
        let arena: Int
        let area: Int
        let lowerBound: Int

        static func < (a: Score, b: Score) -> Bool { (a.arena, a.area) < (b.arena, b.area) }
        static func == (a: Score, b: Score) -> Bool { a.arena == b.arena && a.area == b.area }
    }
}
