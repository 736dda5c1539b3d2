/// Shape arithmetic. Tensors are stored column-major: the first index varies
/// fastest, the layout of BLAS (`CblasColMajor`) and of CHOLMOD's dense
/// matrices, so a sparse product takes an n×F tensor as it lies.
public enum Shape {
    /// Number of elements of a shape (1 for a scalar).
    @inlinable public static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// Column-major strides: stride[0] = 1, stride[k] = stride[k−1]·shape[k−1].
    public static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        for k in shape.indices.dropFirst() { strides[k] = strides[k - 1] * shape[k - 1] }
        return strides
    }

    /// NumPy broadcasting: shapes aligned at their last axes, each pair equal or one
    /// of them 1. Nil when they do not broadcast.
    public static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for k in 0..<rank {
            let da = k < rank - a.count ? 1 : a[k - (rank - a.count)]
            let db = k < rank - b.count ? 1 : b[k - (rank - b.count)]
            guard da == db || da == 1 || db == 1 else { return nil }
            result[k] = da == 1 ? db : da
        }
        return result
    }

    /// Normalizes a possibly negative axis; nil when out of range.
    static func axis(_ axis: Int, rank: Int) -> Int? {
        let a = axis < 0 ? axis + rank : axis
        return a >= 0 && a < rank ? a : nil
    }
}
