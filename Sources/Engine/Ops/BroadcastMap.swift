import CVectorMath
import SparseJacobian

/// The map between a tensor of shape `shape` and a smaller one of the same rank
/// whose axes are either equal or 1 (`small`), as broadcasting and reductions
/// along axes need: element i of the big tensor corresponds to element map(i) of
/// the small one. Iterates in runs along axis 0, the contiguous one.
struct BroadcastMap {
    let shape: [Int]
    /// Stride of each axis in the small tensor, 0 where it has extent 1.
    private let smallStrides: [Int]
    let count: Int
    let smallCount: Int

    init(shape: [Int], small: [Int]) {
        precondition(shape.count == small.count, "ranks must agree")
        self.shape = shape
        var strides = Shape.strides(small)
        for k in small.indices where small[k] == 1 { strides[k] = 0 }
        smallStrides = strides
        count = Shape.count(shape)
        smallCount = Shape.count(small)
    }

    /// `small` padded with leading 1s to the rank of `shape` (NumPy's alignment).
    static func aligned(_ small: [Int], toRank rank: Int) -> [Int] {
        [Int](repeating: 1, count: rank - small.count) + small
    }

    /// Calls body(bigOffset, smallOffset, length, smallStride) for each run along axis 0.
    @inline(__always)
    func forEachRun(_ body: (Int, Int, Int, Int) -> Void) { forEachRun(in: 0..<count, body) }

    /// The same for the runs of the big positions in `range` (cut at its ends),
    /// so that a chunk of a fused region reads or reduces only its own positions.
    @inline(__always)
    func forEachRun(in range: Range<Int>, _ body: (Int, Int, Int, Int) -> Void) {
        guard !range.isEmpty else { return }
        if shape.isEmpty { body(0, 0, 1, 0); return }
        let length = shape[0], stride0 = smallStrides[0], rank = shape.count
        // The odometer lives on the stack: a run allocates nothing.
        withUnsafeTemporaryAllocation(of: Int.self, capacity: rank) { index in
            var rest = range.lowerBound / length, small = 0
            index[0] = 0
            for k in 1..<rank {
                index[k] = rest % shape[k]
                rest /= shape[k]
                small += index[k] * smallStrides[k]
            }
            var first = range.lowerBound % length
            var big = range.lowerBound - first
            while big + first < range.upperBound {
                let end = min(length, range.upperBound - big)
                body(big + first, small + first * stride0, end - first, stride0)
                first = 0
                big += length
                var k = 1
                while k < rank {
                    index[k] += 1
                    small += smallStrides[k]
                    if index[k] < shape[k] { break }
                    small -= smallStrides[k] * shape[k]
                    index[k] = 0
                    k += 1
                }
            }
        }
    }

    /// chunk[i − range.lowerBound] = small[map(i)] for i in `range`.
    func expand(_ small: UnsafePointer<Double>, into chunk: UnsafeMutablePointer<Double>, range: Range<Int>,
                accumulate: Bool) {
        let base = range.lowerBound
        forEachRun(in: range) { b, s, n, stride in
            let out = chunk + (b - base)
            switch (accumulate, stride) {
            case (false, 0): out.update(repeating: small[s], count: n)
            case (false, 1): out.update(from: small + s, count: n)
            case (false, _): for k in 0..<n { out[k] = small[s + k * stride] }
            case (true, 1): vm_add_into(out, small + s, n, 1)
            case (true, _): for k in 0..<n { out[k] += small[s + k * stride] }
            }
        }
    }

    /// small[map(i)] += chunk[i − range.lowerBound] for i in `range`.
    func reduce(_ chunk: UnsafePointer<Double>, range: Range<Int>, into small: UnsafeMutablePointer<Double>) {
        let base = range.lowerBound
        forEachRun(in: range) { b, s, n, stride in
            let values = chunk + (b - base)
            if stride == 0 {
                small[s] += vm_sum(values, n)  // 16 partial sums in a fixed order
            } else if stride == 1 {
                vm_add_into(small + s, values, n, 1)
            } else {
                for k in 0..<n { small[s + k * stride] += values[k] }
            }
        }
    }

    /// big[i] (+)= small[map(i)].
    func expand(_ small: UnsafePointer<Double>, into big: UnsafeMutablePointer<Double>, accumulate: Bool) {
        expand(small, into: big, range: 0..<count, accumulate: accumulate)
    }

    /// small[j] (+)= Σ_{map(i) = j} big[i].
    func reduce(_ big: UnsafePointer<Double>, into small: UnsafeMutablePointer<Double>, accumulate: Bool) {
        if !accumulate { small.update(repeating: 0, count: smallCount) }
        reduce(big, range: 0..<count, into: small)
    }
}

extension BroadcastMap {
    /// The selection S with S[i, map(i)] = 1 (rows: the big tensor's elements,
    /// columns: the small one's): broadcasting's Jacobian, and the transpose of
    /// a reduction's. Cost: O(count).
    var selection: Selection {
        var sources = [Int](repeating: 0, count: count)
        forEachRun { b, s, n, stride in for k in 0..<n { sources[b + k] = s + k * stride } }
        return Selection(uncheckedColumns: smallCount, sources: sources)
    }

    /// small[j] = Σ_{map(i) = j} a[i]·b[i] (per-slice dot products).
    func reduceProducts(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into small: UnsafeMutablePointer<Double>) {
        small.update(repeating: 0, count: smallCount)
        forEachRun { o, s, n, stride in
            for k in 0..<n { small[s + k * stride] += a[o + k] * b[o + k] }
        }
    }

    /// big[i] (+)= value(i, map(i)) for every element: the write of a rule whose
    /// result at i depends on i and its slice.
    @inline(__always)
    func write(into big: UnsafeMutablePointer<Double>, accumulate: Bool, _ value: (_ big: Int, _ small: Int) -> Double) {
        forEachRun { b, s, n, stride in
            if accumulate {
                for k in 0..<n { big[b + k] += value(b + k, s + k * stride) }
            } else {
                for k in 0..<n { big[b + k] = value(b + k, s + k * stride) }
            }
        }
    }
}

extension BroadcastMap {
    /// Whether the contiguous ranges `forEachRange` gives `parts` threads map to
    /// pairwise disjoint elements of the small tensor, so that each thread may
    /// reduce into it without the others (always, for one thread). Checked on
    /// the runs along axis 0 when that axis is broadcast (each run then maps to
    /// one small element) and the runs are few (at most 2^16); otherwise false.
    /// Cost: O(runs + smallCount).
    func partsTouchDisjointElements(parts: Int) -> Bool {
        guard parts > 1 else { return true }
        guard !shape.isEmpty, smallStrides[0] == 0, count / max(shape[0], 1) <= 1 << 16 else { return false }
        var owner = [Int](repeating: -1, count: smallCount)
        for p in 0..<parts {
            var disjoint = true
            forEachRun(in: (count * p / parts)..<(count * (p + 1) / parts)) { _, s, _, _ in
                if owner[s] >= 0, owner[s] != p { disjoint = false }
                owner[s] = p
            }
            if !disjoint { return false }
        }
        return true
    }
}
