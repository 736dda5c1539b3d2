import Foundation

/// The stable pieces of log-sum-exp and softmax per slice of a reduction map:
/// m = max x (NaN when the slice holds a NaN) and s = Σ exp(x − m), so that
/// log Σ exp x = m + log s and softmax x = exp(x − m)/s, with every exponent
/// ≤ 0. Forming the weights from m and s, never as exp(x − logsumexp), keeps
/// them exact for large logits: [1e16, 1e16] gives [0.5, 0.5].
///
/// When m is ±∞ (a slice with +∞, or all −∞) the weights are the limit for
/// equal logits: the entries equal to m share the weight equally (s counts
/// them), the others get 0; logsumexp is m itself. Cost: two passes.
enum SoftmaxSlices {
    /// Writes m and s (`map.smallCount` each) for the slices of x.
    static func compute(_ x: UnsafePointer<Double>, _ map: BroadcastMap, max m: UnsafeMutablePointer<Double>,
                        sum s: UnsafeMutablePointer<Double>) {
        m.update(repeating: -.infinity, count: map.smallCount)
        map.forEachRun { b, o, n, stride in
            for k in 0..<n where x[b + k] > m[o + k * stride] || x[b + k].isNaN { m[o + k * stride] = x[b + k] }
        }
        s.update(repeating: 0, count: map.smallCount)
        map.forEachRun { b, o, n, stride in
            for k in 0..<n {
                let j = o + k * stride
                s[j] += m[j].isFinite ? Foundation.exp(x[b + k] - m[j]) : (x[b + k] == m[j] ? 1 : 0)
            }
        }
    }

    /// log Σ exp of a slice from its m and s.
    @inline(__always)
    static func logSumExp(max m: Double, sum s: Double) -> Double { m.isFinite ? m + Foundation.log(s) : m }

    /// softmax weight exp(x − m)/s of one element (NaN when m is NaN).
    @inline(__always)
    static func weight(_ x: Double, max m: Double, sum s: Double) -> Double {
        if m.isFinite { return Foundation.exp(x - m) / s }
        return m.isNaN ? m : (x == m ? 1 / s : 0)
    }

    /// log-softmax (x − m) − log s of one element, exact when x = m.
    @inline(__always)
    static func logWeight(_ x: Double, max m: Double, sum s: Double) -> Double {
        if m.isFinite { return (x - m) - Foundation.log(s) }
        return m.isNaN ? m : (x == m ? -Foundation.log(s) : -.infinity)
    }
}
