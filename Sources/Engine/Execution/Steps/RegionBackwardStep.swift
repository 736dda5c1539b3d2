import CVectorMath

/// A fused region's backward pass: chunk by chunk, the member values its
/// slopes need are recomputed from the region's inputs (or read from an output
/// kept anyway), and the gradient flows back through the members inside the
/// chunk along `RegionBackwardLayout`'s operations: the upstream gradients of
/// the outputs (a sum's broadcast back over the chunk), then each member's
/// terms, written or added straight where their gradient lives (a full
/// input's destination at the chunk's positions, a slot, the upstream read in
/// place). A scalar input's terms are summed into the thread's accumulator and
/// a broadcast input's reduced through its map, into its destination when the
/// threads' ranges touch disjoint elements of it, else into the thread's
/// accumulators, which are added in thread order (deterministic).
/// Cost: one read of each input and upstream gradient it needs and one write of
/// each input gradient; the recomputation and the slopes run in cache, with
/// vector kernels (`vm_multiply_into`, `vm_dot`, ...) and no zeroing pass.
final class RegionBackwardStep: Step {
    let region: FusedRegion
    let plan: RegionBackwardPlan
    var inputBuffers: [Int]
    /// The value buffer of each output, the gradient buffer of each output (-1: none reached it).
    var outputBuffers: [Int]
    let upstream: [Int]
    /// The gradient each input's contribution goes to (-1: none), and whether it adds.
    let destinations: [Int]
    let accumulates: [Bool]
    /// The chunk scratch (slots and accumulators), -1 when the step needs none.
    var scratch = -1
    let chunks: RegionChunks
    let layout: RegionBackwardLayout
    private let values: RegionTables
    private let gradients: RegionTables
    private let operandIDs: [[Int]]
    /// Accumulator offset of each scalar input and of each broadcast input reduced per thread.
    private let accumulatorOffsets: [Int?]
    /// Broadcast inputs whose gradient each thread reduces straight into the destination.
    let broadcastInPlace: [Bool]
    /// Members read from their output buffer, with that buffer's index in `outputBuffers`.
    private let readOutputs: [(member: Int, output: Int)]
    /// Whether the step also computes the region's sums (one pass: see `RegionOnePassStep`).
    let computesSums: Bool
    /// Members computed in each chunk, in region order.
    private let computed: [Int]
    /// Accumulator offset of each sum output (one pass only).
    private let sumOffsets: [Int?]

