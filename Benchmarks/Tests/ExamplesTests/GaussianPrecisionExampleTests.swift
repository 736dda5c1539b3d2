import Engine
import Foundation
import SparseJacobian
import Testing
import TrainingExamples

/// The Gaussian precision example (`GaussianPrecisionExample`) on a 6×6 grid
/// (`make examples` runs it at 64×64): the fit must reach the closed-form
/// maximum-likelihood value, computed here from the dense matrix.
@Suite struct GaussianPrecisionExampleTests {
    @Test func precisionScaleReachesItsClosedForm() throws {
        let example = GaussianPrecisionExample(side: 6, steps: 800)
        let problem = try example.problem()
        let n = 36
        #expect(try GradientCheck.check(problem.negativeLogLikelihood, at: [TensorValue(0.3)]).passed)
        let outcome = try example.train(problem)
        let dense = problem.base.dense(), x = problem.sample.scalars
        var quadratic = 0.0
        for i in 0..<n { for j in 0..<n { quadratic += x[i] * dense[i, j] * x[j] } }
        let closedForm = log(Double(n) / quadratic)
        #expect(abs(problem.closedForm - closedForm) < 1e-12)
        #expect(abs(outcome.fitted - closedForm) < 1e-4, "θ \(outcome.fitted), closed form \(closedForm)")
        // The log-likelihood ends at the best it reached (within the curvature's n/2·Δθ² at Δθ = 10⁻⁴).
        let best = outcome.logLikelihoodPerNode.max()!
        #expect(best - outcome.logLikelihoodPerNode.last! < 1e-8)
    }

    /// The sample's covariance is Q⁻¹: over many seeds, the mean of xᵀ(L + I)x
    /// is n/τ (each sample a χ² with n degrees of freedom, scaled by 1/τ).
    @Test func samplesHaveThePrecisionTheyAreDrawnWith() throws {
        let side = 4, n = 16, tau = 2.0, draws = 400
        let base = try SparseMatrix.gridLaplacian(side: side).adding(.identity(n))
        var total = 0.0
        for seed in 0..<draws {
            let x = try GaussianPrecisionExample(side: side, trueScale: tau, seed: UInt64(seed)).sample(base: base)
            total += GaussianPrecisionExample.quadraticForm(base, x)
        }
        // Mean n/τ = 8, standard error √(2n)/τ/√draws ≈ 0.14: five of them.
        let mean = total / Double(draws)
        #expect(abs(mean - Double(n) / tau) < 5 * (2 * Double(n)).squareRoot() / tau / Double(draws).squareRoot(),
                "mean xᵀ(L+I)x \(mean), expected \(Double(n) / tau)")
    }
}
