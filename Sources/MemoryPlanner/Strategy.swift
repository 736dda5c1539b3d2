/// A way of assigning offsets. ``Planner/plan(_:stepCount:strategies:)`` runs several and keeps
/// the smallest arena; ties go to the strategy declared first here.
///
/// All strategies place the same units (a buffer, or a chain of buffers joined by in-place
/// takeovers, which share one slot) and share one placement routine: a unit goes into a gap among
/// the already placed units whose lifetimes overlap its own, or on top of them.
public enum Strategy: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Largest first, each into the smallest gap that fits (best fit) among placed units that are
    /// live at the same time, else on top. TFLite's `GreedyBySize`; Pisarchyk & Lee 2020,
    /// "Efficient Memory Management for Deep Neural Net Inference", Greedy by Size for offsets.
    case greedyBySize
    /// Steps in order of their live bytes, largest first; at each, its not yet placed units
    /// largest first, best fit. Pisarchyk & Lee 2020, Greedy by Breadth.
    case greedyByBreadth
    /// In schedule order (first step, then index), each into the lowest gap that fits (first fit).
    /// This is exactly the eager allocator's layout, so a plan that runs it is never worse than eager.
    case firstFitByStart
    /// No reuse: every unit gets its own slot, stacked by decreasing alignment so no padding is
    /// needed. Its arena never exceeds the naive size, so a plan that runs it never does either
    /// (best fit can pad past it when alignments are mixed).
    case noReuse

    public var description: String { rawValue }
}

extension Strategy {
    /// Best fit reads every placed buffer live during a buffer's lifetime: its cost grows with
    /// the overlaps, not just the count (see ``Planner/plan(_:stepCount:strategies:bestFitWorkLimit:)``).
    var isBestFit: Bool { self == .greedyBySize || self == .greedyByBreadth }
}
