/// Shape arithmetic. Tensors are stored column-major: the first index varies
/// fastest, the layout of BLAS (`CblasColMajor`) and of CHOLMOD's dense
/// matrices, so a sparse product takes an n×F tensor as it lies.
public enum Shape {
    /// Number of elements of a shape (1 for a scalar). For shapes already
    /// validated (`validate`, `checkedCount`): it traps on overflow.
    @inlinable public static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// Number of elements of a shape, or nil when a dimension is negative or when
    /// the product of its nonzero dimensions, or that product's byte size at
    /// `MemoryLayout<Double>.stride` bytes an element, overflows `Int`. Checking
    /// the nonzero dimensions (so `[Int.max, Int.max, 0]` is rejected although it
    /// holds no element) makes every stride and partial product of a valid shape
    /// fit, whichever order code multiplies them in. Cost: O(rank).
    public static func checkedCount(_ shape: [Int]) -> Int? {
        var product = 1
        for extent in shape {
            guard extent >= 0 else { return nil }
            guard extent > 0 else { continue }
            let (next, overflow) = product.multipliedReportingOverflow(by: extent)
            guard !overflow else { return nil }
            product = next
        }
        guard !product.multipliedReportingOverflow(by: MemoryLayout<Double>.stride).overflow else { return nil }
        return shape.contains(0) ? 0 : product
    }

    /// Validates a shape given by a caller (a program input, a reshape, a
    /// broadcast, a new tensor) and returns its element count: a negative
    /// dimension is `invalidArgument`, an element count or byte size beyond `Int`
    /// is `sizeOverflow`, both naming `op`. Cost: O(rank).
    @discardableResult
    public static func validate(_ shape: [Int], op: String) throws(EngineError) -> Int {
        if let bad = shape.first(where: { $0 < 0 }) {
            throw .invalidArgument(op: op, shape: shape, reason: "negative dimension \(bad)")
        }
        guard let count = checkedCount(shape) else { throw .sizeOverflow(op: op, shape: shape) }
        return count
    }

    /// Column-major strides: stride[0] = 1, stride[k] = stride[k−1]·shape[k−1].
    public static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        for k in shape.indices.dropFirst() { strides[k] = strides[k - 1] * shape[k - 1] }
        return strides
    }

    /// Each input shape of a program validated (`validate`), naming the input in
    /// the error: `Program.init` calls it before tracing, so no buffer size or
    /// stride of a program can overflow.
    public static func validateInputs(_ shapes: [[Int]]) throws(EngineError) {
        for (k, shape) in shapes.enumerated() { try validate(shape, op: "input \(k)") }
    }

    /// `shape` when it is valid (see `validate`), for ops' `outputShape(for:)`.
    static func validated(_ shape: [Int], op: String) throws(EngineError) -> [Int] {
        try validate(shape, op: op)
        return shape
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
