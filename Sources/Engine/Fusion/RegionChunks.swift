import SparseJacobian

/// The per-thread working memory of a fused region's step and the chunk size:
/// one chunk-long slot per value (and, backward, per gradient) the chunk holds,
/// then the thread's accumulators. The slots of all threads form one scratch
/// buffer that the planner places like any other.
struct RegionChunks {
    /// Doubles of slots one thread may use: 256 KiB, within the second level cache.
    static let slotBudget = 32_768

    /// Elements per chunk.
    let chunk: Int
    let slots: Int
    let accumulators: Int
    /// Threads the step may use (the worker pool's width).
    let parts: Int

    /// The layout for a region of `count` elements: chunks no longer than the
    /// region (rounded up to 8), and as many threads as `forEachRange` uses.
    init(slots: Int, accumulators: Int, count: Int) {
        self.slots = slots
        self.accumulators = accumulators
        let fromBudget = max(64, min(4096, Self.slotBudget / max(slots, 1)) / 8 * 8)
        chunk = min(fromBudget, max(8, (count + 7) / 8 * 8))
        parts = elementwiseParts(count)
    }

    /// Doubles of scratch for all threads.
    var scratchElements: Int { parts * perPart }
    private var perPart: Int { slots * chunk + accumulators }

    /// Slot `k` of thread `part`.
    func slot(_ k: Int, part: Int, in scratch: UnsafeMutablePointer<Double>) -> UnsafeMutablePointer<Double> {
        scratch + part * perPart + k * chunk
    }

    /// The accumulators of thread `part`.
    func accumulators(part: Int, in scratch: UnsafeMutablePointer<Double>) -> UnsafeMutablePointer<Double> {
        scratch + part * perPart + slots * chunk
    }

    /// out (+)= Σ of every thread's `count` accumulators at `offset`, added in
    /// thread order (so the same bits run to run).
    func combine(_ count: Int, offset: Int, in scratch: UnsafeMutablePointer<Double>,
                 into out: UnsafeMutablePointer<Double>, accumulate: Bool) {
        if !accumulate { out.update(repeating: 0, count: count) }
        for p in 0..<parts {
            let partial = accumulators(part: p, in: scratch) + offset
            for j in 0..<count { out[j] += partial[j] }
        }
    }

    /// Runs `body(part, chunkRange)` over chunks of `0..<count`, each thread its
    /// own contiguous range, as `forEachRange` splits it.
    func forEachChunk(_ count: Int, _ body: (_ part: Int, _ range: Range<Int>) -> Void) {
        let chunk = self.chunk
        forEachRange(count) { part, range in
            var start = range.lowerBound
            while start < range.upperBound {
                let end = min(start + chunk, range.upperBound)
                body(part, start..<end)
                start = end
            }
        }
    }
}

/// Local tables of a region's chunk: one pointer per region input and member
/// (values), and, backward, one per input and member (gradients), per thread.
/// Ops read their operands through `DiagonalOperands` over these tables.
final class RegionTables {
    let entries: Int
    let parts: Int
    private let storage: UnsafeMutablePointer<UnsafeMutablePointer<Double>>

    init(entries: Int, parts: Int) {
        self.entries = entries
        self.parts = parts
        storage = .allocate(capacity: max(entries * parts, 1))
        // A dangling but never-read pointer in every entry until a chunk binds it.
        storage.initialize(repeating: UnsafeMutablePointer(bitPattern: 64)!, count: max(entries * parts, 1))
    }

    deinit { storage.deallocate() }

    func table(part: Int) -> BufferTable { storage + part * entries }
}

extension FusedRegion {
    /// Local id of each member's operands (inputs first, then members), per member.
    var operandIDs: [[Int]] {
        members.map { member in
            member.operands.map { operand in
                switch operand {
                case let .input(i): return i
                case let .member(m): return inputKinds.count + m
                }
            }
        }
    }

    /// Local ids a slope form reads: operand k of member m, or the member itself.
    func readIDs(_ form: DiagonalDerivative.Form, member m: Int) -> [Int] {
        let operands = operandIDs[m]
        return form.reads.map { read in
            if case let .input(k) = read { return operands[k] }
            return inputKinds.count + m
        }
    }

    /// Points the inputs' entries at the chunk `range`: full inputs into their
    /// buffer, scalars at their element, broadcast inputs (those in `broadcastSlot`)
    /// expanded into their slot.
    func bindInputs(_ local: BufferTable, from table: BufferTable, buffers: [Int], range: Range<Int>,
                    broadcastSlot: (Int) -> UnsafeMutablePointer<Double>?) {
        for (i, kind) in inputKinds.enumerated() {
            switch kind {
            case .full:
                local[i] = table[buffers[i]] + range.lowerBound
            case .scalar:
                local[i] = table[buffers[i]]
            case let .broadcast(map):
                guard let slot = broadcastSlot(i) else { continue }
                map.expand(table[buffers[i]], into: slot, range: range, accumulate: false)
                local[i] = slot
            }
        }
    }

    /// Computes member `m` at the chunk into its entry.
    @inline(__always)
    func evaluate(_ m: Int, _ local: BufferTable, operandIDs: [Int], count: Int) {
        members[m].op.evaluate(DiagonalOperands(table: local, readIDs: operandIDs, offset: 0), count: count,
                               into: local[inputKinds.count + m])
    }
}