    /// The backward step; with `computesSums` it also computes the region's sum
    /// outputs from the members it computes in the chunk (the members the sums
    /// need are computed too), for a region whose outputs are all sums.
    init(region: FusedRegion, plan: RegionBackwardPlan, inputBuffers: [Int], outputBuffers: [Int], upstream: [Int],
         destinations: [Int], accumulates: [Bool], computesSums: Bool = false) {
        self.computesSums = computesSums
        var needed = Set(plan.recompute)
        if computesSums {
            func need(_ m: Int) {
                guard needed.insert(m).inserted else { return }
                for case let .member(j) in region.members[m].operands { need(j) }
            }
            for output in region.outputs { need(output.member) }
        }
        computed = needed.sorted()
        self.region = region
        self.plan = plan
        self.inputBuffers = inputBuffers
        self.outputBuffers = outputBuffers
        self.upstream = upstream
        self.destinations = destinations
        self.accumulates = accumulates
        let operandIDs = region.operandIDs
        self.operandIDs = operandIDs
        let slopes: [[RegionBackwardLayout.Slope?]] = region.members.indices.map { m in
            let op = region.members[m].op
            return region.members[m].operands.indices.map { j in
                guard let form = plan.forms[m][j] else { return nil }
                switch op.elementSlope(forInput: j) {
                case .zero: return nil
                case .one: return .one
                case let .operand(k):
                    return op.scalarInputs.contains(k) ? .scalarOperand(id: operandIDs[m][k]) : .operand(id: operandIDs[m][k])
                case let .diagonal(d):
                    return .factor(d.forms[form].factor, readIDs: region.readIDs(d.forms[form], member: m))
                }
            }
        }
        let expanded = Set(region.inputKinds.indices.filter { i in
            guard case .broadcast = region.inputKinds[i] else { return false }
            return computesSums || plan.readInputs.contains(i)
        })
        // A destination written in place of an upstream (`access.mayOverwrite`).
        let overwritable = region.outputs.indices.map { k in
            upstream[k] >= 0 && region.inputKinds.indices.contains { i in
                guard case .full = region.inputKinds[i], destinations[i] >= 0, !accumulates[i],
                      case .value = region.outputs[k] else { return false }
                return true
            }
        }
        layout = RegionBackwardLayout(
            region: region, computed: computed, expanded: expanded, slopes: slopes, destinations: destinations,
            accumulates: accumulates,
            upstreamReached: region.outputs.indices.map { upstream[$0] >= 0 && plan.memberOnPath[region.outputs[$0].member] },
            upstreamOverwritable: overwritable,
            sums: computesSums ? region.outputs.map(\.member) : [])
        let parts = elementwiseParts(region.count)
        broadcastInPlace = region.inputKinds.indices.map { i in
            guard case let .broadcast(map) = region.inputKinds[i], destinations[i] >= 0 else { return false }
            return map.partsTouchDisjointElements(parts: parts)
        }
        var accumulators = 0
        accumulatorOffsets = region.inputKinds.indices.map { [broadcastInPlace] i in
            guard plan.inputOnPath[i], destinations[i] >= 0 else { return nil }
            switch region.inputKinds[i] {
            case .full: return nil
            case .scalar: defer { accumulators += 1 }; return accumulators
            case let .broadcast(map):
                if broadcastInPlace[i] { return nil }
                defer { accumulators += map.smallCount }
                return accumulators
            }
        }
        sumOffsets = region.outputs.map { output in
            guard computesSums, case let .sum(_, map) = output else { return nil }
            defer { accumulators += map.smallCount }
            return accumulators
        }
        chunks = RegionChunks(slots: layout.slots, accumulators: accumulators, count: region.count)
        let entries = region.inputKinds.count + region.members.count
        values = RegionTables(entries: entries, parts: chunks.parts)
        gradients = RegionTables(entries: entries, parts: chunks.parts)
        readOutputs = plan.readOutputs.sorted().map { ($0, region.valueOutputOfMember[$0]!) }
    }

    var label: String { "∂" + region.name }
    var writesKind: String { "gradient" }

    var access: StepAccess {
        var reads = computesSums ? inputBuffers : plan.readInputs.sorted().map { inputBuffers[$0] }
        reads += readOutputs.map { outputBuffers[$0.output] }
        reads += upstream.filter { $0 >= 0 }
        var writes: [StepAccess.Write] = computesSums ? outputBuffers.map { .init(buffer: $0) } : []
        var overwrite: [(written: Int, read: Int)] = []
        for (i, destination) in destinations.enumerated() where destination >= 0 {
            writes.append(.init(buffer: destination, accumulates: accumulates[i]))
            guard case .full = region.inputKinds[i], !accumulates[i] else { continue }
            for (k, output) in region.outputs.enumerated() where upstream[k] >= 0 {
                if case .value = output { overwrite.append((destination, upstream[k])) }
            }
        }
        return StepAccess(reads: reads, writes: writes, scratch: scratch >= 0 ? [scratch] : [], mayOverwrite: overwrite)
    }

    func renamed(_ r: BufferRenaming) -> any Step {
        let step = RegionBackwardStep(region: region, plan: plan, inputBuffers: r(inputBuffers),
                                      outputBuffers: r(outputBuffers), upstream: upstream.map { $0 < 0 ? $0 : r($0) },
                                      destinations: destinations.map { $0 < 0 ? $0 : r($0) }, accumulates: accumulates,
                                      computesSums: computesSums)
        step.scratch = scratch < 0 ? scratch : r(scratch)
        return step
    }

