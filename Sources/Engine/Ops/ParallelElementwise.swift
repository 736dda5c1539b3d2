import SparseJacobian

/// Elementwise kernels on large tensors are split over the cores in contiguous
/// ranges of at least this many elements (below it a thread costs more than it saves).
let parallelElementwiseMinimum = 1 << 15

/// The threads `forEachRange` uses for `count` elements.
@inline(__always)
func elementwiseParts(_ count: Int) -> Int {
    min(ParallelLoop.shared.width, max(1, count / parallelElementwiseMinimum))
}

/// Calls `body(part, range)` for contiguous ranges covering 0..<count, on the
/// shared `ParallelLoop` when the count is large. Allocates nothing.
@inline(__always)
func forEachRange(_ count: Int, _ body: (_ part: Int, _ range: Range<Int>) -> Void) {
    let parts = elementwiseParts(count)
    if parts == 1 { body(0, 0..<count); return }
    ParallelLoop.shared.run(parts: parts) { part in body(part, (count * part / parts)..<(count * (part + 1) / parts)) }
}
