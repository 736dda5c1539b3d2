import SparseJacobian

/// A tensor seen as [inner, axis, outer] around one axis (column-major), so that
/// a range along the axis is `outer` contiguous blocks of inner·length elements.
/// Slicing and concatenation move such blocks.
struct AxisBlocks {
    let inner: Int
    let length: Int
    let outer: Int

    /// Products saturate: an empty tensor may have extents whose partial
    /// products overflow ([2^40, 2^40, 0]); its blocks are never visited.
    init(shape: [Int], axis: Int) {
        inner = shape[..<axis].reduce(1) { $0.multipliedClamped(by: $1) }
        length = shape[axis]
        outer = shape[(axis + 1)...].reduce(1) { $0.multipliedClamped(by: $1) }
    }

    /// Whether the tensor has no elements (then nothing is moved, however many blocks).
    var isEmpty: Bool { inner == 0 || length == 0 || outer == 0 }

    /// dst[·, dstStart + t, ·] (+)= src[·, srcStart + t, ·] for t < count.
    static func copy(_ src: UnsafePointer<Double>, _ srcBlocks: AxisBlocks, from srcStart: Int,
                     to dst: UnsafeMutablePointer<Double>, _ dstBlocks: AxisBlocks, at dstStart: Int,
                     count: Int, accumulate: Bool) {
        guard count > 0, !srcBlocks.isEmpty, !dstBlocks.isEmpty else { return }
        let run = srcBlocks.inner * count
        for o in 0..<srcBlocks.outer {
            let s = src + (o * srcBlocks.length + srcStart) * srcBlocks.inner
            let d = dst + (o * dstBlocks.length + dstStart) * dstBlocks.inner
            if accumulate {
                for k in 0..<run { d[k] += s[k] }
            } else {
                d.update(from: s, count: run)
            }
        }
    }
}

extension AxisBlocks {
    /// The 0/1 selection J with J[(o, targetStart + t, x), (o, sourceStart + t, x)] = 1
    /// for t < count, from a tensor seen as `source` (columns) to one seen as
    /// `target` (rows); other rows are zero. The Jacobian of slices and of each
    /// operand of a concatenation. Cost: O(target elements).
    static func selection(into target: AxisBlocks, at targetStart: Int, from source: AxisBlocks, at sourceStart: Int,
                          count: Int) -> Selection {
        var sources = [Int](repeating: -1, count: target.isEmpty ? 0 : target.inner * target.length * target.outer)
        for o in 0..<(target.isEmpty || source.isEmpty ? 0 : target.outer) {
            for t in 0..<count {
                let row = (o * target.length + targetStart + t) * target.inner
                let column = (o * source.length + sourceStart + t) * source.inner
                for x in 0..<target.inner { sources[row + x] = column + x }
            }
        }
        return Selection(uncheckedColumns: source.isEmpty ? 0 : source.inner * source.length * source.outer, sources: sources)
    }
}