    func run(_ table: BufferTable, _ state: ExecutionState) {
        // A step without slots or accumulators touches no scratch: any pointer does.
        let scratch = self.scratch >= 0 ? table[self.scratch] : state.diagonalScratch
        let parts = chunks.parts
        for p in 0..<parts { chunks.accumulators(part: p, in: scratch).update(repeating: 0, count: chunks.accumulators) }
        for (i, inPlace) in broadcastInPlace.enumerated() where inPlace && !accumulates[i] {
            table[destinations[i]].update(repeating: 0, count: region.inputKinds[i].count(regionCount: region.count))
        }
        chunks.forEachChunk(region.count) { part, range in
            // The pieces live on the thread's stack (1 KiB: always stack-allocated).
            withUnsafeTemporaryAllocation(of: Double.self, capacity: Self.piece) { pieces in
                backward(table, range, part: part, scratch: scratch, pieces: pieces.baseAddress!)
            }
        }
        combineAccumulators(table, parts: parts, scratch: scratch)
        guard computesSums else { return }
        for (k, output) in region.outputs.enumerated() {
            guard case let .sum(_, map) = output, let offset = sumOffsets[k] else { continue }
            chunks.combine(map.smallCount, offset: offset, in: scratch, into: table[outputBuffers[k]], accumulate: false)
        }
    }

    private func backward(_ table: BufferTable, _ range: Range<Int>, part: Int, scratch: UnsafeMutablePointer<Double>,
                          pieces: UnsafeMutablePointer<Double>) {
        let local = values.table(part: part), g = gradients.table(part: part)
        let n = range.count, inputs = region.inputKinds.count
        let slot = { (k: Int) in self.chunks.slot(k, part: part, in: scratch) }
        region.bindInputs(local, from: table, buffers: inputBuffers, range: range) { layout.valueSlots[$0].map(slot) }
        for (m, k) in readOutputs { local[inputs + m] = table[outputBuffers[k]] + range.lowerBound }
        for m in computed {
            local[inputs + m] = slot(layout.valueSlots[inputs + m]!)
            region.evaluate(m, local, operandIDs: operandIDs[m], count: n)
        }
        let accumulators = chunks.accumulators(part: part, in: scratch)
        if computesSums {
            for (k, output) in region.outputs.enumerated() {
                if case let .sum(m, map) = output { map.reduce(local[inputs + m], range: range, into: accumulators + sumOffsets[k]!) }
            }
        }
        for (id, home) in layout.homes.enumerated() {
            switch home {
            case let .slot(s): g[id] = slot(s)
            case let .destination(i): g[id] = table[destinations[i]] + range.lowerBound
            case let .upstream(k): g[id] = table[upstream[k]] + range.lowerBound
            case .none, .scalar, .broadcast: continue
            }
        }
        for operation in layout.operations {
            switch operation {
            case let .upstream(k, m, first):
                let gm = g[inputs + m]
                switch region.outputs[k] {
                case .value: vm_add_into(gm, table[upstream[k]] + range.lowerBound, n, first ? 0 : 1)
                case let .sum(_, map): map.expand(table[upstream[k]], into: gm, range: range, accumulate: !first)
                }
            case let .contribute(m, target, slope, first):
                contribute(g[inputs + m], to: target, slope: slope, first: first, local: local, g: g, range: range,
                           accumulators: accumulators, table: table, pieces: pieces)
            }
        }
        for i in layout.zeroFilled { (table[destinations[i]] + range.lowerBound).update(repeating: 0, count: n) }
    }

