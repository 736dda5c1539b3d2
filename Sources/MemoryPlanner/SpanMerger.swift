/// Gathers sorted runs of spans and hands them over merged into one run sorted by start.
///
/// Few spans (the usual case) are sorted by insertion, which is quick on a handful of short
/// runs; more are merged pairwise, bottom-up, between two reused buffers: O(k log r) for k spans
/// in r runs. Nothing is allocated once the buffers have grown.
struct SpanMerger {
    private var spans: [Span] = []
    private var other: [Span] = []
    private var runEnds: [Int] = []

    mutating func removeAll() {
        spans.removeAll(keepingCapacity: true)
        runEnds.removeAll(keepingCapacity: true)
    }

    /// Appends one span to the current run.
    @inline(__always) mutating func append(_ span: Span) { spans.append(span) }

    /// Appends spans, sorted and disjoint, to the current run.
    @inline(__always) mutating func append(contentsOf run: UnsafeBufferPointer<Span>) { spans.append(contentsOf: run) }

    /// Ends the current run (spans appended since the previous run ended).
    @inline(__always) mutating func endRun() {
        if spans.count > (runEnds.last ?? 0) { runEnds.append(spans.count) }
    }

    /// Passes all the spans to `body` sorted by start (they may overlap).
    mutating func withMerged<Result>(_ body: (UnsafeBufferPointer<Span>) -> Result) -> Result {
        if runEnds.count > 1 {
            if spans.count <= 16 { sortByInsertion() } else { mergeRuns() }
        }
        return spans.withUnsafeBufferPointer(body)
    }

    private mutating func sortByInsertion() {
        spans.withUnsafeMutableBufferPointer { s in
            for i in runEnds[0]..<s.count {
                let span = s[i]
                var j = i
                while j > 0 && s[j - 1].start > span.start {
                    s[j] = s[j - 1]
                    j -= 1
                }
                s[j] = span
            }
        }
    }

    private mutating func mergeRuns() {
        if other.count < spans.count {
            other.append(contentsOf: repeatElement(Span(start: 0, end: 0), count: spans.count - other.count))
        }
        var count = spans.count
        while runEnds.count > 1 {
            var newRuns = 0
            spans.withUnsafeBufferPointer { source in
                other.withUnsafeMutableBufferPointer { target in
                    var runStart = 0, pair = 0, written = 0
                    while pair < runEnds.count {
                        let middle = runEnds[pair]
                        let end = pair + 1 < runEnds.count ? runEnds[pair + 1] : middle
                        var i = runStart, j = middle
                        while i < middle && j < end {
                            if source[i].start <= source[j].start {
                                target[written] = source[i]; i += 1
                            } else {
                                target[written] = source[j]; j += 1
                            }
                            written += 1
                        }
                        while i < middle { target[written] = source[i]; i += 1; written += 1 }
                        while j < end { target[written] = source[j]; j += 1; written += 1 }
                        runEnds[newRuns] = written
                        newRuns += 1
                        runStart = end
                        pair += 2
                    }
                    count = written
                }
            }
            runEnds.removeLast(runEnds.count - newRuns)
            swap(&spans, &other)
        }
        // `spans` may be the longer scratch buffer now: keep only what the merge wrote.
        if spans.count > count { spans.removeLast(spans.count - count) }
    }
}
