import Engine
import Foundation
import SparseJacobian
import Testing

/// The precision of a Gaussian Markov random field fitted by maximum
/// likelihood through `logDeterminant`'s gradient: Q = τ·(L + I) on a grid,
/// τ = exp θ, negative log-likelihood ½ xᵀQx − ½ log det Q (constants dropped).
/// Its minimiser is τ̂ = n / xᵀ(L + I)x in closed form, which the fit must reach.
@Suite struct GaussianPrecisionExample {
    @Test func precisionScaleReachesItsClosedForm() throws {
        let side = 6, n = side * side
        let base = try SparseMatrix.gridLaplacian(side: side).adding(.identity(n))
        let x = TensorValue((0..<n).map { sin(Double($0) * 1.3) * 0.8 })
        let values = TensorValue(base.values)
        let program = try Program(inputShapes: [[]], gradientsFor: [0]) { v in
            let q = exp(v[0]) * values
            let quadratic = (x * matmul(base.pattern, values: q, x)).sum()
            return 0.5 * quadratic - 0.5 * logDeterminant(base.pattern, values: q)
        }
        #expect(try GradientCheck.check(program, at: [TensorValue(0.3)]).passed)
        let adam = try Adam(try Parameters(program, named: ["log tau": 0]), learningRate: 0.05)
        var theta = [TensorValue(0)]
        var result = program.makeResult()
        for _ in 0..<800 {
            try program.run(theta, into: &result)
            try adam.step(&theta, gradients: result)
        }
        let dense = base.dense()
        var quadratic = 0.0
        for i in 0..<n { for j in 0..<n { quadratic += x.scalars[i] * dense[i, j] * x.scalars[j] } }
        let closedForm = log(Double(n) / quadratic)
        #expect(abs(theta[0].scalar - closedForm) < 1e-4, "θ \(theta[0].scalar), closed form \(closedForm)")
    }
}