    /// One term g[target] (+)= gm ⊙ slope over the chunk; factors and the
    /// products a broadcast reduction needs go through `pieces`.
    private func contribute(_ gm: UnsafeMutablePointer<Double>, to target: Int, slope: RegionBackwardLayout.Slope,
                            first: Bool, local: BufferTable, g: BufferTable, range: Range<Int>,
                            accumulators: UnsafeMutablePointer<Double>, table: BufferTable,
                            pieces: UnsafeMutablePointer<Double>) {
        let n = range.count
        switch layout.homes[target] {
        case .scalar:
            let sum: Double
            switch slope {
            case .one: sum = vm_sum(gm, n)
            case let .scalarOperand(id): sum = local[id][0] * vm_sum(gm, n)
            case let .operand(id): sum = vm_dot(gm, local[id], n)
            case let .factor(factor, readIDs):
                var total = 0.0
                forEachPiece(n) { start, length in
                    factor(DiagonalOperands(table: local, readIDs: readIDs, offset: start), length, pieces)
                    total += vm_dot(gm + start, pieces, length)
                }
                sum = total
            }
            accumulators[accumulatorOffsets[target]!] += sum
        case .broadcast:
            guard case let .broadcast(map) = region.inputKinds[target] else { return }
            let into = broadcastInPlace[target] ? table[destinations[target]] : accumulators + accumulatorOffsets[target]!
            if case .one = slope { map.reduce(gm, range: range, into: into); return }
            forEachPiece(n) { start, length in
                product(gm + start, slope, offset: start, count: length, local: local, into: pieces)
                map.reduce(pieces, range: (range.lowerBound + start)..<(range.lowerBound + start + length), into: into)
            }
        case .slot, .destination, .upstream:
            let out = g[target], accumulate: Int32 = first ? 0 : 1
            switch slope {
            case .one: vm_add_into(out, gm, n, accumulate)
            case let .scalarOperand(id): vm_scale_into(out, gm, local[id][0], n, accumulate)
            case let .operand(id): vm_multiply_into(out, gm, local[id], n, accumulate)
            case let .factor(factor, readIDs):
                forEachPiece(n) { start, length in
                    factor(DiagonalOperands(table: local, readIDs: readIDs, offset: start), length, pieces)
                    vm_multiply_into(out + start, gm + start, pieces, length, accumulate)
                }
            }
        case .none:
            return
        }
    }

    /// out = g ⊙ slope for `count` elements at `offset` of the chunk.
    private func product(_ g: UnsafeMutablePointer<Double>, _ slope: RegionBackwardLayout.Slope, offset: Int, count: Int,
                         local: BufferTable, into out: UnsafeMutablePointer<Double>) {
        switch slope {
        case .one: vm_add_into(out, g, count, 0)
        case let .scalarOperand(id): vm_scale_into(out, g, local[id][0], count, 0)
        case let .operand(id): vm_multiply_into(out, g, local[id] + offset, count, 0)
        case let .factor(factor, readIDs):
            factor(DiagonalOperands(table: local, readIDs: readIDs, offset: offset), count, out)
            vm_multiply_into(out, g, out, count, 0)
        }
    }

    /// Elements of a piece: a factor d, or a product to reduce, in registers' reach.
    static let piece = 128

    /// Calls body(start, length) over pieces of at most `piece` elements of 0..<count.
    @inline(__always)
    private func forEachPiece(_ count: Int, _ body: (_ start: Int, _ length: Int) -> Void) {
        var start = 0
        while start < count {
            let length = min(Self.piece, count - start)
            body(start, length)
            start += length
        }
    }

    /// Gradients of scalar and broadcast inputs: the threads' sums added in thread order.
    private func combineAccumulators(_ table: BufferTable, parts: Int, scratch: UnsafeMutablePointer<Double>) {
        for (i, offset) in accumulatorOffsets.enumerated() {
            guard let offset, destinations[i] >= 0 else { continue }
            chunks.combine(region.inputKinds[i].count(regionCount: region.count), offset: offset, in: scratch,
                           into: table[destinations[i]], accumulate: accumulates[i])
        }
    }
}
