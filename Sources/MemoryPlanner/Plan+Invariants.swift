extension Plan {
    /// Checks the plan's invariants and throws the first violation:
    /// - one offset per buffer, each non-negative and a multiple of the buffer's alignment;
    /// - every buffer inside the arena (`offset + size <= arenaSize`);
    /// - every takeover legal: the taker lists the reused buffer as a candidate, starts at the step
    ///   the reused buffer ends, is no larger and no more aligned, neither is pinned, both have the
    ///   same offset, no buffer takes or is taken twice, no cycle;
    /// - no two buffers of non-zero size that are live at a common step share a byte, unless a
    ///   chain of takeovers joins them (each link legal as above);
    /// - the arena is at least the lower bound (recomputed here from the buffers and takeovers).
    ///
    /// Independent of how the plan was made: it sweeps the steps keeping the live buffers sorted
    /// by offset, and checks each newly live buffer against its neighbours in memory.
    /// - Complexity: O(n log L + T) for n buffers over T steps with at most L live at once, plus
    ///   the moves that keep the live set sorted: O(n · L) small moves at worst.
    public func validate() throws(PlanViolation) {
        do { try PlannerError.check(buffers, stepCount: stepCount) } catch { throw .invalidRequest(error) }
        guard offsets.count == buffers.count else {
            throw .offsetCountMismatch(offsets: offsets.count, buffers: buffers.count)
        }
        for (b, buffer) in buffers.enumerated() {
            let offset = offsets[b]
            if offset < 0 { throw .negativeOffset(buffer: b, offset: offset) }
            if offset % buffer.alignment != 0 {
                throw .misaligned(buffer: b, offset: offset, alignment: buffer.alignment)
            }
            if offset > arenaSize - buffer.size {
                throw .outsideArena(buffer: b, offset: offset, size: buffer.size, arenaSize: arenaSize)
            }
        }
        var chains = try checkAliases()
        try checkNoOverlap(chains: &chains)
        let lowerBound = liveBytesPerStep(buffers, stepCount: stepCount, aliases: aliases).max() ?? 0
        if arenaSize < lowerBound { throw .arenaBelowLowerBound(arenaSize: arenaSize, lowerBound: lowerBound) }
    }

    /// Checks every takeover; returns the chains they form.
    private func checkAliases() throws(PlanViolation) -> UnionFind {
        var takes = [Bool](repeating: false, count: buffers.count)
        var taken = [Bool](repeating: false, count: buffers.count)
        var chains = UnionFind(count: buffers.count)
        for alias in aliases {
            guard buffers.indices.contains(alias.buffer), buffers.indices.contains(alias.reuses) else {
                throw .aliasOutOfRange(alias)
            }
            let (t, r) = (alias.buffer, alias.reuses)
            func fail(_ defect: AliasDefect) -> PlanViolation { .illegalAlias(alias, defect) }
            guard buffers[t].inPlaceCandidates.contains(r) else { throw fail(.notACandidate) }
            if let defect = AliasDefect.check(taker: t, reused: r, in: buffers) { throw fail(defect) }
            if alias.step != buffers[t].firstStep {
                throw fail(.wrongStep(recorded: alias.step, takerFirstStep: buffers[t].firstStep))
            }
            if offsets[t] != offsets[r] { throw fail(.differentOffset(takerOffset: offsets[t], reusedOffset: offsets[r])) }
            if takes[t] { throw fail(.takesTwice) }
            if taken[r] { throw fail(.reusedTwice) }
            if !chains.union(t, r) { throw fail(.cycle) }
            takes[t] = true
            taken[r] = true
        }
        return chains
    }

    /// The sweep: at each step, buffers that become live are checked against the live set, then
    /// buffers whose last step it is leave it.
    private func checkNoOverlap(chains: inout UnionFind) throws(PlanViolation) {
        var startingAt = [[Int]](repeating: [], count: stepCount)
        var endingAt = [[Int]](repeating: [], count: stepCount)
        for (b, buffer) in buffers.enumerated() where buffer.size > 0 {
            startingAt[buffer.liveFirst()].append(b)
            endingAt[buffer.liveLast(stepCount: stepCount)].append(b)
        }
        // Live buffers of non-zero size, sorted by (offset, index). If the invariant holds so far,
        // buffers at different offsets are disjoint, and those at one offset form one chain.
        var live: [(offset: Int, buffer: Int)] = []
        func position(_ offset: Int, _ buffer: Int) -> Int {
            var low = 0, high = live.count
            while low < high {
                let mid = (low + high) >> 1
                if live[mid].offset < offset || (live[mid].offset == offset && live[mid].buffer < buffer) {
                    low = mid + 1
                } else {
                    high = mid
                }
            }
            return low
        }
        for step in 0..<stepCount {
            for b in startingAt[step] {
                let start = offsets[b], end = offsets[b] + buffers[b].size
                let chain = chains.find(b)
                func conflict(_ other: Int) -> PlanViolation {
                    let o = offsets[other]
                    return .overlap(buffer: other, bytes: o..<(o + buffers[other].size),
                                    other: b, otherBytes: start..<end, step: step)
                }
                let firstAtOrAbove = position(start, Int.min)
                var k = firstAtOrAbove
                while k < live.count && live[k].offset < end {  // starting inside this buffer
                    if chains.find(live[k].buffer) != chain { throw conflict(live[k].buffer) }
                    k += 1
                }
                k = firstAtOrAbove - 1  // only the nearest offset below can reach into it
                while k >= 0 && live[k].offset == live[firstAtOrAbove - 1].offset {
                    let other = live[k].buffer
                    if offsets[other] + buffers[other].size > start && chains.find(other) != chain {
                        throw conflict(other)
                    }
                    k -= 1
                }
                live.insert((start, b), at: position(start, b))
            }
            for b in endingAt[step] {
                live.remove(at: position(offsets[b], b))
            }
        }
    }
}
