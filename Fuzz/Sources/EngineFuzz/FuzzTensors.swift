import Engine
import SparseJacobian

/// Tensor values, shapes and allocation from bytes.
enum FuzzTensors {
    /// Largest tensor actually filled; larger valid shapes are only checked to be refused.
    static let fillLimit = 1 << 16
    /// Counts at or above this (8 TiB) are more than any machine here has: they must be refused.
    static let refusedCount = 1 << 40

    static func run(_ r: inout ByteReader) throws {
        let shape = r.shape()
        let count = Shape.checkedCount(shape)
        switch r.int(below: 5) {
        case 0:
            if let count, count > fillLimit, count < refusedCount { return }  // would really allocate
            do {
                let t = try TensorValue(repeating: r.double(), shape: shape)
                precondition(t.scalars.count == count, "a tensor of shape \(shape) holds \(t.scalars.count)")
            } catch {
                if let count, count >= refusedCount {
                    guard case .allocationFailed = error else { fatalError("\(shape): expected allocationFailed, got \(error)") }
                }
                throw error
            }
        case 1:
            let t = try TensorValue(shape: shape, scalars: r.doubles(r.int(below: 20)))
            _ = try t.element(at: (0..<r.int(below: 4)).map { _ in r.index() })
            _ = try t.scalarValue()
            _ = t.rowMajorScalars
        case 2:
            let t = try TensorValue(shape: shape, rowMajor: r.doubles(r.int(below: 20)))
            let back = try TensorValue(shape: t.shape, rowMajor: t.rowMajorScalars)
            precondition(back.scalars.elementsEqual(t.scalars, by: FuzzPrograms.sameValue), "row-major round trip")
        case 3:
            let bytes = [0, 1, 64, 1 << 20, 1 << 43, 1 << 62, Int.max, -1][r.int(below: 8)]
            let p = try CheckedAllocation.allocate(bytes: bytes)
            CheckedAllocation.deallocate(p)
        default:
            let rows = r.dimension(), columns = r.dimension()
            _ = try DenseMatrix(rows: rows, columns: columns, values: r.doubles(r.int(below: 30)))
        }
    }
}
