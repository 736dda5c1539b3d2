import BenchmarkSupport
import Engine
import Foundation
import SparseJacobian

/// The precision of a Gaussian Markov random field fitted by maximum
/// likelihood through `logDeterminant`'s gradient: Q = τ·(L + I) on a
/// side×side grid (L the 5-point Laplacian with Dirichlet boundary), τ = exp θ,
///
///     −log p(x) = ½ xᵀQx − ½ log det Q + (n/2) log 2π.
///
/// The data x is one exact sample of N(0, Q⁻¹) at a true τ: L + I = BᵀB with
/// B's rows the grid edges (eᵢ − eⱼ), the boundary sides (eᵢ) and the identity,
/// so x = (L + I)⁻¹·Bᵀz / √τ for z standard normal has covariance Q⁻¹. The
/// minimiser is τ̂ = n / xᵀ(L + I)x in closed form, which the fit must reach.
/// Each step factorizes Q once (n = side², 5n stored entries) and forms its
/// selected inverse on the pattern for the gradient of log det Q.
public struct GaussianPrecisionExample: Sendable {
    public var side: Int
    public var steps: Int
    public var learningRate: Double
    public var trueScale: Double
    public var seed: UInt64

    public init(side: Int = 6, steps: Int = 800, learningRate: Double = 0.05, trueScale: Double = 2, seed: UInt64 = 11) {
        (self.side, self.steps, self.learningRate, self.trueScale, self.seed) = (side, steps, learningRate, trueScale, seed)
    }

    public struct Problem {
        /// L + I.
        public var base: SparseMatrix
        public var sample: TensorValue
        /// θ ↦ ½ xᵀQx − ½ log det Q (the negative log-likelihood less (n/2) log 2π).
        public var negativeLogLikelihood: Program
        /// log(n / xᵀ(L + I)x).
        public var closedForm: Double
    }

    public struct Outcome: Sendable {
        public var nodes: Int
        /// θ before each step and after the last.
        public var thetas: [Double]
        /// The log-likelihood per node at each θ of `thetas`.
        public var logLikelihoodPerNode: [Double]
        public var closedForm: Double
        public var trueTheta: Double
        public var fitted: Double { thetas.last ?? .nan }
    }

    /// One sample of N(0, (τ(L + I))⁻¹), by a sparse Cholesky solve. Cost: one
    /// factorization and one solve of L + I.
    public func sample(base: SparseMatrix) throws -> [Double] {
        let n = side * side
        var random = SplitMix64(seed: seed)
        var bz = (0..<n).map { _ in random.normal() }  // the identity rows of B
        for node in 0..<n {
            let (r, c) = (node / side, node % side)
            if c + 1 < side { let z = random.normal(); bz[node] += z; bz[node + 1] -= z }
            if r + 1 < side { let z = random.normal(); bz[node] += z; bz[node + side] -= z }
            let boundarySides = (r == 0 ? 1 : 0) + (r == side - 1 ? 1 : 0) + (c == 0 ? 1 : 0) + (c == side - 1 ? 1 : 0)
            for _ in 0..<boundarySides { bz[node] += random.normal() }
        }
        let cholesky = try SparseCholesky(pattern: base.pattern, context: CholmodContext())
        try cholesky.factorize(values: base.values)
        let x = try cholesky.solve(DenseMatrix(rows: n, columns: 1, values: bz))
        return x.values.map { $0 / trueScale.squareRoot() }
    }

    /// A side below 1 or a τ that is not positive is `EngineError.invalidArgument`.
    public func problem() throws -> Problem {
        try requireArgument(side >= 1, "GaussianPrecisionExample", "side \(side) must be at least 1")
        try requireArgument(trueScale > 0 && trueScale.isFinite, "GaussianPrecisionExample",
                            "τ \(trueScale) must be positive")
        let n = side * side
        let base = try SparseMatrix.gridLaplacian(side: side).adding(.identity(n))
        let x = TensorValue(try sample(base: base))
        let values = TensorValue(base.values)
        let program = try Program(inputShapes: [[]], gradientsFor: [0]) { v in
            let q = exp(v[0]) * values
            let quadratic = (x * matmul(base.pattern, values: q, x)).sum()
            return 0.5 * quadratic - 0.5 * logDeterminant(base.pattern, values: q)
        }
        return Problem(base: base, sample: x, negativeLogLikelihood: program,
                       closedForm: log(Double(n) / Self.quadraticForm(base, x.scalars)))
    }

    /// xᵀAx over A's stored entries, column by column. Cost O(nnz).
    public static func quadraticForm(_ a: SparseMatrix, _ x: [Double]) -> Double {
        var total = 0.0
        for j in 0..<a.columns {
            for p in a.pattern.positions(ofColumn: j) { total += x[a.pattern.rowIndices[p]] * a.values[p] * x[j] }
        }
        return total
    }

    /// Adam from θ = 0; `progress` gets a line every `every` steps and after the last.
    /// A negative step count is `EngineError.invalidArgument`.
    public func train(_ problem: Problem, every: Int = 100, progress: (String) -> Void = { _ in }) throws -> Outcome {
        try requireArgument(steps >= 0 && every >= 1, "GaussianPrecisionExample",
                            "steps \(steps) must not be negative and every \(every) at least 1")
        let n = side * side
        let program = problem.negativeLogLikelihood
        let adam = try Adam(try Parameters(program, named: ["log tau": 0]), learningRate: learningRate)
        var theta = [TensorValue(0)]
        var result = program.makeResult()
        var thetas: [Double] = [], perNode: [Double] = []
        let constant = 0.5 * Double(n) * log(2 * Double.pi)
        for step in 0...steps {
            try program.run(theta, into: &result)
            thetas.append(theta[0].scalar)
            perNode.append((-result.value.scalar - constant) / Double(n))
            if step % every == 0 || step == steps {
                progress(String(format: "step %4d  θ %.6f (τ %.4f)  log-likelihood per node %.6f  θ − closed form %.2e",
                                step, theta[0].scalar, exp(theta[0].scalar), perNode.last!,
                                theta[0].scalar - problem.closedForm))
            }
            if step < steps { try adam.step(&theta, gradients: result) }
        }
        return Outcome(nodes: n, thetas: thetas, logLikelihoodPerNode: perNode, closedForm: problem.closedForm,
                       trueTheta: log(trueScale))
    }
}
