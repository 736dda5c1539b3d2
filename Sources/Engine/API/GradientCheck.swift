import SparseJacobian

/// Checks a program's gradients against central finite differences.
///
/// For a non-scalar output a seed s is drawn (deterministically) and the checked
/// function is L(x) = ⟨s, f(x)⟩, so every vector-Jacobian product is exercised.
/// Each element of each differentiated input is perturbed by ±h·max(1, |x|), and
/// (L(x + δ) − L(x − δ))/2δ is compared with the engine's gradient. In double
/// precision the central difference is accurate to about h² + ε/h, so the
/// defaults h = 1e-6 and tolerance 1e-6 (absolute plus relative) leave room for
/// curvature without hiding wrong rules (those are off by O(1)).
public enum GradientCheck {
    /// The worst disagreement per differentiated input.
    public struct Report: Sendable, CustomStringConvertible {
        /// max |analytic − numeric| / (1 + max(|analytic|, |numeric|)) per input.
        public let errors: [Double]
        public let tolerance: Double
        public var passed: Bool { errors.allSatisfy { $0 <= tolerance } }
        public var description: String {
            "gradient check \(passed ? "passed" : "FAILED"): errors \(errors) (tolerance \(tolerance))"
        }
    }

    /// Compares `program`'s gradients at `inputs` with central differences.
    public static func check(_ program: Program, at inputs: [TensorValue], step h: Double = 1e-6,
                             tolerance: Double = 1e-6) throws -> Report {
        let seed = defaultSeed(for: program.outputShape)
        let analytic = try program.run(inputs, seed: seed).gradients
        var errors = [Double]()
        for (slot, input) in program.gradientInputs.enumerated() {
            var worst = 0.0
            for k in inputs[input].scalars.indices {
                let numeric = try centralDifference(program, at: inputs, input: input, element: k, step: h) { y in
                    zip(y.scalars, seed.scalars).reduce(0) { $0 + $1.0 * $1.1 }
                }
                let a = analytic[slot].scalars[k]
                worst = Swift.max(worst, Swift.abs(a - numeric) / (1 + Swift.max(Swift.abs(a), Swift.abs(numeric))))
            }
            errors.append(worst)
        }
        return Report(errors: errors, tolerance: tolerance)
    }

    /// The full Jacobian ∂output/∂input (rows: output elements, columns: input
    /// elements, both in storage order) by central differences. For tests and
    /// small programs: 2·(input count) forward runs.
    public static func numericJacobian(_ program: Program, at inputs: [TensorValue], input: Int,
                                       step h: Double = 1e-6) throws -> DenseMatrix {
        let outputs = Shape.count(program.outputShape), columns = inputs[input].scalars.count
        var jacobian = DenseMatrix.zeros(rows: outputs, columns: columns)
        for k in 0..<columns {
            let (plus, minus, delta) = try perturbed(program, at: inputs, input: input, element: k, step: h)
            for o in 0..<outputs { jacobian[o, k] = (plus.scalars[o] - minus.scalars[o]) / (2 * delta) }
        }
        return jacobian
    }

    /// A deterministic seed with entries in [−1, 1] and no zeros (1 for a scalar output).
    public static func defaultSeed(for shape: [Int]) -> TensorValue {
        let n = Shape.count(shape)
        if n == 1 { return TensorValue(repeating: 1, shape: shape) }
        return try! TensorValue(shape: shape, scalars: (0..<n).map { 0.25 + 0.75 * sin(1.7 * Double($0) + 0.3) })
    }

    private static func centralDifference(_ program: Program, at inputs: [TensorValue], input: Int, element k: Int,
                                          step h: Double, _ reduce: (TensorValue) -> Double) throws -> Double {
        let (plus, minus, delta) = try perturbed(program, at: inputs, input: input, element: k, step: h)
        return (reduce(plus) - reduce(minus)) / (2 * delta)
    }

    private static func perturbed(_ program: Program, at inputs: [TensorValue], input: Int, element k: Int,
                                  step h: Double) throws -> (TensorValue, TensorValue, Double) {
        var shifted = inputs
        let x = inputs[input].scalars[k]
        let delta = h * Swift.max(1, Swift.abs(x))
        shifted[input].scalars[k] = x + delta
        let plus = try program.value(shifted)
        shifted[input].scalars[k] = x - delta
        let minus = try program.value(shifted)
        return (plus, minus, delta)
    }
}

import Foundation
