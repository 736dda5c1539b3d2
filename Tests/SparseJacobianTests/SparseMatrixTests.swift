import SparseJacobian
import Testing

@Suite struct SparseMatrixTests {
    @Test func tripletsSumDuplicates() throws {
        let a = try SparseMatrix(rows: 2, columns: 2, rowIndices: [0, 1, 0, 1], columnIndices: [0, 1, 0, 0],
                                 values: [1, 2, 3, 4])
        #expect(a.dense() == (try DenseMatrix(rows: 2, columns: 2, rowMajor: [4, 0, 4, 2])))
        #expect(a.pattern.nonzeroCount == 3)
    }

    @Test func valueCountMustMatch() {
        #expect(throws: SparseError.valueCountMismatch(expected: 2, actual: 3)) {
            try SparseMatrix(pattern: .diagonal(2), values: [1, 2, 3])
        }
        #expect(throws: SparseError.coordinateCountMismatch(rows: 1, columns: 1, values: 2)) {
            try SparseMatrix(rows: 2, columns: 2, rowIndices: [0], columnIndices: [0], values: [1, 2])
        }
    }

    @Test func denseRoundTripKeepsExtremeValues() throws {
        let dense = try DenseMatrix(rows: 2, columns: 3, rowMajor: [1e300, 0, -1e300, 0, -0.0, Double.leastNonzeroMagnitude])
        let sparse = SparseMatrix(dense)
        #expect(sparse.pattern.nonzeroCount == 3)  // -0.0 compares equal to zero
        #expect(sparse.dense().values.map(\.bitPattern) == (try DenseMatrix(
            rows: 2, columns: 3, rowMajor: [1e300, 0, -1e300, 0, 0, Double.leastNonzeroMagnitude])).values.map(\.bitPattern))
    }

    @Test func explicitNegativeZeroIsKeptAsStored() throws {
        let a = try SparseMatrix(pattern: .diagonal(1), values: [-0.0])
        #expect(a.dense()[0, 0].sign == .minus)
    }

    @Test func rowMajorInitializerReadsRowByRow() throws {
        let m = try DenseMatrix(rows: 2, columns: 3, rowMajor: [1, 2, 3, 4, 5, 6])
        #expect(m[0, 2] == 3 && m[1, 0] == 4)
        #expect(m.values == [1, 4, 2, 5, 3, 6])
    }

    @Test func scalingRowsAndColumns() throws {
        var rng = SeededGenerator(seed: 3)
        let a = randomSparse(5, 4, density: 0.5, &rng)
        let d = [1.0, -2, 3, 0.5, 7]
        let rows = try a.scalingRows(by: d)
        let cols = try a.scalingColumns(by: [2, 0, -1, 4])
        for i in 0..<5 { for j in 0..<4 {
            #expect(rows.dense()[i, j] == d[i] * a.dense()[i, j])
            #expect(cols.dense()[i, j] == [2.0, 0, -1, 4][j] * a.dense()[i, j])
        } }
        #expect(rows.pattern == a.pattern)
        #expect(throws: SparseError.self) { try a.scalingRows(by: [1]) }
    }

    @Test func laplacianIsSymmetricWithTheGridStencil() throws {
        let a = try SparseMatrix.gridLaplacian(side: 4, shift: 1)
        #expect(a.rows == 16 && a.pattern.nonzeroCount == 16 + 2 * 24)
        #expect(a.transposed == a)
        #expect(a.dense()[5, 5] == 5 && a.dense()[5, 1] == -1 && a.dense()[5, 6] == -1 && a.dense()[3, 4] == 0)
    }
}
