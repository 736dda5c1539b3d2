import PropertyBased
@testable import MemoryPlanner

/// A planning request, printed so that a failing case can be pasted back into a test.
struct Problem: Sendable, CustomStringConvertible {
    var buffers: [Buffer]
    var stepCount: Int

    var description: String {
        let lines = buffers.map { b in
            "Buffer(size: \(b.size), alignment: \(b.alignment), firstStep: \(b.firstStep), lastStep: \(b.lastStep)"
                + (b.isPinned ? ", isPinned: true" : "")
                + (b.inPlaceCandidates.isEmpty ? "" : ", inPlaceCandidates: \(b.inPlaceCandidates)") + "),"
        }
        return "stepCount: \(stepCount), buffers: [\n" + lines.joined(separator: "\n") + "\n]"
    }
}

/// Random valid requests: up to `maxBuffers` buffers over 1...12 steps, mostly short lifetimes,
/// some zero sizes, some pinned, mixed alignments in a third of the requests, and in-place
/// candidates of which about half are legal.
func randomProblem(using rng: inout some RandomNumberGenerator, maxBuffers: Int = 24) -> Problem {
    let stepCount = Int.random(in: 1...12, using: &rng)
    let count = Int.random(in: 0...maxBuffers, using: &rng)
    let mixedAlignments = Int.random(in: 0..<3, using: &rng) == 0
    var buffers: [Buffer] = []
    for _ in 0..<count {
        let first = Int.random(in: 0..<stepCount, using: &rng)
        let length = Bool.random(using: &rng) ? Int.random(in: 0...1, using: &rng) : Int.random(in: 0...stepCount, using: &rng)
        let last = min(stepCount - 1, first + length)
        let size =
            switch Int.random(in: 0..<10, using: &rng) {
            case 0: 0
            case 1...3: Int.random(in: 1...100, using: &rng)
            case 4...7: 64 * Int.random(in: 1...8, using: &rng)
            default: Int.random(in: 1...2000, using: &rng)
            }
        let alignment = mixedAlignments ? 1 << Int.random(in: 0...7, using: &rng) : 64
        buffers.append(
            Buffer(size: size, alignment: alignment, firstStep: first, lastStep: last,
                   isPinned: Int.random(in: 0..<10, using: &rng) == 0))
    }
    for i in buffers.indices where Int.random(in: 0..<5, using: &rng) < 2 {
        let dying = buffers.indices.filter { $0 != i && buffers[$0].lastStep == buffers[i].firstStep }
        for _ in 0..<Int.random(in: 1...2, using: &rng) {
            if Bool.random(using: &rng), let legal = dying.randomElement(using: &rng) {
                buffers[i].inPlaceCandidates.append(legal)
                if Bool.random(using: &rng) { buffers[i].size = min(buffers[i].size, buffers[legal].size) }
            } else if buffers.count > 1 {
                var other = Int.random(in: 0..<buffers.count, using: &rng)
                if other == i { other = (other + 1) % buffers.count }
                buffers[i].inPlaceCandidates.append(other)
            }
        }
    }
    return Problem(buffers: buffers, stepCount: stepCount)
}

/// PropertyBased generator of ``randomProblem(using:maxBuffers:)``.
func problems(maxBuffers: Int = 24) -> Generator<Problem, Shrink.None<Problem>> {
    Generator { rng in randomProblem(using: &rng, maxBuffers: maxBuffers) }
}

/// SplitMix64, for seeded loops outside PropertyBased.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
