/// Why a planning request is invalid. Thrown by ``Planner/plan(_:stepCount:strategies:)`` for
/// the first problem found, checking buffers in index order.
public enum PlannerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `stepCount` is negative.
    case negativeStepCount(Int)
    /// A buffer has a negative size.
    case negativeSize(buffer: Int, size: Int)
    /// A buffer's alignment is not a power of two (this includes zero and negative values).
    case invalidAlignment(buffer: Int, alignment: Int)
    /// A buffer's first step is outside `0..<stepCount`.
    case firstStepOutOfRange(buffer: Int, step: Int, stepCount: Int)
    /// A buffer's last step is outside `0..<stepCount`.
    case lastStepOutOfRange(buffer: Int, step: Int, stepCount: Int)
    /// A buffer's last step comes before its first step.
    case lastStepBeforeFirstStep(buffer: Int, firstStep: Int, lastStep: Int)
    /// An in-place candidate is not the index of a buffer.
    case candidateOutOfRange(buffer: Int, candidate: Int, bufferCount: Int)
    /// A buffer names itself as an in-place candidate.
    case candidateIsSelf(buffer: Int)
    /// The sizes are so large that an arena offset could overflow `Int`.
    case totalSizeOverflow
    /// The requested set of strategies is empty.
    case noStrategies

    public var description: String {
        switch self {
        case let .negativeStepCount(count): "step count \(count) is negative"
        case let .negativeSize(b, size): "buffer \(b): size \(size) is negative"
        case let .invalidAlignment(b, alignment): "buffer \(b): alignment \(alignment) is not a power of two"
        case let .firstStepOutOfRange(b, step, count): "buffer \(b): first step \(step) is outside 0..<\(count)"
        case let .lastStepOutOfRange(b, step, count): "buffer \(b): last step \(step) is outside 0..<\(count)"
        case let .lastStepBeforeFirstStep(b, first, last):
            "buffer \(b): last step \(last) is before first step \(first)"
        case let .candidateOutOfRange(b, candidate, count):
            "buffer \(b): in-place candidate \(candidate) is not a buffer index in 0..<\(count)"
        case let .candidateIsSelf(b): "buffer \(b): names itself as an in-place candidate"
        case .totalSizeOverflow: "the total size of the buffers overflows Int"
        case .noStrategies: "no strategy was requested"
        }
    }
}

extension PlannerError {
    /// Checks a planning request; throws the first problem found. O(n + total candidates).
    static func check(_ buffers: [Buffer], stepCount: Int) throws(PlannerError) {
        guard stepCount >= 0 else { throw .negativeStepCount(stepCount) }
        var budget = 0  // sum of (size rounded up + alignment): bounds every offset any strategy computes
        for (b, buffer) in buffers.enumerated() {
            if buffer.size < 0 { throw .negativeSize(buffer: b, size: buffer.size) }
            let alignment = buffer.alignment
            if alignment <= 0 || alignment & (alignment - 1) != 0 {
                throw .invalidAlignment(buffer: b, alignment: alignment)
            }
            if !(0..<stepCount).contains(buffer.firstStep) {
                throw .firstStepOutOfRange(buffer: b, step: buffer.firstStep, stepCount: stepCount)
            }
            if !(0..<stepCount).contains(buffer.lastStep) {
                throw .lastStepOutOfRange(buffer: b, step: buffer.lastStep, stepCount: stepCount)
            }
            if buffer.lastStep < buffer.firstStep {
                throw .lastStepBeforeFirstStep(buffer: b, firstStep: buffer.firstStep, lastStep: buffer.lastStep)
            }
            for candidate in buffer.inPlaceCandidates {
                if candidate == b { throw .candidateIsSelf(buffer: b) }
                if !buffers.indices.contains(candidate) {
                    throw .candidateOutOfRange(buffer: b, candidate: candidate, bufferCount: buffers.count)
                }
            }
            let (twice, o0) = alignment.multipliedReportingOverflow(by: 2)
            let (padded, o1) = buffer.size.addingReportingOverflow(twice)
            let (next, o2) = budget.addingReportingOverflow(padded)
            if o0 || o1 || o2 { throw .totalSizeOverflow }
            budget = next
        }
    }
}
