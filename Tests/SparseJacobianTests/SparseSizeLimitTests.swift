import SparseJacobian
import Testing

/// Dimensions whose index arrays cannot be counted or allocated are typed
/// errors, not arithmetic traps or allocator aborts.
@Suite struct SparseSizeLimitTests {
    @Test func cscPatternWithColumnsAtIntMaxThrows() {
        #expect(throws: SparseError.dimensionTooLarge(rows: 1, columns: .max)) {
            try SparsityPattern(rows: 1, columns: .max, columnPointers: [0], rowIndices: [])
        }
    }

    @Test func coordinatePatternWithHugeDimensionsThrows() {
        #expect(throws: SparseError.dimensionTooLarge(rows: 1, columns: .max)) {
            try SparsityPattern(rows: 1, columns: .max, rowIndices: [0], columnIndices: [0])
        }
        #expect(throws: SparseError.dimensionTooLarge(rows: .max, columns: 1)) {
            try SparseMatrix(rows: .max, columns: 1, rowIndices: [], columnIndices: [], values: [])
        }
        // 2^56 + 1 counters of 8 bytes: 512 PiB, which no allocator gives.
        #expect(throws: SparseError.outOfMemory(call: "SparsityPattern", bytes: ((1 << 56) + 1) * 8)) {
            try SparsityPattern(rows: 1 << 56, columns: 1, rowIndices: [], columnIndices: [])
        }
    }

    @Test func gridLaplacianChecksItsSide() throws {
        #expect(throws: SparseError.dimensionTooLarge(rows: 1 << 32, columns: 1 << 32)) {
            try SparseMatrix.gridLaplacian(side: 1 << 32)
        }
        #expect(throws: SparseError.negativeDimension(rows: -1, columns: -1)) { try SparseMatrix.gridLaplacian(side: -1) }
        // n = 2^40 nodes, 5n entries of 8 bytes: 40 TiB.
        #expect(throws: SparseError.outOfMemory(call: "gridLaplacian", bytes: 5 << 43)) {
            try SparseMatrix.gridLaplacian(side: 1 << 20)
        }
        #expect(try SparseMatrix.gridLaplacian(side: 0).rows == 0)
    }

    @Test func denseMatrixWithAnOverflowingCountThrows() {
        #expect(throws: SparseError.dimensionTooLarge(rows: .max, columns: 2)) {
            try DenseMatrix(rows: .max, columns: 2, values: [])
        }
        #expect(throws: SparseError.dimensionTooLarge(rows: 1 << 32, columns: 1 << 32)) {
            try DenseMatrix(rows: 1 << 32, columns: 1 << 32, rowMajor: [])
        }
    }

    @Test func cholmodOutOfMemoryIsItsOwnError() {
        // CHOLMOD_OUT_OF_MEMORY is −2; other failures keep their status.
        #expect(SparseError.cholmodFailure(call: "cholmod_l_factorize", status: -2, bytes: 800)
                == .outOfMemory(call: "cholmod_l_factorize", bytes: 800))
        #expect(SparseError.cholmodFailure(call: "cholmod_l_sdmult", status: -4) == .cholmod(call: "cholmod_l_sdmult", status: -4))
        #expect(SparseError.outOfMemory(call: "cholmod_l_factorize", bytes: 800).description.contains("800 bytes"))
    }
}
