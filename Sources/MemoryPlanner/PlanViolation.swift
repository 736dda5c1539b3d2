/// The first way in which a ``Plan`` breaks its invariants, found by ``Plan/validate()``.
public enum PlanViolation: Error, Sendable, Hashable, CustomStringConvertible {
    /// The buffers and step count are not a valid request.
    case invalidRequest(PlannerError)
    /// There is not one offset per buffer.
    case offsetCountMismatch(offsets: Int, buffers: Int)
    /// A buffer's offset is negative.
    case negativeOffset(buffer: Int, offset: Int)
    /// A buffer's offset is not a multiple of its alignment.
    case misaligned(buffer: Int, offset: Int, alignment: Int)
    /// A buffer ends past the arena.
    case outsideArena(buffer: Int, offset: Int, size: Int, arenaSize: Int)
    /// A takeover names a buffer that does not exist.
    case aliasOutOfRange(InPlaceAlias)
    /// A takeover is not legal.
    case illegalAlias(InPlaceAlias, AliasDefect)
    /// Two buffers live at `step` share bytes without being joined by legal takeovers.
    case overlap(buffer: Int, bytes: Range<Int>, other: Int, otherBytes: Range<Int>, step: Int)
    /// The arena is smaller than the most bytes live at one step, which cannot be.
    case arenaBelowLowerBound(arenaSize: Int, lowerBound: Int)

    public var description: String {
        switch self {
        case let .invalidRequest(error): "invalid request: \(error)"
        case let .offsetCountMismatch(offsets, buffers): "\(offsets) offsets for \(buffers) buffers"
        case let .negativeOffset(b, offset): "buffer \(b): offset \(offset) is negative"
        case let .misaligned(b, offset, alignment): "buffer \(b): offset \(offset) is not a multiple of its alignment \(alignment)"
        case let .outsideArena(b, offset, size, arena):
            "buffer \(b): bytes \(offset)..<\(offset + size) end past the arena of \(arena) bytes"
        case let .aliasOutOfRange(alias): "takeover \"\(alias)\" names a buffer that does not exist"
        case let .illegalAlias(alias, defect): "takeover \"\(alias)\" is illegal: \(defect)"
        case let .overlap(b, bytes, other, otherBytes, step):
            "buffers \(b) (bytes \(bytes.lowerBound)..<\(bytes.upperBound)) and \(other) (bytes "
                + "\(otherBytes.lowerBound)..<\(otherBytes.upperBound)) are both live at step \(step) and overlap"
        case let .arenaBelowLowerBound(arena, bound): "arena of \(arena) bytes is below the lower bound \(bound)"
        }
    }
}
