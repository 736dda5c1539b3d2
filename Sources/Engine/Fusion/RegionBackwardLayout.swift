/// The chunk program of a fused region's backward step, fixed when the step is
/// built: where each gradient lives in a chunk, the backward operations in
/// order (each knowing whether it writes or adds, so nothing is zeroed first),
/// and chunk-long slots assigned by liveness inside the chunk (a slot is reused
/// once the value or gradient in it is dead).
///
/// A gradient lives in a slot; or straight in a destination buffer at the
/// chunk's positions (a full input's, or a member's whose gradient is exactly
/// that input's, slope 1, no other term); or in place in the upstream buffer
/// of a value output (a member whose only term is that upstream, when no
/// destination write can overwrite the upstream before it is read); or it is
/// reduced as its terms come (a scalar input's Σ into the thread's
/// accumulator, a broadcast input's through its map). Slope factors and the
/// products a reduction needs are written in pieces of
/// `RegionBackwardStep.piece` elements on the thread's stack, not in slots.
struct RegionBackwardLayout {
    /// Where the gradient of a region input or member is held in a chunk.
    enum Home: Equatable {
        /// No gradient flows to it (or it has no destination).
        case none
        /// A chunk-long slot.
        case slot(Int)
        /// The destination of full input `i`, at the chunk's positions.
        case destination(input: Int)
        /// The upstream gradient of output `k`, at the chunk's positions (read only).
        case upstream(output: Int)
        /// Scalar input: Σ of its terms added to the thread's accumulators.
        case scalar
        /// Broadcast input: its terms reduced through its map.
        case broadcast
    }

    /// What multiplies the gradient in one contribution.
    enum Slope {
        case one
        /// The one element of local entry `id` (a scalar operand).
        case scalarOperand(id: Int)
        /// Local entry `id`, position by position.
        case operand(id: Int)
        /// d written by the op's factor from the entries it reads.
        case factor(DiagonalDerivative.Factor, readIDs: [Int])

        /// Local entries it reads position by position.
        var reads: [Int] {
            switch self {
            case .one, .scalarOperand: return []
            case let .operand(id): return [id]
            case let .factor(_, readIDs): return readIDs
            }
        }
    }

    enum Operation {
        /// The output's upstream gradient (a sum's broadcast back over the chunk) into member `member`'s gradient.
        case upstream(output: Int, member: Int, first: Bool)
        /// g[target] (+)= g[member] ⊙ slope; for a scalar or broadcast target, its terms reduced.
        case contribute(member: Int, target: Int, slope: Slope, first: Bool)
    }

    /// Home of each local entry's gradient (region inputs, then members).
    private(set) var homes: [Home]
    /// Value slot of each local entry (a broadcast input expanded, a member computed), nil: none.
    private(set) var valueSlots: [Int?]
    let operations: [Operation]
    /// Full inputs whose destination no term reaches: written with zeros.
    let zeroFilled: [Int]
    /// Chunk-long slots one thread uses.
    private(set) var slots = 0

