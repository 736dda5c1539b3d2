/// A concrete tensor: a shape and its elements, stored column-major (the first
/// index varies fastest; see `Shape`). Row-major initializers and accessors are
/// there for writing matrices as on paper; `ElementOrder` makes the order
/// explicit (see TensorValue+Conveniences.swift: element access, Codable,
/// the printed summary).
public struct TensorValue: Equatable, Sendable, CustomStringConvertible {
    public let shape: [Int]
    /// The elements in column-major order.
    public var scalars: [Double]

    /// A tensor from column-major elements.
    public init(shape: [Int], scalars: [Double]) throws(EngineError) {
        guard shape.allSatisfy({ $0 >= 0 }), Shape.count(shape) == scalars.count else {
            throw .valueCount(shape: shape, expected: shape.allSatisfy { $0 >= 0 } ? Shape.count(shape) : -1,
                              actual: scalars.count)
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

    /// A tensor of one repeated value.
    public init(repeating value: Double, shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension")
        self.shape = shape
        scalars = [Double](repeating: value, count: Shape.count(shape))
    }

    /// The elements in row-major (C, NumPy) order.
    public var rowMajorScalars: [Double] { Self.permute(scalars, shape: shape, toColumnMajor: false) }

    /// The only element of a one-element tensor.
    public var scalar: Double {
        precondition(scalars.count == 1, "not a one-element tensor: shape \(shape)")
        return scalars[0]
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
