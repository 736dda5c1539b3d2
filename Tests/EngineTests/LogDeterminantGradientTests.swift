import Engine
import Foundation
import SparseJacobian
import Testing

/// A⁻¹ as a dense matrix, by CHOLMOD solves with the identity's columns: an
/// independent route (supernodal or simplicial solves, no selected inversion).
private func inverse(_ a: SparseMatrix) throws -> DenseMatrix {
    var identity = DenseMatrix.zeros(rows: a.rows, columns: a.rows)
    for i in 0..<a.rows { identity[i, i] = 1 }
    return try SparseCholesky(a, context: CholmodContext()).solve(identity)
}

/// Positions of the diagonal entries of a square pattern.
private func diagonalPositions(_ pattern: SparsityPattern) -> [Int] {
    (0..<pattern.rows).map { pattern.position(row: $0, column: $0)! }
}

/// ∂ log det A / ∂A through the engine: selected inversion on the run's factor.
@Suite struct LogDeterminantGradientTests {
    @Test(arguments: [2, 5, 9])
    func gradientIsTheInverseOnThePattern(side: Int) throws {
        let a = try SparseMatrix.gridLaplacian(side: side, shift: 0.4)
        let program = try Program(inputShapes: [[a.pattern.nonzeroCount]], gradientsFor: [0]) { v in
            logDeterminant(a.pattern, values: v[0])
        }
        let result = try program.run([TensorValue(a.values)])
        let z = try inverse(a), columns = a.pattern.columnIndices
        for p in 0..<a.pattern.nonzeroCount {
            let i = a.pattern.rowIndices[p], j = columns[p]
            let expected = i > j ? 2 * z[i, j] : (i == j ? z[i, i] : 0)
            #expect(Swift.abs(result.gradients[0].scalars[p] - expected) < 1e-12)
        }
    }

    @Test func lowerHalfPatternMatchesFiniteDifferences() throws {
        // Only the lower triangle stored: each off-diagonal value is both A[i,j] and A[j,i].
        let full = try SparseMatrix.gridLaplacian(side: 4, shift: 0.7)
        let columns = full.pattern.columnIndices
        let lower = (0..<full.pattern.nonzeroCount).filter { full.pattern.rowIndices[$0] >= columns[$0] }
        let a = try SparseMatrix(rows: 16, columns: 16, rowIndices: lower.map { full.pattern.rowIndices[$0] },
                                 columnIndices: lower.map { columns[$0] }, values: lower.map { full.values[$0] })
        for ordering in [CholeskyOrdering.amd, .metis, .nestedDissection] {
            let program = try Program(inputShapes: [[a.pattern.nonzeroCount]], gradientsFor: [0]) { v in
                logDeterminant(a.pattern, values: v[0], ordering: ordering) * 1.5
            }
            let report = try GradientCheck.check(program, at: [TensorValue(a.values)])
            #expect(report.passed, "\(ordering): \(report)")
        }
    }

    @Test func valuesAsAFunctionOfAnInput() throws {
        // A = Lap + diag(exp θ): the values are traced, the gradient reaches θ.
        let side = 4, n = side * side
        let lap = try SparseMatrix.gridLaplacian(side: side)
        let diagonal = diagonalPositions(lap.pattern), nnz = lap.pattern.nonzeroCount
        let program = try Program(inputShapes: [[n]], gradientsFor: [0]) { v in
            let values = v[0].tracer.constant(TensorValue(lap.values)) + exp(v[0]).scatteringRows(into: nnz, at: diagonal)
            return logDeterminant(lap.pattern, values: values)
        }
        let theta = testInput(shape: [n], salt: 7)
        let report = try GradientCheck.check(program, at: [theta])
        #expect(report.passed, "\(report)")
        // And exactly: ∂/∂θᵢ = exp(θᵢ)·(A⁻¹)ᵢᵢ.
        var a = lap
        for (k, p) in diagonalPositions(lap.pattern).enumerated() { a.values[p] += Foundation.exp(theta.scalars[k]) }
        let z = try inverse(a)
        let gradient = try program.run([theta]).gradients[0].scalars
        for i in 0..<n { #expect(Swift.abs(gradient[i] - Foundation.exp(theta.scalars[i]) * z[i, i]) < 1e-12) }
    }

    @Test func notPositiveDefiniteIsATypedError() throws {
        let a = try SparseMatrix.gridLaplacian(side: 3, shift: -3)
        let program = try Program(inputShapes: [[a.pattern.nonzeroCount]], gradientsFor: [0]) { v in
            logDeterminant(a.pattern, values: v[0])
        }
        #expect {
            try program.run([TensorValue(a.values)])
        } throws: { error in
            if case EngineError.notPositiveDefinite(op: "logdet", shape: [9, 9], column: _) = error { return true }
            return false
        }
    }

    @Test func unmirroredUpperEntryIsATypedErrorWhenTraced() throws {
        let pattern = try SparsityPattern(rows: 2, columns: 2, rowIndices: [0, 0, 1], columnIndices: [0, 1, 1])
        #expect(throws: EngineError.sparse(op: "logdet", .upperEntryWithoutMirror(row: 0, column: 1))) {
            try Program(inputShapes: [[3]], gradientsFor: [0]) { v in logDeterminant(pattern, values: v[0]) }
        }
    }

    /// The Gaussian log-likelihood with a sparse precision matrix Q = Lap + diag(exp θ):
    /// ℓ(θ) = −½ xᵀQx + ½ log det Q (+ const), so
    /// ∂ℓ/∂θᵢ = exp(θᵢ)·(−½ xᵢ² + ½ (Q⁻¹)ᵢᵢ).
    @Test func gaussianLogLikelihoodGradient() throws {
        let side = 5, n = side * side
        let lap = try SparseMatrix.gridLaplacian(side: side)
        let diagonal = diagonalPositions(lap.pattern), nnz = lap.pattern.nonzeroCount
        let x = testInput(shape: [n], salt: 11)
        let program = try Program(inputShapes: [[n], [n]], gradientsFor: [0]) { v in
            let (theta, data) = (v[0], v[1])
            let q = theta.tracer.constant(TensorValue(lap.values)) + exp(theta).scatteringRows(into: nnz, at: diagonal)
            let quadratic = (data * matmul(lap.pattern, values: q, data)).sum()
            return quadratic * -0.5 + logDeterminant(lap.pattern, values: q) * 0.5
        }
        let theta = testInput(shape: [n], salt: 12)
        let report = try GradientCheck.check(program, at: [theta, x])
        #expect(report.passed, "\(report)")
        var q = lap
        for (k, p) in diagonalPositions(lap.pattern).enumerated() { q.values[p] += Foundation.exp(theta.scalars[k]) }
        let z = try inverse(q)
        let gradient = try program.run([theta, x]).gradients[0].scalars
        for i in 0..<n {
            let expected = Foundation.exp(theta.scalars[i]) * (-0.5 * x.scalars[i] * x.scalars[i] + 0.5 * z[i, i])
            #expect(Swift.abs(gradient[i] - expected) < 1e-12)
        }
    }
}