    /// - Parameters:
    ///   - computed: members computed in each chunk, in region order;
    ///   - expanded: broadcast inputs expanded into a slot;
    ///   - slopes: each member's slope for each operand, nil where no gradient flows;
    ///   - destinations, accumulates: each input's gradient buffer (-1: none) and whether it adds;
    ///   - upstreamReached: which outputs bring an upstream gradient on the path;
    ///   - upstreamOverwritable: which outputs' upstream a destination may take in place;
    ///   - sums: the sum outputs' members, read after the computed members (one pass), else empty.
    init(region: FusedRegion, computed: [Int], expanded: Set<Int>, slopes: [[Slope?]], destinations: [Int],
         accumulates: [Bool], upstreamReached: [Bool], upstreamOverwritable: [Bool], sums: [Int]) {
        let inputs = region.inputKinds.count, entries = inputs + region.members.count
        let operandIDs = region.operandIDs
        func isFullInput(_ id: Int) -> Bool {
            guard id < inputs, case .full = region.inputKinds[id] else { return false }
            return true
        }

        var homes = [Home](repeating: .none, count: entries)
        for (i, kind) in region.inputKinds.enumerated() where destinations[i] >= 0 {
            switch kind {
            case .full: homes[i] = .destination(input: i)
            case .scalar: homes[i] = .scalar
            case .broadcast: homes[i] = .broadcast
            }
        }

        // The terms, in backward order: a member's terms come after every term into it.
        var upstreamOf = [[Int]](repeating: [], count: region.members.count)
        for (k, output) in region.outputs.enumerated() where upstreamReached[k] { upstreamOf[output.member].append(k) }
        var received = [Int](repeating: 0, count: entries)
        for m in region.members.indices { received[inputs + m] = upstreamOf[m].count }
        var terms: [(member: Int, target: Int, slope: Slope)] = []
        for m in region.members.indices.reversed() where received[inputs + m] > 0 {
            for (j, slope) in slopes[m].enumerated() {
                guard let slope else { continue }
                let target = operandIDs[m][j]
                if target < inputs, homes[target] == .none { continue }
                terms.append((m, target, slope))
                received[target] += 1
            }
        }

        // A destination may take an overwritable upstream's memory in place, so no
        // read of such an upstream may follow a write into any destination; the op
        // that reads it may write in place (element by element). Tried with the
        // most in place first: members held in destinations and upstreams read in
        // place; then no upstream read in place; then only non-output members in
        // destinations (upstreams copied into slots first: always safe).
        let inputHomes = homes
        var ops: [Operation] = []
        for (views, forwardOutputs) in [(true, true), (false, true), (false, false)] {
            homes = inputHomes
            // A member whose term with slope 1 is the only one into a full input's
            // destination (which it writes, not adds) holds its gradient there.
            for m in region.members.indices where received[inputs + m] > 0 && (forwardOutputs || upstreamOf[m].isEmpty) {
                guard let t = terms.first(where: { term in
                    guard term.member == m, isFullInput(term.target), !accumulates[term.target],
                          received[term.target] == 1, case .one = term.slope else { return false }
                    return true
                }) else { continue }
                homes[inputs + m] = .destination(input: t.target)
                homes[t.target] = .none
            }
            // A member whose only gradient is a value output's upstream reads it in place.
            for m in region.members.indices where views && homes[inputs + m] == .none && received[inputs + m] == 1 {
                if let k = upstreamOf[m].first, case .value = region.outputs[k] { homes[inputs + m] = .upstream(output: k) }
            }
            // Upstream copies into slots first, then those into destinations, then the terms.
            ops = []
            var written = Set<Int>()
            let outputMembers = region.members.indices.filter { !upstreamOf[$0].isEmpty }
            for intoDestination in [false, true] {
                for m in outputMembers {
                    if case .upstream = homes[inputs + m] { continue }
                    let isDestination: Bool
                    if case .destination = homes[inputs + m] { isDestination = true } else { isDestination = false }
                    guard isDestination == intoDestination else { continue }
                    for k in upstreamOf[m] {
                        ops.append(.upstream(output: k, member: m, first: written.insert(inputs + m).inserted))
                    }
                }
            }
            for term in terms {
                if homes[inputs + term.member] == .destination(input: term.target) { continue }  // already there
                let first = isFullInput(term.target) && accumulates[term.target] ? false : written.insert(term.target).inserted
                ops.append(.contribute(member: term.member, target: term.target, slope: term.slope, first: first))
            }
            if Self.readsNoOverwrittenUpstream(ops, homes: homes, inputs: inputs, overwritable: upstreamOverwritable) { break }
        }
        // A member whose only term is another's gradient with slope 1, both in
        // slots, shares that slot: the copy goes (the source is complete by then
        // and only read afterwards).
        var sharesSlotOf = [Int?](repeating: nil, count: entries)
        ops.removeAll { op in
            guard case let .contribute(member, target, .one, true) = op, target >= inputs, received[target] == 1,
                  homes[target] == .none, homes[inputs + member] == .none else { return false }
            sharesSlotOf[target] = sharesSlotOf[inputs + member] ?? inputs + member
            return true
        }
        operations = ops
        zeroFilled = region.inputKinds.indices.filter { i in
            isFullInput(i) && destinations[i] >= 0 && !accumulates[i] && received[i] == 0
        }

        // Liveness inside the chunk: 0 binds the inputs, 1 + c computes member
        // computed[c], 1 + C adds the sums, 2 + C + b runs operation b.
        let c = computed.count
        var birth = [Int](repeating: -1, count: 2 * entries), death = [Int](repeating: -1, count: 2 * entries)
        func use(_ key: Int, at t: Int) {
            if birth[key] < 0 { birth[key] = t }
            death[key] = max(death[key], t)
        }
        for i in expanded { use(i, at: 0) }
        for (index, m) in computed.enumerated() {
            for id in operandIDs[m] where id >= inputs ? computed.contains(id - inputs) : expanded.contains(id) {
                use(id, at: 1 + index)
            }
            use(inputs + m, at: 1 + index)
        }
        for m in sums { use(inputs + m, at: 1 + c) }
        let gradientKey = { (id: Int) in entries + (sharesSlotOf[id] ?? id) }
        for (b, op) in ops.enumerated() {
            let t = 2 + c + b
            switch op {
            case let .upstream(_, member, _):
                if homes[inputs + member] == .none { use(gradientKey(inputs + member), at: t) }
            case let .contribute(member, target, slope, _):
                for id in slope.reads where birth[id] >= 0 { use(id, at: t) }
                if homes[inputs + member] == .none { use(gradientKey(inputs + member), at: t) }
                if target >= inputs, homes[target] == .none { use(gradientKey(target), at: t) }
            }
        }
        // Greedy interval colouring, by birth: a slot is free once its last use is past.
        var freeAt: [Int] = []  // per slot: the first time it can be taken again
        var slotOf = [Int?](repeating: nil, count: 2 * entries)
        for key in birth.indices.filter({ birth[$0] >= 0 }).sorted(by: { (birth[$0], $0) < (birth[$1], $1) }) {
            if let s = freeAt.indices.first(where: { freeAt[$0] <= birth[key] }) {
                slotOf[key] = s
                freeAt[s] = death[key] + 1
            } else {
                slotOf[key] = freeAt.count
                freeAt.append(death[key] + 1)
            }
        }
        slots = freeAt.count
        valueSlots = (0..<entries).map { slotOf[$0] }
        for id in 0..<entries where homes[id] == .none {
            if let s = slotOf[gradientKey(id)] { homes[id] = .slot(s) }
        }
        self.homes = homes
    }

    /// Whether no op reads an upstream that a destination may overwrite (by an
    /// upstream copy, or through a gradient read in place) after an earlier op
    /// wrote a destination.
    private static func readsNoOverwrittenUpstream(_ ops: [Operation], homes: [Home], inputs: Int,
                                                   overwritable: [Bool]) -> Bool {
        var destinationWritten = false
        for op in ops {
            let read: Int?, writesDestination: Bool
            switch op {
            case let .upstream(k, member, _):
                read = k
                if case .destination = homes[inputs + member] { writesDestination = true } else { writesDestination = false }
            case let .contribute(member, target, _, _):
                if case let .upstream(k) = homes[inputs + member] { read = k } else { read = nil }
                if case .destination = homes[target] { writesDestination = true } else { writesDestination = false }
            }
            if let read, overwritable[read], destinationWritten { return false }
            destinationWritten = destinationWritten || writesDestination
        }
        return true
    }
}
