/// Where already placed units sit, indexed by time, to answer "which offsets are taken at some
/// step of `[first, last]`" without visiting every placed unit that overlaps those steps.
///
/// A segment tree over the steps. A placed unit's span is stored, as in an interval segment tree,
/// at the O(log T) canonical nodes that tile its steps (`own`); `sub` of a node is the union of
/// the spans stored at it and below it (and, harmlessly, of some units that overlap its steps).
/// Both are kept as merged ``SpanUnion``s, so long runs of packed buffers cost one span.
/// The spans in use during `[first, last]` are then `sub` of the canonical nodes of that range
/// plus `own` of the nodes on the two root paths above it.
///
/// Cost: an insertion updates O(log T) unions; a query reads O(log T) unions and sorts what it
/// reads, O(k log k) for k spans read. k is bounded by the number of units live during the range
/// but is usually far smaller, since neighbouring spans merge.
struct OccupancyIndex {
    private let leafBase: Int
    private var own: [SpanUnion]
    private var sub: [SpanUnion]
    private var gathered: [Span] = []

    init(stepCount: Int) {
        var base = 1
        while base < stepCount { base <<= 1 }
        leafBase = base
        own = Array(repeating: SpanUnion(), count: 2 * base)
        sub = Array(repeating: SpanUnion(), count: 2 * base)
    }

    /// Records that `span` is taken at steps `first...last`.
    mutating func insert(_ span: Span, first: Int, last: Int) {
        var left = first + leafBase, right = last + leafBase + 1
        while left < right {
            if left & 1 == 1 { own[left].insert(span); sub[left].insert(span); left += 1 }
            if right & 1 == 1 { right -= 1; own[right].insert(span); sub[right].insert(span) }
            left >>= 1
            right >>= 1
        }
        var a = first + leafBase, b = last + leafBase
        while a != b {
            sub[a].insert(span)
            sub[b].insert(span)
            a >>= 1
            b >>= 1
        }
        while a >= 1 {
            sub[a].insert(span)
            a >>= 1
        }
    }

    /// The offset for a slot of `size` units aligned to `alignment` units, live at `first...last`:
    /// the gaps considered are those between spans taken at some step of that range (and below the
    /// lowest); `fit` picks among those that can hold the slot, else the slot goes on top.
    mutating func offset(size: Int, alignment: Int, first: Int, last: Int, fit: Fit) -> Int {
        gathered.removeAll(keepingCapacity: true)
        var sorted = true  // one non-empty union read: already sorted
        var unionsRead = 0
        var curMax = 0
        func gather(_ union: SpanUnion) {
            guard !union.spans.isEmpty else { return }
            unionsRead += 1
            gathered.append(contentsOf: union.spans)
            if union.spans.count > curMax { curMax = union.spans.count }
        }
        var left = first + leafBase, right = last + leafBase + 1
        while left < right {
            if left & 1 == 1 { gather(sub[left]); left += 1 }
            if right & 1 == 1 { right -= 1; gather(sub[right]) }
            left >>= 1
            right >>= 1
        }
        var a = first + leafBase, b = last + leafBase
        while a != b {
            gather(own[a])
            gather(own[b])
            a >>= 1
            b >>= 1
        }
        while a >= 1 {
            gather(own[a])
            a >>= 1
        }
        if unionsRead > 1 { sorted = false }
        statQueries += 1; statSpans += gathered.count; statLists += unionsRead; statMax += curMax
        if !sorted { gathered.sort { $0.start < $1.start } }
        return fit.choose(in: gathered, size: size, alignment: alignment)
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
    func choose(in spans: [Span], size: Int, alignment: Int) -> Int {
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

nonisolated(unsafe) public var statQueries = 0
nonisolated(unsafe) public var statSpans = 0
nonisolated(unsafe) public var statLists = 0
nonisolated(unsafe) public var statMax = 0
