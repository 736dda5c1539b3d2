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
    func forEachRun(_ body: (Int, Int, Int, Int) -> Void) {
        guard count > 0 else { return }
        if shape.isEmpty { body(0, 0, 1, 0); return }
        let length = shape[0], stride0 = smallStrides[0], rank = shape.count
        // The odometer lives on the stack: a run allocates nothing.
        withUnsafeTemporaryAllocation(of: Int.self, capacity: rank) { index in
            index.initialize(repeating: 0)
            var big = 0, small = 0
            while big < count {
                body(big, small, length, stride0)
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

    /// big[i] (+)= small[map(i)].
    func expand(_ small: UnsafePointer<Double>, into big: UnsafeMutablePointer<Double>, accumulate: Bool) {
        forEachRun { b, s, n, stride in
            if accumulate {
                for k in 0..<n { big[b + k] += small[s + k * stride] }
            } else {
                for k in 0..<n { big[b + k] = small[s + k * stride] }
            }
        }
    }

    /// small[j] (+)= Σ_{map(i) = j} big[i].
    func reduce(_ big: UnsafePointer<Double>, into small: UnsafeMutablePointer<Double>, accumulate: Bool) {
        if !accumulate { small.update(repeating: 0, count: smallCount) }
        forEachRun { b, s, n, stride in
            if stride == 0 {
                var sum = 0.0
                for k in 0..<n { sum += big[b + k] }
                small[s] += sum
            } else {
                for k in 0..<n { small[s + k] += big[b + k] }
            }
        }
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
