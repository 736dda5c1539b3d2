import Foundation

/// The order in which a flat list of elements walks a tensor's indices.
public enum ElementOrder: String, Codable, Sendable, CaseIterable {
    /// The last index varies fastest: C's and NumPy's default, a matrix row by row.
    case rowMajor
    /// The first index varies fastest: Fortran's, and this library's storage.
    case columnMajor
}

extension TensorValue {
    /// A tensor from elements listed in the given order.
    /// Throws `EngineError.valueCount` when the count does not match the shape. O(count).
    public init(shape: [Int], scalars: [Double], order: ElementOrder) throws(EngineError) {
        switch order {
        case .columnMajor: try self.init(shape: shape, scalars: scalars)
        case .rowMajor: try self.init(shape: shape, rowMajor: scalars)
        }
    }

    /// The elements listed in the given order. O(count).
    public func scalars(in order: ElementOrder) -> [Double] {
        order == .columnMajor ? scalars : rowMajorScalars
    }

    /// Overwrites every element from a list in the given order; the shape stays.
    /// Throws `EngineError.valueCount` (and changes nothing) when the count differs. O(count).
    public mutating func assign(_ values: [Double], order: ElementOrder) throws(EngineError) {
        guard values.count == scalars.count else {
            throw .valueCount(shape: shape, expected: scalars.count, actual: values.count)
        }
        scalars = order == .columnMajor ? values : Self.permute(values, shape: shape, toColumnMajor: true)
    }

    /// The same elements under a new shape, read and laid out in the given order:
    /// `.rowMajor` is NumPy's `reshape`, `.columnMajor` keeps the storage as it is
    /// (Fortran's, and what the traced `Tensor.reshaped` does).
    /// Throws `EngineError.valueCount` when the element counts differ. O(count).
    public func reshaped(_ newShape: [Int], order: ElementOrder) throws(EngineError) -> TensorValue {
        guard newShape.allSatisfy({ $0 >= 0 }), Shape.count(newShape) == scalars.count else {
            throw .valueCount(shape: newShape, expected: newShape.allSatisfy { $0 >= 0 } ? Shape.count(newShape) : -1,
                              actual: scalars.count)
        }
        return try TensorValue(shape: newShape, scalars: scalars(in: order), order: order)
    }

    /// The position in `scalars` (column-major) of a multi-index; a wrong rank or
    /// an index out of range traps, as an array's subscript does (a programming
    /// error; `element(at:)` throws instead).
    func flatIndex(_ index: [Int]) -> Int {
        precondition(index.count == shape.count,
                     "TensorValue subscript traps (as Array's does): index rank \(index.count) for shape \(shape); use element(at:) to get a thrown error")
        var flat = 0, stride = 1
        for (k, i) in index.enumerated() {
            precondition(i >= 0 && i < shape[k],
                         "TensorValue subscript traps (as Array's does): index \(i) out of range for axis \(k) of \(shape); use element(at:) to get a thrown error")
            flat += i * stride
            stride *= shape[k]
        }
        return flat
    }

    /// The element at a multi-index, read or written: `t[1, 2] = 3`. O(rank).
    public subscript(_ index: Int...) -> Double {
        get { scalars[flatIndex(index)] }
        set { scalars[flatIndex(index)] = newValue }
    }

    /// The element at a multi-index given as an array. O(rank).
    public subscript(index index: [Int]) -> Double {
        get { scalars[flatIndex(index)] }
        set { scalars[flatIndex(index)] = newValue }
    }

    /// Up to 8 elements: every one, row-major. More: the shape, the first and last
    /// three elements in row-major order and the minimum, maximum and mean, as
    /// NumPy summarises a large array. O(count).
    public var description: String {
        let values = rowMajorScalars
        guard values.count > 8 else { return "TensorValue(shape: \(shape), rowMajor: \(values))" }
        let g = { (v: Double) in String(format: "%.6g", v) }
        let edges = (values.prefix(3).map(g) + ["…"] + values.suffix(3).map(g)).joined(separator: ", ")
        let mean = values.reduce(0, +) / Double(values.count)
        return "TensorValue(shape: \(shape), \(values.count) elements, rowMajor: [\(edges)], "
            + "min \(g(values.min()!)), max \(g(values.max()!)), mean \(g(mean)))"
    }
}

/// JSON (or any coder) as `{"shape": [...], "rowMajor": [...]}`: row-major, as
/// NumPy and most readers expect. Decoding checks the count against the shape.
extension TensorValue: Codable {
    enum CodingKeys: String, CodingKey { case shape, rowMajor }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let shape = try container.decode([Int].self, forKey: .shape)
        let values = try container.decode([Double].self, forKey: .rowMajor)
        do {
            try self.init(shape: shape, rowMajor: values)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .rowMajor, in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(shape, forKey: .shape)
        try container.encode(rowMajorScalars, forKey: .rowMajor)
    }
}
