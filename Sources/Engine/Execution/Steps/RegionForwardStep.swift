/// A fused region's forward pass: chunk by chunk, each member computed into a
/// slot of the chunk (the last one, when it leaves the region, straight into
/// its output), the other values leaving the region copied out and sums
/// accumulated per thread, then added in thread order (deterministic).
/// Cost: one read of each input and one write of each output, the ops'
/// arithmetic in cache; nothing else touches memory.
final class RegionForwardStep: Step {
    let region: FusedRegion
    /// Buffers of the region's inputs and outputs.
    var inputBuffers: [Int]
    let outputBuffers: [Int]
    /// The scratch buffer of `chunks`, set when the builder adds it.
    var scratch = -1
    let chunks: RegionChunks
    private let tables: RegionTables
    private let operandIDs: [[Int]]
    /// Slot of each broadcast input, then of each member (nil: the member
    /// computed straight into `directOutput`).
    private let broadcastSlots: [Int?]
    private let memberSlots: [Int?]
    /// Accumulator offset of each sum output.
    private let sumOffsets: [Int]
    /// The output the last member is computed straight into (no slot, no
    /// copy), if it leaves the region as a value: no member reads after it,
    /// so writing over an input the output shares memory with is safe.
    private let directOutput: Int?

    init(region: FusedRegion, inputBuffers: [Int], outputBuffers: [Int]) {
        self.region = region
        self.inputBuffers = inputBuffers
        self.outputBuffers = outputBuffers
        var slots = 0
        broadcastSlots = region.inputKinds.map { kind in
            guard case .broadcast = kind else { return nil }
            defer { slots += 1 }
            return slots
        }
        let last = region.members.count - 1
        let direct = region.outputs.firstIndex { if case .value(last) = $0 { true } else { false } }
        directOutput = direct
        let firstSlot = slots
        memberSlots = region.members.indices.map { $0 == last && direct != nil ? nil : firstSlot + $0 }
        slots += memberSlots.count { $0 != nil }
        var accumulators = 0
        sumOffsets = region.outputs.map { output in
            guard case let .sum(_, map) = output else { return -1 }
            defer { accumulators += map.smallCount }
            return accumulators
        }
        chunks = RegionChunks(slots: slots, accumulators: accumulators, count: region.count)
        tables = RegionTables(entries: region.inputKinds.count + region.members.count, parts: chunks.parts)
        operandIDs = region.operandIDs
    }

    var label: String { region.name }
    var writesKind: String { "value" }

    var access: StepAccess {
        var overwrite: [(written: Int, read: Int)] = []
        for (k, output) in region.outputs.enumerated() {
            guard case .value = output else { continue }
            for (i, kind) in region.inputKinds.enumerated() {
                if case .full = kind { overwrite.append((outputBuffers[k], inputBuffers[i])) }
            }
        }
        return StepAccess(reads: inputBuffers, writes: outputBuffers.map { .init(buffer: $0) }, scratch: [scratch],
                          mayOverwrite: overwrite)
    }

    func renamed(_ r: BufferRenaming) -> any Step {
        let step = RegionForwardStep(region: region, inputBuffers: r(inputBuffers), outputBuffers: r(outputBuffers))
        step.scratch = r(scratch)
        return step
    }

    func run(_ table: BufferTable, _ state: ExecutionState) {
        let scratch = table[self.scratch], inputs = region.inputKinds.count
        let parts = chunks.parts
        for p in 0..<parts { chunks.accumulators(part: p, in: scratch).update(repeating: 0, count: chunks.accumulators) }
        chunks.forEachChunk(region.count) { part, range in
            let local = tables.table(part: part), n = range.count
            region.bindInputs(local, from: table, buffers: inputBuffers, range: range) { i in
                broadcastSlots[i].map { chunks.slot($0, part: part, in: scratch) }
            }
            for m in region.members.indices {
                local[inputs + m] = memberSlots[m].map { chunks.slot($0, part: part, in: scratch) }
                    ?? table[outputBuffers[directOutput!]] + range.lowerBound
                region.evaluate(m, local, operandIDs: operandIDs[m], count: n)
            }
            let accumulators = chunks.accumulators(part: part, in: scratch)
            for (k, output) in region.outputs.enumerated() where k != directOutput {
                switch output {
                case let .value(m):
                    (table[outputBuffers[k]] + range.lowerBound).update(from: local[inputs + m], count: n)
                case let .sum(m, map):
                    map.reduce(local[inputs + m], range: range, into: accumulators + sumOffsets[k])
                }
            }
        }
        for (k, output) in region.outputs.enumerated() {
            guard case let .sum(_, map) = output else { continue }
            chunks.combine(map.smallCount, offset: sumOffsets[k], in: scratch, into: table[outputBuffers[k]], accumulate: false)
        }
    }
}
