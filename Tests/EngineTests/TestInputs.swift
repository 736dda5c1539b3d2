@testable import Engine
import SparseJacobian

/// Deterministic inputs with no zeros, no ties and magnitudes in [0.3, 1.3]
/// (or in [0.5, 2] when `positive`), so kinks (relu, abs, max) are far away.
func testInput(shape: [Int], salt: Int, positive: Bool = false) -> TensorValue {
    let n = Shape.count(shape)
    let values = (0..<n).map { k -> Double in
        let t = sin(Double(k) * 2.399 + Double(salt) * 1.13)
        if positive { return 0.5 + 1.5 * Swift.abs(t) }
        let magnitude = 0.3 + Swift.abs(t) + 0.001 * Double(k % 17)
        return t < 0 ? -magnitude : magnitude
    }
    return try! TensorValue(shape: shape, scalars: values)
}

/// The tridiagonal pattern of a 1-D stencil on n points.
func tridiagonalPattern(_ n: Int) -> SparsityPattern {
    var rows = [Int](), columns = [Int]()
    for i in 0..<n {
        for j in Swift.max(0, i - 1)...Swift.min(n - 1, i + 1) { rows.append(i); columns.append(j) }
    }
    return try! SparsityPattern(rows: n, columns: n, rowIndices: rows, columnIndices: columns)
}

import Foundation
