import SparseJacobian
import Testing

@Suite struct ProductTests {
    let context = CholmodContext()

    @Test(arguments: [(6, 5, 1), (6, 5, 3), (9, 2, 7), (1, 1, 1), (3, 8, 0)])
    func sparseTimesDenseMatchesReference(rows: Int, columns: Int, k: Int) throws {
        var rng = SeededGenerator(seed: UInt64(rows * 100 + columns * 10 + k))
        let a = randomSparse(rows, columns, density: 0.4, &rng)
        let x = randomDense(columns, k, &rng), xt = randomDense(rows, k, &rng)
        try expectNoCholmodLeak(context) {
            let y = try a.multiplied(by: x, context: context)
            #expect(relativeError(y, referenceProduct(a.dense(), x)) < 1e-14)
            let yt = try a.multiplied(by: xt, transposed: true, context: context)
            #expect(relativeError(yt, referenceProduct(a.dense().transposedDense(), xt)) < 1e-14)
        }
    }

    @Test func alphaBetaAccumulate() throws {
        var rng = SeededGenerator(seed: 9)
        let a = randomSparse(7, 5, density: 0.5, &rng)
        let x = randomDense(5, 3, &rng), y = randomDense(7, 3, &rng)
        let result = try a.multiplied(by: x, alpha: 2.5, adding: y, beta: -0.5, context: context)
        var expected = referenceProduct(a.dense(), x)
        for k in 0..<expected.values.count { expected.values[k] = 2.5 * expected.values[k] - 0.5 * y.values[k] }
        #expect(relativeError(result, expected) < 1e-14)
    }

    @Test func betaZeroOverwritesGarbage() throws {
        let a = try SparseMatrix.gridLaplacian(side: 3)
        let x = DenseMatrix.zeros(rows: 9, columns: 2)
        let garbage = try DenseMatrix(rows: 9, columns: 2, values: [Double](repeating: .nan, count: 18))
        let y = try a.multiplied(by: x, adding: garbage, beta: 0, context: context)
        #expect(y.values.allSatisfy { $0 == 0 })
    }

    @Test func shapeMismatchThrows() throws {
        let a = try SparseMatrix.gridLaplacian(side: 2)
        #expect(throws: SparseError.shapeMismatch(operation: "sparse A·X", left: [4, 4], right: [3, 1])) {
            try a.multiplied(by: DenseMatrix.zeros(rows: 3, columns: 1), context: context)
        }
        #expect(throws: SparseError.self) {
            try a.multiplied(by: SparseMatrix.identity(3), context: context)
        }
    }

    @Test(arguments: [(0, 0), (0, 3), (3, 0)])
    func emptyMatricesMultiply(rows: Int, columns: Int) throws {
        let a = try SparseMatrix(pattern: SparsityPattern(rows: rows, columns: columns,
            columnPointers: [Int](repeating: 0, count: columns + 1), rowIndices: []), values: [])
        let y = try a.multiplied(by: DenseMatrix.zeros(rows: columns, columns: 2), context: context)
        #expect(y.shape == [rows, 2] && y.values.allSatisfy { $0 == 0 })
        let c = try a.multiplied(by: a.transposed, context: context)
        #expect(c.shape == [rows, rows] && c.pattern.nonzeroCount == 0)
        #expect(try a.pattern.sampledProduct(.zeros(rows: rows, columns: 2), .zeros(rows: columns, columns: 2)).isEmpty)
    }

    @Test func emptyColumnsAndASingleEntry() throws {
        let one = try SparseMatrix(rows: 4, columns: 3, rowIndices: [2], columnIndices: [1], values: [1e300])
        let x = try DenseMatrix(rows: 3, columns: 1, values: [7, 1e-300, -3])
        let y = try one.multiplied(by: x, context: context)
        #expect(y.values == [0, 0, 1e300 * 1e-300, 0])
        let s = try one.multiplied(by: one.transposed, context: context)
        #expect(s.pattern.nonzeroCount == 1 && s.dense()[2, 2] == .infinity)
    }

    @Test(arguments: [(5, 4, 4), (12, 9, 5)])
    func sparseTimesSparseMatchesReference(m: Int, k: Int, n: Int) throws {
        var rng = SeededGenerator(seed: UInt64(m * k * n))
        let a = randomSparse(m, k, density: 0.3, &rng), b = randomSparse(k, n, density: 0.3, &rng)
        try expectNoCholmodLeak(context) {
            let c = try a.multiplied(by: b, context: context)
            #expect(relativeError(c.dense(), referenceProduct(a.dense(), b.dense())) < 1e-14)
            let structural = try a.pattern.multiplied(by: b.pattern, context: context)
            #expect(structural == c.pattern)
        }
    }

    @Test(arguments: [1, 3, 4, 9, 16, 17, 35])
    func sampledProductMatchesDenseGXt(inner: Int) throws {
        var rng = SeededGenerator(seed: UInt64(inner))
        let a = randomSparse(8, 6, density: 0.4, &rng)
        let g = randomDense(8, inner, &rng), x = randomDense(6, inner, &rng)
        let full = referenceProduct(g, x.transposedDense())
        let sampled = try a.pattern.sampledProduct(g, x)
        for j in 0..<6 { for p in a.pattern.positions(ofColumn: j) {
            #expect(abs(sampled[p] - full[a.pattern.rowIndices[p], j]) < 1e-14)
        } }
        #expect(throws: SparseError.self) { try a.pattern.sampledProduct(x, g) }
        // Accumulating adds onto what `out` held.
        var out = (0..<a.pattern.nonzeroCount).map { Double($0) }
        g.values.withUnsafeBufferPointer { gs in
            x.values.withUnsafeBufferPointer { xs in
                out.withUnsafeMutableBufferPointer { o in
                    a.pattern.sampledProduct(gs.baseAddress!, xs.baseAddress!, inner: inner, into: o.baseAddress!,
                                             accumulate: true)
                }
            }
        }
        for p in 0..<out.count { #expect(abs(out[p] - Double(p) - sampled[p]) < 1e-13) }
    }

    @Test func sampledProductOnALargePatternUsesThreadsAndAgrees() throws {
        let a = try SparseMatrix.gridLaplacian(side: 130)   // 16,900 columns: more than one tile
        var rng = SeededGenerator(seed: 5)
        let g = randomDense(a.rows, 16, &rng), x = randomDense(a.columns, 16, &rng)
        let sampled = try a.pattern.sampledProduct(g, x)
        for p in stride(from: 0, to: a.pattern.nonzeroCount, by: 997) {
            let j = a.pattern.columnIndices[p], i = a.pattern.rowIndices[p]
            let expected = (0..<16).reduce(0.0) { $0 + g[i, $1] * x[j, $1] }
            #expect(abs(sampled[p] - expected) < 1e-13)
        }
    }
}
