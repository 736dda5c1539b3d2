import SparseJacobian
import Testing
import Foundation

@Suite struct CholeskyTests {
    let context = CholmodContext()

    @Test func gridLaplacianSolveHasTinyResidual() throws {
        let a = try SparseMatrix.gridLaplacian(side: 100, shift: 1)  // 10^4 unknowns
        var rng = SeededGenerator(seed: 11)
        let b = randomDense(a.rows, 3, &rng)
        try expectNoCholmodLeak(context) {
            let factor = try SparseCholesky(a, context: context)
            let x = try factor.solve(b)
            let residual = try a.multiplied(by: x, alpha: -1, adding: b, beta: 1, context: context)
            for k in 0..<3 {
                let r = (0..<a.rows).map { residual[$0, k] }, bk = (0..<a.rows).map { b[$0, k] }
                #expect(norm(r) / norm(bk) <= 1e-10)
            }
            #expect(factor.factorNonzeroCount > a.pattern.nonzeroCount / 2)
            #expect(factor.factorBytes > 8 * factor.factorNonzeroCount)
        }
    }

    @Test func refactorizationReusesTheAnalysis() throws {
        let a = try SparseMatrix.gridLaplacian(side: 100, shift: 1)
        let factor = try SparseCholesky(pattern: a.pattern, context: context)
        let b = DenseMatrix(ones: a.rows)
        var previous: DenseMatrix?
        for shift in [0.5, 1.0, 2.0] {
            let shifted = try SparseMatrix.gridLaplacian(side: 100, shift: shift)
            try factor.factorize(values: shifted.values)
            let x = try factor.solve(b)
            let residual = try shifted.multiplied(by: x, alpha: -1, adding: b, beta: 1, context: context)
            #expect(norm(residual.values) / norm(b.values) <= 1e-10)
            #expect(x != previous)
            previous = x
        }
        #expect(context.analysisCount == 1)
        #expect(context.factorizationCount == 3)
    }

    @Test func onlyTheLowerTriangleIsRead() throws {
        let full = try SparseMatrix.gridLaplacian(side: 5, shift: 1)
        var lowerRows = [Int](), lowerColumns = [Int](), lowerValues = [Double]()
        let columnsOfEntries = full.pattern.columnIndices
        for p in 0..<full.values.count where full.pattern.rowIndices[p] >= columnsOfEntries[p] {
            lowerRows.append(full.pattern.rowIndices[p]); lowerColumns.append(columnsOfEntries[p])
            lowerValues.append(full.values[p])
        }
        let lower = try SparseMatrix(rows: 25, columns: 25, rowIndices: lowerRows, columnIndices: lowerColumns,
                                     values: lowerValues)
        var corrupted = full
        for p in 0..<full.values.count where full.pattern.rowIndices[p] < columnsOfEntries[p] { corrupted.values[p] = 1e6 }
        let b = DenseMatrix(ones: 25)
        let x1 = try SparseCholesky(full, context: context).solve(b)
        let x2 = try SparseCholesky(lower, context: context).solve(b)
        let x3 = try SparseCholesky(corrupted, context: context).solve(b)
        #expect(relativeError(x1, x2) < 1e-14 && relativeError(x1, x3) < 1e-14)
    }

    @Test func logDeterminantMatchesTheLaplacianEigenvalues() throws {
        // The 5-point Dirichlet Laplacian of an m×m grid has eigenvalues
        // 4 − 2cos(jπ/(m+1)) − 2cos(kπ/(m+1)), j, k = 1…m.
        var kinds = Set<Bool>()
        for side in [3, 80] {
            let a = try SparseMatrix.gridLaplacian(side: side, shift: 0.5)
            let factor = try SparseCholesky(a, context: context)
            kinds.insert(factor.isSupernodal)
            var expected = 0.0
            for j in 1...side { for k in 1...side {
                let h = Double.pi / Double(side + 1)
                expected += log(4.5 - 2 * cos(Double(j) * h) - 2 * cos(Double(k) * h))
            } }
            #expect(abs(try factor.logDeterminant() - expected) <= 1e-12 * abs(expected))
        }
        #expect(kinds == [false, true], "both the simplicial and the supernodal factor are read")
        let diagonal = try SparseCholesky(.diagonal([2, 3, 0.5]), context: context)
        #expect(abs(try diagonal.logDeterminant() - log(3.0)) < 1e-15)
    }

    @Test func indefiniteMatrixThrowsWithTheFailingColumn() throws {
        // [[1, 2], [2, 1]] has eigenvalues 3 and −1.
        let a = try SparseMatrix(DenseMatrix(rows: 2, columns: 2, rowMajor: [1, 2, 2, 1]))
        try expectNoCholmodLeak(context) {
            let factor = try SparseCholesky(pattern: a.pattern, context: context)
            #expect(throws: SparseError.notPositiveDefinite(column: 1)) { try factor.factorize(values: a.values) }
            #expect(throws: SparseError.notFactorized) { try factor.solve(DenseMatrix(ones: 2)) }
        }
    }

    @Test func largeIndefiniteMatrixThrows() throws {
        let a = try SparseMatrix.gridLaplacian(side: 60, shift: -1)  // smallest eigenvalue ≈ −1
        #expect(throws: SparseError.self) { try SparseCholesky(a, context: context) }
        do { _ = try SparseCholesky(a, context: context) } catch let SparseError.notPositiveDefinite(column) {
            #expect(column >= 0 && column < a.rows)
        }
    }

    @Test func singularAndNonSquareThrow() throws {
        let singular = try SparseMatrix(pattern: .diagonal(3), values: [1, 0, 1])
        #expect(throws: SparseError.notPositiveDefinite(column: 1)) { try SparseCholesky(singular, context: context) }
        #expect(throws: SparseError.notSquare(rows: 2, columns: 3)) {
            try SparseCholesky(pattern: .full(rows: 2, columns: 3), context: context)
        }
        let factor = try SparseCholesky(.identity(2), context: context)
        #expect(throws: SparseError.valueCountMismatch(expected: 2, actual: 1)) { try factor.factorize(values: [1]) }
        #expect(throws: SparseError.self) { try factor.solve(DenseMatrix.zeros(rows: 3, columns: 1)) }
    }

    @Test func emptyMatrixFactorizes() throws {
        let factor = try SparseCholesky(.identity(0), context: context)
        #expect(try factor.logDeterminant() == 0)
        #expect(try factor.solve(DenseMatrix.zeros(rows: 0, columns: 2)).shape == [0, 2])
    }

    @Test func contextStartsAndFinishesCleanly() throws {
        let fresh = CholmodContext()
        let start = fresh.allocationCount
        do {
            let factor = try SparseCholesky(.gridLaplacian(side: 30, shift: 1), context: fresh)
            _ = try factor.solve(DenseMatrix(ones: 900))
            #expect(fresh.allocationCount > start)
        }
        fresh.releaseWorkspace()
        #expect(fresh.allocationCount == start)
    }
}

func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }

extension DenseMatrix {
    init(ones n: Int) { self = try! DenseMatrix(rows: n, columns: 1, values: [Double](repeating: 1, count: n)) }
}
