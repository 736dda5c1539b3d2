/// Many unions of spans, one per node of an ``OccupancyIndex``, each kept as sorted, disjoint,
/// non-touching spans (touching spans are merged: a gap of size zero is no gap). Unions only grow.
///
/// The first `inlineCapacity` spans of every union live in one flat pool, which is all most
/// unions ever need; a larger union moves to an array of its own. So most unions never
/// allocate, and neighbouring nodes share cache lines.
struct SpanSets {
    static let inlineCapacity = 8

    private var pool: [Span]
    /// For each union, the number of its spans in `pool`, or `-1 - i` once they moved to `overflow[i]`.
    private var counts: [Int]
    private var overflow: [[Span]] = []

    init(count: Int) {
        pool = Array(repeating: Span(start: 0, end: 0), count: count * Self.inlineCapacity)
        counts = Array(repeating: 0, count: count)
    }

    /// Empties every union, keeping the pool.
    mutating func removeAll() {
        counts.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        overflow.removeAll(keepingCapacity: true)
    }

    /// Adds `span` to union `index`: O(log k) to find its place plus the move of the spans after it.
    mutating func insert(_ span: Span, into index: Int) {
        let count = counts[index]
        if count < 0 {
            Self.insert(span, into: &overflow[-1 - count])
            return
        }
        let capacity = Self.inlineCapacity
        let newCount = pool.withUnsafeMutableBufferPointer { pool in
            Self.insert(span, into: pool.baseAddress! + index * capacity, count: count, capacity: capacity)
        }
        if let newCount {
            counts[index] = newCount
        } else {
            var spans = Array(pool[(index * capacity)..<(index * capacity + count)])
            Self.insert(span, into: &spans)
            counts[index] = -1 - overflow.count
            overflow.append(spans)
        }
    }

    /// Appends the spans of union `index` to `merger` as one run.
    @inline(__always)
    func append(_ index: Int, to merger: inout SpanMerger) {
        let count = counts[index]
        if count == 0 { return }
        if count > 0 {
            pool.withUnsafeBufferPointer {
                merger.append(contentsOf: UnsafeBufferPointer(rebasing: $0[(index * Self.inlineCapacity)...].prefix(count)))
            }
        } else {
            overflow[-1 - count].withUnsafeBufferPointer { merger.append(contentsOf: $0) }
        }
        merger.endRun()
    }

    /// Inserts into `count` sorted, disjoint, non-touching spans at `spans`; returns the new count,
    /// or `nil` (changing nothing) if that would exceed `capacity`.
    private static func insert(_ span: Span, into spans: UnsafeMutablePointer<Span>, count: Int, capacity: Int) -> Int? {
        let low = firstEndingAtOrAfter(span.start, in: UnsafeBufferPointer(start: spans, count: count))
        if low == count || spans[low].start > span.end {
            if count == capacity { return nil }
            (spans + low + 1).update(from: spans + low, count: count - low)
            spans[low] = span
            return count + 1
        }
        var last = low
        while last + 1 < count && spans[last + 1].start <= span.end { last += 1 }
        spans[low] = Span(start: min(span.start, spans[low].start), end: max(span.end, spans[last].end))
        if last > low { (spans + low + 1).update(from: spans + last + 1, count: count - last - 1) }
        return count - (last - low)
    }

    /// Inserts into a sorted, disjoint, non-touching array of spans.
    private static func insert(_ span: Span, into spans: inout [Span]) {
        let low = spans.withUnsafeBufferPointer { firstEndingAtOrAfter(span.start, in: $0) }
        if low == spans.count || spans[low].start > span.end {
            spans.insert(span, at: low)
            return
        }
        var last = low
        while last + 1 < spans.count && spans[last + 1].start <= span.end { last += 1 }
        spans[low] = Span(start: min(span.start, spans[low].start), end: max(span.end, spans[last].end))
        if last > low { spans.removeSubrange((low + 1)...last) }
    }

    /// The first span that ends at or after `position` (ends are sorted since spans are disjoint).
    @inline(__always)
    private static func firstEndingAtOrAfter(_ position: Int, in spans: UnsafeBufferPointer<Span>) -> Int {
        var low = 0, high = spans.count
        while low < high {
            let mid = (low &+ high) >> 1
            if spans[mid].end < position { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
