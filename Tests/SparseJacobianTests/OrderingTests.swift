import SparseJacobian
import Testing

@Suite struct OrderingTests {
    let context = CholmodContext()

    @Test(arguments: [CholeskyOrdering.amd, .metis, .nestedDissection])
    func everyOrderingSolves(ordering: CholeskyOrdering) throws {
        let a = try SparseMatrix.gridLaplacian(side: 40, shift: 0.5)
        let b = DenseMatrix(ones: a.rows)
        try expectNoCholmodLeak(context) {
            let factor = try SparseCholesky(a, context: context, ordering: ordering)
            #expect(factor.ordering == ordering)
            #expect(factor.factorNonzeroCount >= a.rows)
            #expect(factor.factorizationFlops >= Double(factor.factorNonzeroCount))
            let x = try factor.solve(b)
            let residual = try a.multiplied(by: x, alpha: -1, adding: b, beta: 1, context: context)
            #expect(residual.values.map(abs).max()! <= 1e-10)
        }
    }

    @Test func nestedDissectionBeatsAMDOnALargeGrid() throws {
        let a = try SparseMatrix.gridLaplacian(side: 120)
        let amd = try SparseCholesky(pattern: a.pattern, context: context, ordering: .amd)
        let metis = try SparseCholesky(pattern: a.pattern, context: context, ordering: .metis)
        #expect(metis.factorNonzeroCount < amd.factorNonzeroCount)
        #expect(metis.factorizationFlops < amd.factorizationFlops)
    }

    @Test func automaticTriesMETISOnlyWhenItPaysOff() throws {
        let a = try SparseMatrix.gridLaplacian(side: 120)
        let amd = try SparseCholesky(pattern: a.pattern, context: context, ordering: .amd)
        let once = try SparseCholesky(pattern: a.pattern, context: context, ordering: .automatic(expectedRuns: 1))
        #expect(once.ordering == .amd)
        let before = context.analysisCount
        let often = try SparseCholesky(pattern: a.pattern, context: context, ordering: .automatic(expectedRuns: 1_000_000))
        #expect(context.analysisCount == before + 2)   // AMD, then METIS
        #expect(often.factorizationFlops <= amd.factorizationFlops)
        // The rule, stated: runs · flops(AMD) ≥ metisBreakEven · nnz(A).
        let needed = CholeskyOrdering.metisBreakEven * Double(a.pattern.nonzeroCount) / amd.factorizationFlops
        #expect(needed > 1)
    }

    @Test func upperEntryWithoutMirrorIsAnError() throws {
        // (0, 1) is stored above the diagonal, (1, 0) is not.
        let pattern = try SparsityPattern(rows: 2, columns: 2, rowIndices: [0, 0, 1], columnIndices: [0, 1, 1])
        #expect(throws: SparseError.upperEntryWithoutMirror(row: 0, column: 1)) {
            try SparseCholesky(pattern: pattern, context: context)
        }
        // The lower half alone, or both halves, are fine.
        _ = try SparseCholesky(pattern: try SparsityPattern(rows: 2, columns: 2, rowIndices: [0, 1, 1],
                                                            columnIndices: [0, 0, 1]), context: context)
        _ = try SparseCholesky(pattern: try SparseMatrix.gridLaplacian(side: 3).pattern, context: context)
    }
}
