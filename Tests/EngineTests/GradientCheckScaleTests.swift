import Engine
import Testing

/// `GradientCheck` scales its step and tolerance to the magnitudes involved:
/// the same function scaled by 1, 1e-3 and 1e-5 gets the same verdict.
@Suite struct GradientCheckScaleTests {
    /// L = c·Σ x⁴ at x = [30, 0.5, -2]: a large loss next to a small slope for
    /// the second element, where the rounding error of the difference quotient
    /// dominates (a fixed absolute tolerance of 1e-6 fails at c = 1).
    private func report(scale c: Double, wrong: Bool) throws -> GradientCheck.Report {
        let program = try Program(inputShapes: [[3]], gradientsFor: [0]) { v in
            let q = v[0].elementwise("x⁴", { x in x * x * x * x }, derivative: { x in (wrong ? 3 : 4) * x * x * x })
            return q.sum() * c
        }
        return try GradientCheck.check(program, at: [TensorValue([30, 0.5, -2])])
    }

    @Test(arguments: [1, 1e-3, 1e-5])
    func correctGradientsPassAtEveryScale(_ c: Double) throws {
        let r = try report(scale: c, wrong: false)
        #expect(r.passed, "\(r)")
    }

    @Test(arguments: [1, 1e-3, 1e-5])
    func wrongGradientsFailAtEveryScale(_ c: Double) throws {
        let r = try report(scale: c, wrong: true)
        #expect(!r.passed, "\(r)")
        #expect(r.errors[0] > 0.2)
    }

    /// The error is relative to the gradient's size, so it does not move with the scale.
    @Test func errorsDoNotGrowWithTheLoss() throws {
        let errors = try [1, 1e-3, 1e-5].map { try report(scale: $0, wrong: false).errors[0] }
        #expect(errors.allSatisfy { $0 < 1e-7 }, "\(errors)")
    }
}
