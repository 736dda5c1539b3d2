import Foundation

/// Adam (Kingma and Ba, 2015), as PyTorch's `torch.optim.Adam`.
///
/// For each parameter p with gradient g, at step t = 1, 2, …:
///
///     d = g + λ·p                                (weight decay λ, added to the gradient)
///     m = β₁·m + (1 − β₁)·d                      (first moment)
///     v = β₂·v + (1 − β₂)·d²                     (second moment)
///     v̂ = max(v̂, v) with AMSGrad, else v̂ = v
///     p = p − (η / (1 − β₁ᵗ)) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
///
/// Defaults are PyTorch's: η = 10⁻³, β = (0.9, 0.999), ε = 10⁻⁸, λ = 0, no
/// AMSGrad. A step updates the parameters in the caller's input tensors in
/// place and allocates nothing (moments allocated once, at construction).
/// Cost per step: O(Σ parameter counts), one pass over each parameter.
public final class Adam {
    public let parameters: Parameters
    public var learningRate: Double
    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double
    public let weightDecay: Double
    public let amsgrad: Bool
    /// Steps taken so far (t of the last step).
    public private(set) var stepCount = 0
    private let first: OptimizerBuffers
    private let second: OptimizerBuffers
    private let secondMax: OptimizerBuffers

    /// A negative learning rate, ε or weight decay, or a β outside [0, 1), is
    /// `EngineError.invalidArgument`.
    public init(_ parameters: Parameters, learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                epsilon: Double = 1e-8, weightDecay: Double = 0, amsgrad: Bool = false) throws(EngineError) {
        try requireHyperParameter(learningRate >= 0, "Adam", "learning rate \(learningRate) is negative")
        try requireHyperParameter((0..<1).contains(betas.0) && (0..<1).contains(betas.1), "Adam",
                                  "betas \(betas) are not both in [0, 1)")
        try requireHyperParameter(epsilon >= 0, "Adam", "epsilon \(epsilon) is negative")
        try requireHyperParameter(weightDecay >= 0, "Adam", "weight decay \(weightDecay) is negative")
        self.parameters = parameters
        self.learningRate = learningRate
        (beta1, beta2) = betas
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.amsgrad = amsgrad
        first = OptimizerBuffers(counts: parameters.counts)
        second = OptimizerBuffers(counts: parameters.counts)
        secondMax = OptimizerBuffers(counts: amsgrad ? parameters.counts : [])
    }

    /// One step: updates the parameters in `inputs` (the program's inputs) from
    /// the gradients in `result` (a run of the same program). Shapes are checked
    /// before anything is written.
    public func step(_ inputs: inout [TensorValue], gradients result: ProgramResult) throws(EngineError) {
        let t = Double(stepCount + 1)
        let (b1, b2, eps, lambda) = (beta1, beta2, epsilon, weightDecay)
        let stepSize = learningRate / (1 - Foundation.pow(b1, t))
        let correction2 = (1 - Foundation.pow(b2, t)).squareRoot()
        let (first, second, secondMax, amsgrad) = (first, second, secondMax, amsgrad)
        try parameters.update(&inputs, gradients: result) { k, p, g in
            let (m, v) = (first[k], second[k])
            let vMax = amsgrad ? secondMax[k] : v
            for i in 0..<p.count {
                let d = g[i] + lambda * p[i]
                m[i] = b1 * m[i] + (1 - b1) * d
                v[i] = b2 * v[i] + (1 - b2) * d * d
                if amsgrad { vMax[i] = Swift.max(vMax[i], v[i]) }
                p[i] -= stepSize * m[i] / (vMax[i].squareRoot() / correction2 + eps)
            }
        }
        stepCount += 1
    }

    /// The first and second moments of parameter `name` (zeros before the first step).
    public func moments(named name: String) throws(EngineError) -> (first: [Double], second: [Double]) {
        let k = try parameters.index(named: name)
        let n = parameters.counts[k]
        return (Array(first[k].prefix(n)), Array(second[k].prefix(n)))
    }

    /// Forgets the moments: the next step is step 1 again.
    public func reset() { first.reset(); second.reset(); secondMax.reset(); stepCount = 0 }
}
