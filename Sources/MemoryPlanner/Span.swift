/// A half-open range `start..<end` of arena units (see ``PlacementProblem/quantum``).
struct Span: Hashable {
    var start: Int
    var end: Int
}

/// Rounds `value >= 0` up to a multiple of `alignment`, a power of two.
@inline(__always) func roundUp(_ value: Int, toMultipleOf alignment: Int) -> Int {
    (value + alignment - 1) & ~(alignment - 1)
}

/// A union of spans kept as sorted, disjoint, non-touching spans (touching ones are merged:
/// a gap of size zero is no gap). Only grows.
struct SpanUnion {
    private(set) var spans: [Span] = []

    /// Adds `span` to the union. O(log k) to find its place plus the cost of the array
    /// insertion or removal of merged neighbours (a move of the spans after it).
    mutating func insert(_ span: Span) {
        // First span that ends at or after `span.start` (ends are sorted since spans are disjoint).
        var low = 0, high = spans.count
        while low < high {
            let mid = (low &+ high) >> 1
            if spans[mid].end < span.start { low = mid + 1 } else { high = mid }
        }
        if low == spans.count || spans[low].start > span.end {
            spans.insert(span, at: low)
            return
        }
        if spans[low].start <= span.start && spans[low].end >= span.end { return }  // already covered
        var last = low
        while last + 1 < spans.count && spans[last + 1].start <= span.end { last += 1 }
        spans[low] = Span(start: min(span.start, spans[low].start), end: max(span.end, spans[last].end))
        if last > low { spans.removeSubrange((low + 1)...last) }
    }
}
