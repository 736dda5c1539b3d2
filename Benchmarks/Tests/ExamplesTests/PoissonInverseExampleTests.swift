import Engine
import Foundation
import SparseJacobian
import Testing
import TrainingExamples

/// The Poisson inverse problem (`PoissonInverseExample`) on a 5×5 grid
/// (`make examples` runs it at 32×32).
@Suite struct PoissonInverseExampleTests {
    /// M·κ is the stiffness matrix: for κ = 1 it is the 5-point Laplacian with
    /// its Dirichlet boundary (4 on the diagonal, −1 to each neighbour).
    @Test func stiffnessAtUnitCoefficientIsTheGridLaplacian() throws {
        let side = 5, n = side * side
        let (pattern, map) = try PoissonInverseExample.stiffness(side: side)
        let values = try map.multiplied(by: DenseMatrix(rows: n, columns: 1, values: [Double](repeating: 1, count: n)),
                                        context: CholmodContext())
        let assembled = try SparseMatrix(pattern: pattern, values: values.values).dense()
        let laplacian = try SparseMatrix.gridLaplacian(side: side).dense()
        for i in 0..<n { for j in 0..<n { #expect(abs(assembled[i, j] - laplacian[i, j]) < 1e-12) } }
    }

    @Test func coefficientIsRecoveredFromObservations() throws {
        let example = PoissonInverseExample(side: 5, steps: 1500)
        let problem = try example.problem()
        let n = 25
        // The gradient through the sparse solve matches central differences.
        #expect(try GradientCheck.check(problem.misfit, at: [TensorValue([Double](repeating: 0.1, count: n))]).passed)
        let outcome = try example.train(problem)
        let first = outcome.misfits.first!, last = outcome.misfits.last!
        #expect(last < 1e-4 * first, "misfit \(first) → \(last)")
        let error = zip(outcome.recovered, problem.truth.scalars).map { abs($0 - $1) }.max()!
        #expect(error < 0.05, "largest error in θ: \(error)")
    }
}
