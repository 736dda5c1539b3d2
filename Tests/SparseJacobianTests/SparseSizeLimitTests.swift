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

/// CHOLMOD's failure statuses as the Cholesky factor reports them.
@Suite struct CholmodStatusTests {
    @Test func tooLargeIsADimensionErrorWithTheShape() {
        // CHOLMOD_TOO_LARGE is −3 (an integer overflow inside CHOLMOD).
        #expect(SparseError.cholmodFailure(call: "cholmod_l_analyze", status: -3, shape: (1 << 40, 1 << 40))
                == .dimensionTooLarge(rows: 1 << 40, columns: 1 << 40))
        #expect(SparseError.cholmodFailure(call: "cholmod_l_analyze", status: -3) == .cholmod(call: "cholmod_l_analyze", status: -3))
        #expect(SparseError.cholmodFailure(call: "cholmod_l_solve2", status: -2, bytes: 96, shape: (4, 1))
                == .outOfMemory(call: "cholmod_l_solve2", bytes: 96))
    }

    @Test func theFactorNamesTheBytesItNeeds() throws {
        let a = try SparseMatrix.gridLaplacian(side: 6, shift: 1)
        let factor = try SparseCholesky(pattern: a.pattern, context: CholmodContext())
        // At least the values and row indices of L as the analysis counted it.
        #expect(factor.numericFactorBytes >= factor.factorNonzeroCount * 16)
        #expect(factor.factorNonzeroCount >= a.rows)
        try factor.factorize(values: a.values)
        #expect(factor.numericFactorBytes >= factor.factorBytes)
    }
}
