@testable import SparseJacobian
import Testing

/// The split sparse·dense products give, bit for bit, what one CHOLMOD call gives.
@Suite struct ParallelProductTests {
    let context = CholmodContext()

    /// Y from `multiply` split into at most `parts` parts.
    private func product(_ a: SparseMatrix, _ x: [Double], columns: Int, transposed: Bool, alpha: Double,
                         beta: Double, start y0: [Double], parts: Int) throws -> [Double] {
        var y = y0
        try a.values.withUnsafeBufferPointer { v in
            try x.withUnsafeBufferPointer { xs in
                try y.withUnsafeMutableBufferPointer { ys in
                    try a.pattern.multiply(values: v.baseAddress!, xs.baseAddress!, columns: columns,
                                           into: ys.baseAddress!, transposed: transposed, alpha: alpha, beta: beta,
                                           context: context, maximumParts: parts)
                }
            }
        }
        return y
    }

    @Test(arguments: [1, 2, 5, 16], [false, true])
    func splitsMatchOneCallBitForBit(columns: Int, transposed: Bool) throws {
        var rng = SeededGenerator(seed: UInt64(columns * 2 + (transposed ? 1 : 0)))
        let matrices = [try SparseMatrix.gridLaplacian(side: 120, shift: 0.5),
                        randomSparse(1500, 1200, density: 0.03, &rng)]
        for a in matrices {
            let (outRows, inRows) = transposed ? (a.columns, a.rows) : (a.rows, a.columns)
            let x = randomDense(inRows, columns, &rng).values, y0 = randomDense(outRows, columns, &rng).values
            for (alpha, beta) in [(1.0, 0.0), (-0.7, 1.3)] {
                let single = try product(a, x, columns: columns, transposed: transposed, alpha: alpha, beta: beta,
                                         start: y0, parts: 1)
                for parts in [2, 3, 7] {
                    let split = try product(a, x, columns: columns, transposed: transposed, alpha: alpha, beta: beta,
                                            start: y0, parts: parts)
                    #expect(split.map(\.bitPattern) == single.map(\.bitPattern),
                            "\(parts) parts, \(columns) columns, transposed \(transposed)")
                }
            }
        }
    }

    @Test func splitCoversEveryColumnOnce() throws {
        let pattern = try SparseMatrix.gridLaplacian(side: 300).pattern
        for transposed in [false, true] {
            for columns in [3, 8, 17] {
                let split = ProductSplit(pattern: pattern, columns: columns, transposed: transposed, width: 3)
                #expect(split.parts == 3)
                let ranges = (0..<split.parts).map { transposed ? split.part($0).matrixColumns : split.part($0).columns }
                #expect(ranges.first?.lowerBound == 0)
                #expect(ranges.last?.upperBound == (transposed ? pattern.columns : columns))
                for k in 1..<ranges.count { #expect(ranges[k - 1].upperBound == ranges[k].lowerBound) }
            }
        }
        // A·x with one column is never split (its writes would overlap).
        #expect(ProductSplit(pattern: pattern, columns: 1, transposed: false, width: 4).parts == 1)
        // Small products stay one call.
        #expect(ProductSplit(pattern: try SparseMatrix.gridLaplacian(side: 5).pattern, columns: 16,
                             transposed: false, width: 4).parts == 1)
    }
}
