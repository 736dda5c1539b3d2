/// Where already placed units sit, indexed by time, to answer "which offsets are taken at some
/// step of `[first, last]`" without visiting every placed unit that overlaps those steps.
///
/// The steps are cut into blocks of `fanOut` steps, and a tree with `fanOut` children per node
/// stands over the blocks (a shallow tree: an operation touches few nodes, so few cache misses).
/// A placed unit is recorded
/// - in the block list of each block it covers only in part (at most two): its steps and span,
///   kept sorted by offset, and filtered by steps when read;
/// - in `own` of the canonical nodes of the blocks it covers whole: the largest nodes whose
///   blocks it covers, as in an interval segment tree.
/// `sub` of a node is the union of the spans recorded at it or below it (block lists included).
/// Unions are merged (see ``SpanSets``), so a run of packed buffers costs one span.
///
/// A unit overlapping `[first, last]` is recorded either below or at a node that lies inside the
/// range (then in `sub` of one of its canonical nodes), or at a node holding `first` or `last`
/// that does not lie inside it: in `own` of that node, or in the block list of the block holding
/// `first` or `last`. A query reads exactly those; an insertion updates them.
///
/// The nodes each unit touches are worked out once, when the index is made, and the index is
/// emptied and reused from one strategy to the next.
///
/// Cost, with h = log_fanOut(T / fanOut) levels: an insertion appends to at most two block lists
/// and updates O(fanOut · h) unions for a unit covering whole blocks (O(h) otherwise). A query
/// scans at most two block lists (O(fanOut) records when lifetimes are short) and merges the
/// unions it reads, O(k log r) for k spans in r unions (see ``SpanMerger``); k is at most the
/// number of placed units live during the range, and less where neighbouring spans merge.
struct OccupancyIndex {
    static let fanOut = 16

    /// A unit recorded in the list of a block it covers in part.
    private struct Record {
        var first: Int
        var last: Int
        var span: Span
    }

    /// What the index needs of a unit, in one place (one cache miss when units come in a random
    /// order): its steps and slot, the blocks it covers in part (-1 for none), and where its
    /// canonical nodes (`nodes[nodeStart..<ancestorStart]`) and end ancestors
    /// (`nodes[ancestorStart..<nodeEnd]`) are listed.
    struct Entry {
        var first: Int
        var last: Int
        var size: Int
        var alignment: Int
        var blockA: Int
        var blockB: Int
        var nodeStart: Int
        var ancestorStart: Int
        var nodeEnd: Int
    }

    /// For each level, the index of its first node in `own` and `sub`; level 0 are the blocks.
    private let levelStart: [Int]
    /// For each unit, its entry.
    private(set) var entries: [Entry] = []
    private var nodes: [Int] = []
    private var blocks: [[Record]]
    private var own: SpanSets
    private var sub: SpanSets
    private var merger = SpanMerger()
    /// Scratch: the canonical nodes and the end ancestors of the range at hand.
    private var canonical: [Int] = []
    private var ancestors: [Int] = []

    /// An empty index for placing `units` over `stepCount` steps. O(n log T).
    init(units: [PlacementUnit], stepCount: Int) {
        let blockCount = (max(stepCount, 1) + Self.fanOut - 1) / Self.fanOut
        var starts = [0], width = blockCount, total = 0
        while true {
            total += width
            if width == 1 { break }
            starts.append(total)
            width = (width + Self.fanOut - 1) / Self.fanOut
        }
        levelStart = starts
        blocks = Array(repeating: [], count: blockCount)
        own = SpanSets(count: total)
        sub = SpanSets(count: total)
        entries.reserveCapacity(units.count)
        for unit in units {
            let (blockA, blockB) = collectNodes(unit.first, unit.last)
            let nodeStart = nodes.count
            nodes.append(contentsOf: canonical)
            let ancestorStart = nodes.count
            nodes.append(contentsOf: ancestors)
            entries.append(
                Entry(first: unit.first, last: unit.last, size: unit.size, alignment: unit.alignment,
                      blockA: blockA, blockB: blockB, nodeStart: nodeStart, ancestorStart: ancestorStart,
                      nodeEnd: nodes.count))
        }
    }

    /// Forgets every placement, keeping the memory. O(T / fanOut) plus freeing large unions.
    mutating func removeAll() {
        for block in blocks.indices { blocks[block].removeAll(keepingCapacity: true) }
        own.removeAll()
        sub.removeAll()
    }

