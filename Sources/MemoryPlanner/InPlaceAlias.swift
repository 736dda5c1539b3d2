/// An in-place takeover made by the planner: `buffer` is written into the memory of `reuses`
/// at `step`, the step that reads `reuses` for the last time and writes `buffer` first.
/// Both have the same offset.
public struct InPlaceAlias: Sendable, Hashable, CustomStringConvertible {
    /// The buffer that takes the memory over.
    public var buffer: Int
    /// The buffer whose memory is taken over; it dies at `step`.
    public var reuses: Int
    /// The hand-over step: `buffers[reuses].lastStep == buffers[buffer].firstStep == step`.
    public var step: Int

    public init(buffer: Int, reuses: Int, step: Int) {
        self.buffer = buffer
        self.reuses = reuses
        self.step = step
    }

    public var description: String { "buffer \(buffer) reuses buffer \(reuses) at step \(step)" }
}

/// Why taking over one buffer's memory in place is not legal.
public enum AliasDefect: Sendable, Hashable, CustomStringConvertible {
    /// The reused buffer is not in the taker's `inPlaceCandidates`.
    case notACandidate
    /// The reused buffer's last step is not the taker's first step.
    case stepMismatch(reusedLastStep: Int, takerFirstStep: Int)
    /// The recorded hand-over step is not the taker's first step.
    case wrongStep(recorded: Int, takerFirstStep: Int)
    /// The taker is larger than the buffer it would take over.
    case tooLarge(takerSize: Int, reusedSize: Int)
    /// The taker needs a stricter alignment than the reused buffer's offset guarantees.
    case strongerAlignment(takerAlignment: Int, reusedAlignment: Int)
    /// One of the two buffers (the index given) is pinned.
    case pinned(buffer: Int)
    /// The two buffers do not have the same offset.
    case differentOffset(takerOffset: Int, reusedOffset: Int)
    /// The reused buffer is taken over by more than one buffer.
    case reusedTwice
    /// The taker takes over more than one buffer.
    case takesTwice
    /// The takeovers form a cycle.
    case cycle

    public var description: String {
        switch self {
        case .notACandidate: "the reused buffer is not one of its in-place candidates"
        case let .stepMismatch(last, first):
            "the reused buffer's last step \(last) is not its first step \(first)"
        case let .wrongStep(recorded, first): "the recorded step \(recorded) is not its first step \(first)"
        case let .tooLarge(taker, reused): "its size \(taker) exceeds the reused size \(reused)"
        case let .strongerAlignment(taker, reused):
            "its alignment \(taker) exceeds the reused alignment \(reused)"
        case let .pinned(buffer): "buffer \(buffer) is pinned"
        case let .differentOffset(taker, reused): "its offset \(taker) differs from the reused offset \(reused)"
        case .reusedTwice: "the reused buffer is taken over twice"
        case .takesTwice: "it takes over two buffers"
        case .cycle: "the takeovers form a cycle"
        }
    }

    /// The first rule of in-place legality that `buffers[taker]` taking over `buffers[reused]`
    /// breaks, or `nil` if it is legal (offsets and uniqueness are not looked at). O(1).
    static func check(taker: Int, reused: Int, in buffers: [Buffer]) -> AliasDefect? {
        let t = buffers[taker], r = buffers[reused]
        if t.isPinned { return .pinned(buffer: taker) }
        if r.isPinned { return .pinned(buffer: reused) }
        if r.lastStep != t.firstStep { return .stepMismatch(reusedLastStep: r.lastStep, takerFirstStep: t.firstStep) }
        if t.size > r.size { return .tooLarge(takerSize: t.size, reusedSize: r.size) }
        if t.alignment > r.alignment {
            return .strongerAlignment(takerAlignment: t.alignment, reusedAlignment: r.alignment)
        }
        return nil
    }
}
