/// One buffer to place in the arena: its size, alignment and lifetime over the schedule.
///
/// Steps are the positions `0..<stepCount` of a schedule. A buffer is live over the inclusive
/// interval `[firstStep, lastStep]`: `firstStep` is the step that writes it first and
/// `lastStep` the step that reads it last, so a buffer whose `lastStep` is `s` and one whose
/// `firstStep` is `s` are both live at `s` and need distinct memory, unless the second takes
/// over the first in place (see ``inPlaceCandidates``).
public struct Buffer: Sendable, Hashable {
    /// Size in bytes, `>= 0`. A zero-size buffer occupies no memory and is placed at offset 0.
    public var size: Int
    /// Required alignment of the offset in bytes; a power of two (`1, 2, 4, ...`).
    public var alignment: Int
    /// The step that first writes the buffer, in `0..<stepCount`.
    public var firstStep: Int
    /// The step that last reads the buffer, in `firstStep..<stepCount`.
    public var lastStep: Int
    /// A pinned buffer (an input or an output of the run) is live over every step,
    /// `[0, stepCount - 1]`, whatever its `firstStep` and `lastStep` say (they are still checked).
    /// It never takes over, and is never taken over by, another buffer.
    public var isPinned: Bool
    /// Indices of other buffers whose memory this buffer may take over, in order of preference.
    ///
    /// Taking over candidate `j` (writing this buffer into `j`'s memory, as an elementwise step does
    /// when it reads `j` for the last time) is legal only if `j.lastStep == firstStep`,
    /// `size <= j.size`, `alignment <= j.alignment`, and neither buffer is pinned. Illegal candidates
    /// are skipped, not reported: ``Plan/aliases`` lists the takeovers made.
    public var inPlaceCandidates: [Int]

    /// The default alignment, 64 bytes (a cache line, enough for any SIMD load).
    public static let defaultAlignment = 64

    /// Creates a buffer. Nothing is checked here; ``Planner/plan(_:stepCount:strategies:)`` checks
    /// every buffer and throws a ``PlannerError`` naming the first that is wrong.
    public init(
        size: Int, alignment: Int = Buffer.defaultAlignment, firstStep: Int, lastStep: Int,
        isPinned: Bool = false, inPlaceCandidates: [Int] = []
    ) {
        self.size = size
        self.alignment = alignment
        self.firstStep = firstStep
        self.lastStep = lastStep
        self.isPinned = isPinned
        self.inPlaceCandidates = inPlaceCandidates
    }

    /// A pinned buffer (input or output): live over the whole run. Its nominal lifetime is step 0.
    public static func pinned(size: Int, alignment: Int = Buffer.defaultAlignment) -> Buffer {
        Buffer(size: size, alignment: alignment, firstStep: 0, lastStep: 0, isPinned: true)
    }

    /// The first step at which the planner keeps this buffer live (0 when pinned).
    @inline(__always) func liveFirst() -> Int { isPinned ? 0 : firstStep }

    /// The last step at which the planner keeps this buffer live (`stepCount - 1` when pinned).
    @inline(__always) func liveLast(stepCount: Int) -> Int { isPinned ? stepCount - 1 : lastStep }
}
