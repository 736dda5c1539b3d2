/// A fused region's backward pass: chunk by chunk, the member values its
/// slopes need are recomputed from the region's inputs (or read from an output
/// kept anyway), the upstream gradients of its outputs are loaded (a sum's
/// gradient broadcast back over the chunk), and the gradient flows back through
/// the members inside the chunk. A full input's gradient is written (or added)
/// at the chunk's positions; a scalar or broadcast input's is summed into the
/// thread's accumulator and the threads' sums are added in thread order.
/// Cost: one read of each input and upstream gradient it needs and one write of
/// each input gradient; the recomputation and the slopes run in cache.
final class RegionBackwardStep: Step {
    /// One operand's slope, resolved to the chunk's local ids.
    private enum Slope {
        case none
        case one
        case factor(DiagonalDerivative.Factor, readIDs: [Int])
    }

    let region: FusedRegion
    let plan: RegionBackwardPlan
    var inputBuffers: [Int]
    /// The value buffer of each output, the gradient buffer of each output (-1: none reached it).
    var outputBuffers: [Int]
    let upstream: [Int]
    /// The gradient each input's contribution goes to (-1: none), and whether it adds.
    let destinations: [Int]
    let accumulates: [Bool]
    var scratch = -1
    let chunks: RegionChunks
    private let values: RegionTables
    private let gradients: RegionTables
    private let operandIDs: [[Int]]
    private let slopes: [[Slope]]
    private let broadcastSlots: [Int?]
    private let memberSlots: [Int?]
    private let inputGradientSlots: [Int?]
    private let memberGradientSlots: [Int?]
    private let slopeSlot: Int
    private let accumulatorOffsets: [Int?]
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
        var slots = 0
        func next(_ take: Bool) -> Int? {
            guard take else { return nil }
            defer { slots += 1 }
            return slots
        }
        broadcastSlots = region.inputKinds.indices.map { i in
            guard case .broadcast = region.inputKinds[i] else { return nil }
            return next(computesSums || plan.readInputs.contains(i))
        }
        memberSlots = region.members.indices.map { next(needed.contains($0)) }
        inputGradientSlots = plan.inputOnPath.map { next($0) }
        memberGradientSlots = plan.memberOnPath.map { next($0) }
        slopeSlot = slots
        slots += 1
        var accumulators = 0
        accumulatorOffsets = region.inputKinds.indices.map { i in
            guard plan.inputOnPath[i] else { return nil }
            switch region.inputKinds[i] {
            case .full: return nil
            case .scalar: defer { accumulators += 1 }; return accumulators
            case let .broadcast(map): defer { accumulators += map.smallCount }; return accumulators
            }
        }
        sumOffsets = region.outputs.map { output in
            guard computesSums, case let .sum(_, map) = output else { return nil }
            defer { accumulators += map.smallCount }
            return accumulators
        }
        chunks = RegionChunks(slots: slots, accumulators: accumulators, count: region.count)
        let entries = region.inputKinds.count + region.members.count
        values = RegionTables(entries: entries, parts: chunks.parts)
        gradients = RegionTables(entries: entries, parts: chunks.parts)
        operandIDs = region.operandIDs
        readOutputs = plan.readOutputs.sorted().map { ($0, region.valueOutputOfMember[$0]!) }
        slopes = region.members.indices.map { m in
            region.members[m].operands.indices.map { j in
                guard let form = plan.forms[m][j] else { return .none }
                switch region.members[m].op.elementSlope(forInput: j) {
                case .zero: return .none
                case .one: return .one
                case let .diagonal(d): return .factor(d.forms[form].factor, readIDs: region.readIDs(d.forms[form], member: m))
                }
            }
        }
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
        return StepAccess(reads: reads, writes: writes, scratch: [scratch], mayOverwrite: overwrite)
    }

    func renamed(_ r: BufferRenaming) -> any Step {
        let step = RegionBackwardStep(region: region, plan: plan, inputBuffers: r(inputBuffers),
                                      outputBuffers: r(outputBuffers), upstream: upstream.map { $0 < 0 ? $0 : r($0) },
                                      destinations: destinations.map { $0 < 0 ? $0 : r($0) }, accumulates: accumulates,
                                      computesSums: computesSums)
        step.scratch = r(scratch)
        return step
    }

    func run(_ table: BufferTable, _ state: ExecutionState) {
        let scratch = table[self.scratch]
        let parts = chunks.parts
        for p in 0..<parts { chunks.accumulators(part: p, in: scratch).update(repeating: 0, count: chunks.accumulators) }
        chunks.forEachChunk(region.count) { part, range in
            backward(table, range, part: part, scratch: scratch)
        }
        combineAccumulators(table, parts: parts, scratch: scratch)
        guard computesSums else { return }
        for (k, output) in region.outputs.enumerated() {
            guard case let .sum(_, map) = output, let offset = sumOffsets[k] else { continue }
            chunks.combine(map.smallCount, offset: offset, in: scratch, into: table[outputBuffers[k]], accumulate: false)
        }
    }

    private func backward(_ table: BufferTable, _ range: Range<Int>, part: Int, scratch: UnsafeMutablePointer<Double>) {
        let local = values.table(part: part), g = gradients.table(part: part)
        let n = range.count, inputs = region.inputKinds.count
        let slot = { (k: Int) in self.chunks.slot(k, part: part, in: scratch) }
        region.bindInputs(local, from: table, buffers: inputBuffers, range: range) { broadcastSlots[$0].map(slot) }
        for (m, k) in readOutputs { local[inputs + m] = table[outputBuffers[k]] + range.lowerBound }
        for m in computed {
            local[inputs + m] = slot(memberSlots[m]!)
            region.evaluate(m, local, operandIDs: operandIDs[m], count: n)
        }
        if computesSums {
            let accumulators = chunks.accumulators(part: part, in: scratch)
            for (k, output) in region.outputs.enumerated() {
                if case let .sum(m, map) = output { map.reduce(local[inputs + m], range: range, into: accumulators + sumOffsets[k]!) }
            }
        }
        for (i, s) in inputGradientSlots.enumerated() {
            guard let s else { continue }
            g[i] = slot(s)
            g[i].update(repeating: 0, count: n)
        }
        for (m, s) in memberGradientSlots.enumerated() {
            guard let s else { continue }
            g[inputs + m] = slot(s)
            g[inputs + m].update(repeating: 0, count: n)
        }
        for (k, output) in region.outputs.enumerated() where upstream[k] >= 0 && plan.memberOnPath[output.member] {
            let gm = g[inputs + output.member]
            switch output {
            case .value:
                let u = table[upstream[k]] + range.lowerBound
                for e in 0..<n { gm[e] += u[e] }
            case let .sum(_, map):
                map.expand(table[upstream[k]], into: gm, range: range, accumulate: true)
            }
        }
        let d = slot(slopeSlot)
        for m in region.members.indices.reversed() where plan.memberOnPath[m] {
            let gm = g[inputs + m]
            for (j, slope) in slopes[m].enumerated() {
                let target = g[operandIDs[m][j]]
                switch slope {
                case .none:
                    continue
                case .one:
                    for e in 0..<n { target[e] += gm[e] }
                case let .factor(factor, readIDs):
                    factor(DiagonalOperands(table: local, readIDs: readIDs, offset: 0), n, d)
                    for e in 0..<n { target[e] += gm[e] * d[e] }
                }
            }
        }
        let accumulators = chunks.accumulators(part: part, in: scratch)
        for (i, kind) in region.inputKinds.enumerated() where destinations[i] >= 0 {
            let gi = g[i]
            switch kind {
            case .full:
                let out = table[destinations[i]] + range.lowerBound
                if accumulates[i] {
                    for e in 0..<n { out[e] += gi[e] }
                } else {
                    out.update(from: gi, count: n)
                }
            case .scalar:
                var sum = 0.0
                for e in 0..<n { sum += gi[e] }
                accumulators[accumulatorOffsets[i]!] += sum
            case let .broadcast(map):
                map.reduce(gi, range: range, into: accumulators + accumulatorOffsets[i]!)
            }
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
