import Foundation
import SparseJacobian

/// Checks a program's gradients against central finite differences.
///
/// For a non-scalar output a seed s is drawn (deterministically) and the checked
/// function is L(x) = ⟨s, f(x)⟩, so every vector-Jacobian product is exercised.
///
/// The rule, scaled to the magnitudes involved so that multiplying the loss by
/// any constant (1, 1e-3, 1e-5, …) gives the same verdict:
/// - step: element k of a differentiated input is moved by δ = h·max(1, |x_k|),
///   default h = ε^(1/3) ≈ 6e-6, which balances the truncation error (∝ δ²) and
///   the rounding error (∝ ε/δ) of the central difference (L(x+δ) − L(x−δ))/2δ;
/// - error: per input, max_k |analytic_k − numeric_k| / g, with g the largest
///   |analytic_k| or |numeric_k| of that input: relative to the gradient's own
///   size, not to 1, so it does not grow with the loss;
/// - tolerance: per input, `tolerance` plus the rounding bound of the
///   difference quotient, max_k 4ε·max(|L(x+δ)|, |L(x−δ)|)/(2δ·g): what a
///   correct gradient can miss by when the loss is large next to its slope.
/// Wrong rules are off by O(1) and fail at every scale.
public enum GradientCheck {
    /// ε^(1/3), the default relative step.
    public static let defaultStep = 6.0554544523933395e-06

    /// The worst disagreement per differentiated input.
    public struct Report: Sendable, CustomStringConvertible {
        /// max_k |analytic − numeric| / (largest |gradient| entry) per input.
        public let errors: [Double]
        /// The tolerance asked for (before the rounding allowance).
        public let tolerance: Double
        /// The tolerance each input's error is held to: `tolerance` plus the
        /// rounding bound of its differences (see `GradientCheck`).
        public let tolerances: [Double]
        public var passed: Bool { zip(errors, tolerances).allSatisfy { $0 <= $1 } }
        public var description: String {
            "gradient check \(passed ? "passed" : "FAILED"): errors \(errors) (tolerances \(tolerances))"
        }
    }

    /// Compares `program`'s gradients at `inputs` with central differences.
    public static func check(_ program: Program, at inputs: [TensorValue], step h: Double = defaultStep,
                             tolerance: Double = 1e-6) throws -> Report {
        let seed = defaultSeed(for: program.outputShape)
        let analytic = try program.run(inputs, seed: seed).gradients
        var errors = [Double](), tolerances = [Double]()
        for (slot, input) in program.gradientInputs.enumerated() {
            var numeric = [Double](), rounding = 0.0
            for k in inputs[input].scalars.indices {
                let (plus, minus, delta) = try perturbed(program, at: inputs, input: input, element: k, step: h)
                let (lp, lm) = (dot(plus, seed), dot(minus, seed))
                numeric.append((lp - lm) / (2 * delta))
                rounding = Swift.max(rounding, 4 * .ulpOfOne * Swift.max(Swift.abs(lp), Swift.abs(lm)) / (2 * delta))
            }
            let a = analytic[slot].scalars
            let scale = Swift.max(a.map(Swift.abs).max() ?? 0, numeric.map(Swift.abs).max() ?? 0)
            let worst = zip(a, numeric).map { Swift.abs($0 - $1) }.max() ?? 0
            errors.append(scale > 0 ? worst / scale : worst)
            tolerances.append(tolerance + (scale > 0 ? rounding / scale : rounding))
        }
        return Report(errors: errors, tolerance: tolerance, tolerances: tolerances)
    }

    /// The full Jacobian ∂output/∂input (rows: output elements, columns: input
    /// elements, both in storage order) by central differences with the step
    /// rule above. For tests and small programs: 2·(input count) forward runs.
    /// An `input` that is not one of the program's is `EngineError.invalidGradientRequest`.
    public static func numericJacobian(_ program: Program, at inputs: [TensorValue], input: Int,
                                       step h: Double = defaultStep) throws -> DenseMatrix {
        guard (0..<program.inputShapes.count).contains(input) else {
            throw EngineError.invalidGradientRequest(input: input, inputCount: program.inputShapes.count)
        }
        guard inputs.count == program.inputShapes.count else {
            throw EngineError.inputCount(expected: program.inputShapes.count, actual: inputs.count)
        }
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
        if n == 1 { return TensorValue(repeating: 1, validShape: shape) }
        return try! TensorValue(shape: shape, scalars: (0..<n).map { 0.25 + 0.75 * sin(1.7 * Double($0) + 0.3) })
    }

    /// ⟨y, s⟩.
    private static func dot(_ y: TensorValue, _ s: TensorValue) -> Double {
        zip(y.scalars, s.scalars).reduce(0) { $0 + $1.0 * $1.1 }
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
