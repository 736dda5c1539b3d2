/// A tensor seen as [inner, axis, outer] around one axis (column-major), so that
/// a range along the axis is `outer` contiguous blocks of inner·length elements.
/// Slicing and concatenation move such blocks.
struct AxisBlocks {
    let inner: Int
    let length: Int
    let outer: Int

    init(shape: [Int], axis: Int) {
        inner = shape[..<axis].reduce(1, *)
        length = shape[axis]
        outer = shape[(axis + 1)...].reduce(1, *)
    }

    /// dst[·, dstStart + t, ·] (+)= src[·, srcStart + t, ·] for t < count.
    static func copy(_ src: UnsafePointer<Double>, _ srcBlocks: AxisBlocks, from srcStart: Int,
                     to dst: UnsafeMutablePointer<Double>, _ dstBlocks: AxisBlocks, at dstStart: Int,
                     count: Int, accumulate: Bool) {
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
