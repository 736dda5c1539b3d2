/// Stochastic gradient descent with momentum, as PyTorch's `torch.optim.SGD`.
///
/// For each parameter p with gradient g, at step t:
///
///     d = g + λ·p                               (weight decay λ)
///     b = d                          if t = 1   (momentum buffer)
///     b = μ·b + (1 − τ)·d            otherwise  (momentum μ, dampening τ)
///     d = d + μ·b  (Nesterov)  or  d = b        (when μ ≠ 0)
///     p = p − η·d                               (learning rate η)
///
/// Defaults are PyTorch's: η = 10⁻³, μ = 0, τ = 0, λ = 0, no Nesterov. A step
/// updates the parameters in the caller's input tensors in place and allocates
/// nothing (the momentum buffers are allocated once, at construction). Cost per
/// step: O(Σ parameter counts), one pass over each parameter.
public final class SGD {
    public let parameters: Parameters
    public var learningRate: Double
    public let momentum: Double
    public let dampening: Double
    public let weightDecay: Double
    public let nesterov: Bool
    /// Steps taken so far.
    public private(set) var stepCount = 0
    private let velocity: OptimizerBuffers

    /// A negative learning rate, momentum, dampening or weight decay, or Nesterov
    /// momentum without momentum or with dampening (PyTorch's rule), is
    /// `EngineError.invalidArgument`.
    public init(_ parameters: Parameters, learningRate: Double = 1e-3, momentum: Double = 0, dampening: Double = 0,
                weightDecay: Double = 0, nesterov: Bool = false) throws(EngineError) {
        try requireHyperParameter(learningRate >= 0, "SGD", "learning rate \(learningRate) is negative")
        try requireHyperParameter(momentum >= 0, "SGD", "momentum \(momentum) is negative")
        try requireHyperParameter(dampening >= 0, "SGD", "dampening \(dampening) is negative")
        try requireHyperParameter(weightDecay >= 0, "SGD", "weight decay \(weightDecay) is negative")
        try requireHyperParameter(!nesterov || (momentum > 0 && dampening == 0), "SGD",
                                  "Nesterov momentum needs momentum > 0 and no dampening")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        self.velocity = OptimizerBuffers(counts: momentum == 0 ? [] : parameters.counts)
    }

    /// One step: updates the parameters in `inputs` (the program's inputs) from
    /// the gradients in `result` (a run of the same program). Shapes are checked
    /// before anything is written.
    public func step(_ inputs: inout [TensorValue], gradients result: ProgramResult) throws(EngineError) {
        let (eta, mu, tau, lambda, nesterov, first) = (learningRate, momentum, dampening, weightDecay, nesterov, stepCount == 0)
        let velocity = velocity
        try parameters.update(&inputs, gradients: result) { k, p, g in
            let b = mu == 0 ? nil : velocity[k]
            for i in 0..<p.count {
                var d = g[i] + lambda * p[i]
                if let b {
                    b[i] = first ? d : mu * b[i] + (1 - tau) * d
                    d = nesterov ? d + mu * b[i] : b[i]
                }
                p[i] -= eta * d
            }
        }
        stepCount += 1
    }

    /// The momentum buffer of parameter `name` (zeros before the first step;
    /// empty without momentum).
    public func momentumBuffer(named name: String) throws(EngineError) -> [Double] {
        let k = try parameters.index(named: name)
        return momentum == 0 ? [] : Array(velocity[k].prefix(parameters.counts[k]))
    }

    /// Forgets the momentum: the next step is a first step again.
    public func reset() { velocity.reset(); stepCount = 0 }
}