    /// Fills `canonical` with the canonical nodes of the blocks that `first...last` covers whole,
    /// and `ancestors` with the nodes that hold `first` or `last` without lying inside the range,
    /// each once. Returns the blocks holding `first` and `last` if covered in part, else -1.
    private mutating func collectNodes(_ first: Int, _ last: Int) -> (Int, Int) {
        canonical.removeAll(keepingCapacity: true)
        ancestors.removeAll(keepingCapacity: true)
        let fan = Self.fanOut, levels = levelStart.count
        let firstBlock = first / fan, lastBlock = last / fan
        let partialFirst = first % fan != 0 || (firstBlock == lastBlock && last % fan != fan - 1)
        let partialLast = last % fan != fan - 1 || (firstBlock == lastBlock && first % fan != 0)
        var low = partialFirst ? firstBlock + 1 : firstBlock
        var high = partialLast ? lastBlock - 1 : lastBlock
        if low <= high {
            for level in 0..<levels {
                let start = levelStart[level]
                let parentLow = (low + fan - 1) / fan, parentHigh = (high + 1) / fan - 1
                if level == levels - 1 || parentLow > parentHigh {
                    for node in low...high { canonical.append(start + node) }
                    break
                }
                for node in low..<(parentLow * fan) { canonical.append(start + node) }
                var node = (parentHigh + 1) * fan
                while node <= high { canonical.append(start + node); node += 1 }
                low = parentLow
                high = parentHigh
            }
        }
        var width = fan, a = firstBlock, b = lastBlock
        for level in 0..<levels {
            if a * width < first || (a + 1) * width - 1 > last { ancestors.append(levelStart[level] + a) }
            if b != a && (b * width < first || (b + 1) * width - 1 > last) { ancestors.append(levelStart[level] + b) }
            width *= fan
            a /= fan
            b /= fan
        }
        return (partialFirst ? firstBlock : -1, partialLast && lastBlock != firstBlock ? lastBlock : -1)
    }

    /// Records that the unit of entry `u` is placed at `offset` (in units).
    mutating func insert(_ u: Entry, at offset: Int) {
        let span = Span(start: offset, end: offset + u.size)
        if u.blockA >= 0 { record(span, first: u.first, last: u.last, in: u.blockA) }
        if u.blockB >= 0 { record(span, first: u.first, last: u.last, in: u.blockB) }
        for node in nodes[u.nodeStart..<u.ancestorStart] {
            own.insert(span, into: node)
            sub.insert(span, into: node)
        }
        for node in nodes[u.ancestorStart..<u.nodeEnd] { sub.insert(span, into: node) }
    }

    /// Adds a record to a block list, keeping it sorted by offset.
    private mutating func record(_ span: Span, first: Int, last: Int, in block: Int) {
        var position = blocks[block].count
        while position > 0 && blocks[block][position - 1].span.start > span.start { position -= 1 }
        blocks[block].insert(Record(first: first, last: last, span: span), at: position)
    }

    /// Appends to the merger, as one run, the spans of a block list's records overlapping
    /// `first...last`.
    private mutating func gather(_ block: Int, first: Int, last: Int) {
        blocks[block].withUnsafeBufferPointer { records in
            for record in records where record.first <= last && record.last >= first {
                merger.append(record.span)
            }
        }
        merger.endRun()
    }

    /// The offset (in units) for the unit of entry `u`: the gaps considered are those between the spans taken
    /// at some step of its lifetime (and below the lowest); `fit` picks among those that can hold
    /// it, else it goes on top.
    mutating func offset(for u: Entry, fit: Fit) -> Int {
        merger.removeAll()
        if u.blockA >= 0 { gather(u.blockA, first: u.first, last: u.last) }
        if u.blockB >= 0 { gather(u.blockB, first: u.first, last: u.last) }
        for node in nodes[u.nodeStart..<u.ancestorStart] { sub.append(node, to: &merger) }
        for node in nodes[u.ancestorStart..<u.nodeEnd] { own.append(node, to: &merger) }
        return merger.withMerged { fit.choose(in: $0, size: u.size, alignment: u.alignment) }
    }
}

/// How a unit picks among the gaps that can hold it.
enum Fit {
    /// The smallest gap (ties: the lowest), as in TFLite's and Pisarchyk & Lee's greedy planners.
    case best
    /// The lowest gap, as a first-fit allocator does.
    case first

    /// Picks an offset among the gaps left by `spans` (sorted by start; they may overlap), or the
    /// first aligned offset above all of them. O(k).
    func choose(in spans: UnsafeBufferPointer<Span>, size: Int, alignment: Int) -> Int {
        var reach = 0  // end of the taken region so far
        var best = -1, bestGap = Int.max
        for span in spans {
            if span.start > reach {
                let offset = roundUp(reach, toMultipleOf: alignment)
                if offset + size <= span.start {
                    if self == .first { return offset }
                    let gap = span.start - reach
                    if gap < bestGap { bestGap = gap; best = offset }
                }
            }
            reach = max(reach, span.end)
        }
        return best >= 0 ? best : roundUp(reach, toMultipleOf: alignment)
    }
}
