/// The unit of placement: one buffer, or a chain of buffers joined by in-place takeovers
/// (`head`, the buffer `head` is taken over by, the buffer that one is taken over by, ...), which
/// share one slot. The head is the largest and most aligned member of its chain (legality
/// requires it), so the slot has the head's size and alignment and is reserved from the head's
/// first step to the last member's last step.
struct PlacementUnit: Hashable {
    /// The first buffer of the chain.
    var head: Int
    /// Slot size in arena units (the head's size rounded up to the quantum); always > 0.
    var size: Int
    /// Slot alignment in arena units.
    var alignment: Int
    /// First and last step at which the slot is reserved.
    var first: Int
    var last: Int
}

/// What every strategy works on, derived once from a checked request.
///
/// Offsets are computed in units of `quantum`, the smallest alignment among buffers of non-zero
/// size. Every offset is a multiple of it, so a buffer of `size` bytes blocks exactly
/// `ceil(size / quantum)` units for its neighbours: nothing is lost, and the spans of placed
/// buffers do not leave unusable padding slivers between them.
struct PlacementProblem {
    let buffers: [Buffer]
    let stepCount: Int
    let quantum: Int
    /// The takeovers, sorted by taker index.
    let aliases: [InPlaceAlias]
    /// The units of non-zero size, ordered by the index of their head.
    let units: [PlacementUnit]
    /// For each buffer, the index of its unit in `units`, or -1 if its unit has size zero.
    let unitOfBuffer: [Int]

    /// Derives the takeovers and units. O(n + total candidates) (nearly: union-find).
    ///
    /// Takeovers are chosen before any strategy runs, so every strategy and the statistics see the
    /// same ones: buffers in index order each take their first legal candidate (in the order
    /// listed) that nobody has taken yet and whose taking would not close a cycle.
    init(checked buffers: [Buffer], stepCount: Int) {
        let n = buffers.count
        self.buffers = buffers
        self.stepCount = stepCount
        quantum = buffers.lazy.filter { $0.size > 0 }.map(\.alignment).min() ?? 1

        var takenBy = [Int](repeating: -1, count: n)  // takenBy[j] = the buffer that took j over
        var takes = [Int](repeating: -1, count: n)
        var chains = UnionFind(count: n)
        var aliases: [InPlaceAlias] = []
        for taker in 0..<n {
            for reused in buffers[taker].inPlaceCandidates
            where takenBy[reused] < 0 && AliasDefect.check(taker: taker, reused: reused, in: buffers) == nil {
                guard chains.union(taker, reused) else { continue }  // would close a cycle
                takenBy[reused] = taker
                takes[taker] = reused
                aliases.append(InPlaceAlias(buffer: taker, reuses: reused, step: buffers[taker].firstStep))
                break
            }
        }
        self.aliases = aliases

        var units: [PlacementUnit] = []
        var unitOfBuffer = [Int](repeating: -1, count: n)
        for head in 0..<n where takes[head] < 0 && buffers[head].size > 0 {
            let buffer = buffers[head]
            var tail = head
            unitOfBuffer[head] = units.count
            while takenBy[tail] >= 0 {
                tail = takenBy[tail]
                unitOfBuffer[tail] = units.count
            }
            units.append(
                PlacementUnit(
                    head: head,
                    size: (buffer.size + quantum - 1) / quantum,
                    alignment: buffer.alignment / quantum,
                    first: buffer.liveFirst(),
                    last: buffers[tail].liveLast(stepCount: stepCount)))
        }
        self.units = units
        self.unitOfBuffer = unitOfBuffer
    }

    /// Byte offsets of the buffers and the arena size, from unit offsets of `units`. O(n).
    func layout(unitOffsets: [Int]) -> (offsets: [Int], arenaSize: Int) {
        var offsets = [Int](repeating: 0, count: buffers.count)
        var arena = 0
        for (b, unit) in unitOfBuffer.enumerated() where unit >= 0 {
            offsets[b] = unitOffsets[unit] * quantum
            arena = max(arena, offsets[b] + buffers[b].size)
        }
        return (offsets, arena)
    }
}
