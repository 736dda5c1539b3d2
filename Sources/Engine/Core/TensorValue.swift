/// A concrete tensor: a shape and its elements, stored column-major (the first
/// index varies fastest; see `Shape`). Row-major initializers and accessors are
/// there for writing matrices as on paper; `ElementOrder` makes the order
/// explicit (see TensorValue+Conveniences.swift: element access, Codable,
/// the printed summary).
public struct TensorValue: Equatable, Sendable, CustomStringConvertible {
    public let shape: [Int]
    /// The elements in column-major order.
    public var scalars: [Double]

    /// A tensor from column-major elements. A negative dimension is
    /// `invalidArgument`, a shape whose count overflows `sizeOverflow`, a wrong
    /// number of elements `valueCount`.
    public init(shape: [Int], scalars: [Double]) throws(EngineError) {
        let expected = try Shape.validate(shape, op: "TensorValue")
        guard expected == scalars.count else {
            throw .valueCount(shape: shape, expected: expected, actual: scalars.count)
        }
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor from elements listed in row-major (C, NumPy) order.
    public init(shape: [Int], rowMajor: [Double]) throws(EngineError) {
        try self.init(shape: shape, scalars: rowMajor)
        scalars = Self.permute(rowMajor, shape: shape, toColumnMajor: true)
    }

    /// A matrix from its rows.
    public init(rows: [[Double]]) throws(EngineError) {
        let columns = rows.first?.count ?? 0
        guard rows.allSatisfy({ $0.count == columns }) else {
            throw .valueCount(shape: [rows.count, columns], expected: rows.count * columns,
                              actual: rows.reduce(0) { $0 + $1.count })
        }
        try self.init(shape: [rows.count, columns], rowMajor: rows.flatMap { $0 })
    }

    /// A scalar (shape []).
    public init(_ scalar: Double) { shape = []; scalars = [scalar] }

    /// A vector (shape [n]).
    public init(_ vector: [Double]) { shape = [vector.count]; scalars = vector }

    /// A tensor of one repeated value. A negative dimension is `invalidArgument`,
    /// a count whose bytes overflow `Int` is `sizeOverflow`, and storage the
    /// system refuses is `allocationFailed(bytes:)` (checked before Swift's
    /// array, which would abort, asks for it). Cost: O(count).
    public init(repeating value: Double, shape: [Int]) throws(EngineError) {
        let count = try Shape.validate(shape, op: "try TensorValue(repeating:shape:)")
        if count > Self.probedCount { try CheckedAllocation.ensureAvailable(bytes: count * MemoryLayout<Double>.stride) }
        self.init(repeating: value, validShape: shape)
    }

    /// A tensor of one repeated value on a shape already validated (a program's
    /// input or output shape).
    init(repeating value: Double, validShape shape: [Int]) {
        self.shape = shape
        scalars = [Double](repeating: value, count: Shape.count(shape))
    }

    /// Above this many elements (8 MiB) a new tensor first checks that the system
    /// can give its storage.
    static let probedCount = 1 << 20

    /// Throws `valueCount` when `scalars` no longer holds one element per
    /// position of `shape` (`scalars` is mutable, so a caller can append to it):
    /// for code that copies a tensor's elements into a buffer of its shape's size.
    public func checkCount() throws(EngineError) {
        guard scalars.count == Shape.count(shape) else {
            throw .valueCount(shape: shape, expected: Shape.count(shape), actual: scalars.count)
        }
    }

    /// The elements in row-major (C, NumPy) order.
    public var rowMajorScalars: [Double] { Self.permute(scalars, shape: shape, toColumnMajor: false) }

    /// The only element of a one-element tensor.
    ///
    /// Like `Array`'s subscript, this traps on a tensor of another count (a
    /// programming error, with a message that says so); `scalarValue()` throws instead.
    public var scalar: Double {
        precondition(scalars.count == 1,
                     "TensorValue.scalar traps (as Array's subscript does): shape \(shape) holds \(scalars.count) elements, not 1; use scalarValue() to get a thrown error")
        return scalars[0]
    }

    /// The only element of a one-element tensor, or `EngineError.invalidArgument`.
    public func scalarValue() throws(EngineError) -> Double {
        guard scalars.count == 1 else {
            throw .invalidArgument(op: "scalar", shape: shape, reason: "holds \(scalars.count) elements, not 1")
        }
        return scalars[0]
    }

    /// The element at a multi-index, or `EngineError.indexOutOfRange`.
    public func element(at index: [Int]) throws(EngineError) -> Double {
        guard let flat = checkedFlatIndex(index) else { throw .indexOutOfRange(index: index, shape: shape) }
        return scalars[flat]
    }

    /// The column-major position of a multi-index, nil when it is out of range.
    private func checkedFlatIndex(_ index: [Int]) -> Int? {
        guard index.count == shape.count else { return nil }
        var flat = 0, stride = 1
        for (k, i) in index.enumerated() {
            guard i >= 0 && i < shape[k] else { return nil }
            flat += i * stride
            stride *= shape[k]
        }
        return flat
    }

    /// Reorders elements between row-major and column-major. Cost: O(count).
    static func permute(_ values: [Double], shape: [Int], toColumnMajor: Bool) -> [Double] {
        guard shape.count > 1 else { return values }
        let columnStrides = Shape.strides(shape)
        var rowStrides = [Int](repeating: 1, count: shape.count)
        for k in stride(from: shape.count - 2, through: 0, by: -1) { rowStrides[k] = rowStrides[k + 1] * shape[k + 1] }
        var result = values
        var index = [Int](repeating: 0, count: shape.count)
        for _ in 0..<values.count {
            var r = 0, c = 0
            for k in shape.indices { r += index[k] * rowStrides[k]; c += index[k] * columnStrides[k] }
            if toColumnMajor { result[c] = values[r] } else { result[r] = values[c] }
            var k = shape.count - 1
            while k >= 0 { index[k] += 1; if index[k] < shape[k] { break }; index[k] = 0; k -= 1 }
        }
        return result
    }
}
