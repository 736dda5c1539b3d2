import Engine
import Foundation
import SparseJacobian

/// A Poisson inverse problem: −∇·(κ∇u) = f on a side×side grid of nodes
/// (zero Dirichlet boundary), κ = exp θ per node; θ is recovered from
/// observations of u for three sources by Adam through `solve`'s gradient.
///
/// The stiffness matrix is linear in κ: each grid edge (i, j) has conductance
/// (κᵢ + κⱼ)/2 and adds it at (i, i), (j, j) and subtracts it at (i, j), (j, i);
/// a boundary node also conducts κᵢ to the boundary. So A's values are M·κ for
/// a constant sparse M (one row per stored entry, one column per node), and the
/// program is values = M·exp θ, U = A(values)⁻¹·F, loss = ½‖U − U_obs‖²/‖U_obs‖².
/// The true field is θ(s, t) = 0.6·sin(3.6 s)·cos(2.8 t) with s, t ∈ [0, 1] the
/// node's coordinates. Each step factorizes A once (n = side² unknowns, 5n
/// stored entries) and solves for the three sources, forward and adjoint.
/// With the first two alone θ is poorly determined near the centre, where the
/// uniform source's flux vanishes (largest error 0.25 on 32×32 after 3000
/// steps); the dipole's flux crosses the centre, and with it the largest error
/// is below 0.01.
public struct PoissonInverseExample: Sendable {
    public var side: Int
    public var steps: Int
    /// Adam's learning rate at the first step; it decays exponentially to
    /// `finalLearningRate` at the last, which damps Adam's late oscillations.
    public var learningRate: Double
    public var finalLearningRate: Double

    public init(side: Int = 5, steps: Int = 1500, learningRate: Double = 0.05, finalLearningRate: Double = 0.005) {
        (self.side, self.steps, self.learningRate, self.finalLearningRate) = (side, steps, learningRate, finalLearningRate)
    }

    /// The pieces of the problem: M and A's pattern, the truth, the sources,
    /// the observations, and the misfit as a program of θ.
    public struct Problem {
        public var pattern: SparsityPattern
        public var map: SparseMatrix
        public var truth: TensorValue
        public var sources: TensorValue
        public var observed: TensorValue
        public var misfit: Program
    }

    public struct Outcome: Sendable {
        public var side: Int
        public var truth: [Double]
        public var recovered: [Double]
        /// The misfit before each step.
        public var misfits: [Double]
        public init(side: Int, truth: [Double], recovered: [Double], misfits: [Double]) {
            (self.side, self.truth, self.recovered, self.misfits) = (side, truth, recovered, misfits)
        }
        public var largestError: Double { zip(recovered, truth).map { abs($0 - $1) }.max() ?? 0 }
        public var rootMeanSquareError: Double {
            (zip(recovered, truth).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(max(truth.count, 1))).squareRoot()
        }
    }

    /// M with rows on A's value positions, and A's pattern. Cost O(side²).
    public static func stiffness(side m: Int) throws -> (pattern: SparsityPattern, map: SparseMatrix) {
        let n = m * m
        var entries: [(row: Int, column: Int, node: Int, weight: Double)] = []
        func conduct(_ i: Int, _ j: Int) {
            for node in [i, j] {
                entries += [(i, i, node, 0.5), (j, j, node, 0.5), (i, j, node, -0.5), (j, i, node, -0.5)]
            }
        }
        for y in 0..<m {
            for x in 0..<m {
                let i = x + m * y
                if x + 1 < m { conduct(i, i + 1) }
                if y + 1 < m { conduct(i, i + m) }
                let boundarySides = (x == 0 ? 1 : 0) + (x == m - 1 ? 1 : 0) + (y == 0 ? 1 : 0) + (y == m - 1 ? 1 : 0)
                if boundarySides > 0 { entries.append((i, i, i, Double(boundarySides))) }
            }
        }
        let pattern = try SparsityPattern(rows: n, columns: n, rowIndices: entries.map(\.row),
                                          columnIndices: entries.map(\.column))
        let positions = try pattern.positions(ofEntries: entries.map { (row: $0.row, column: $0.column) })
        let map = try SparseMatrix(rows: pattern.nonzeroCount, columns: n, rowIndices: positions,
                                   columnIndices: entries.map(\.node), values: entries.map(\.weight))
        return (pattern, map)
    }

    /// The true θ at node x + side·y.
    public func trueField() -> [Double] {
        let scale = 1 / Double(max(side - 1, 1))
        return (0..<(side * side)).map { (i: Int) -> Double in
            let (s, t) = (Double(i % side) * scale, Double(i / side) * scale)
            return 0.6 * sin(3.6 * s) * cos(2.8 * t)
        }
    }

    /// A side below 2 is `EngineError.invalidArgument`.
    public func problem() throws -> Problem {
        try requireArgument(side >= 2, "PoissonInverseExample", "side \(side) must be at least 2")
        let n = side * side
        let (pattern, map) = try Self.stiffness(side: side)
        let truth = TensorValue(trueField())
        // Three sources: uniform, one that varies from node to node, and a
        // dipole (a source on the left half, a sink on the right).
        let uniform = [Double](repeating: 1, count: n)
        let varied = (0..<n).map { (i: Int) -> Double in Double((i * 7) % 5) }
        let scale = 1 / Double(max(side - 1, 1))
        let dipole = (0..<n).map { (i: Int) -> Double in 4 * cos(Double.pi * Double(i % side) * scale) }
        let f = try TensorValue(shape: [n, 3], scalars: uniform + varied + dipole)
        let forward = try Program(inputShapes: [[n]]) { v in solve(pattern, values: matmul(map, exp(v[0])), f) }
        let observed = try forward.value([truth])
        let weight = 1 / observed.scalars.reduce(0) { $0 + $1 * $1 }
        let misfit = try Program(inputShapes: [[n]], gradientsFor: [0]) { v in
            square(solve(pattern, values: matmul(map, exp(v[0])), f) - observed).sum() * (0.5 * weight)
        }
        return Problem(pattern: pattern, map: map, truth: truth, sources: f, observed: observed, misfit: misfit)
    }

    /// Adam from θ = 0; `progress` gets a line every `every` steps and after the last.
    /// A step count below 1 or a learning rate that is not positive is `EngineError.invalidArgument`.
    public func train(_ problem: Problem, every: Int = 250, progress: (String) -> Void = { _ in }) throws -> Outcome {
        try requireArgument(steps >= 1 && every >= 1, "PoissonInverseExample", "steps \(steps) and every \(every) must be at least 1")
        try requireArgument(learningRate > 0 && finalLearningRate > 0, "PoissonInverseExample",
                            "learning rates \(learningRate) → \(finalLearningRate) must be positive")
        let n = side * side
        let adam = try Adam(try Parameters(problem.misfit, named: ["theta": 0]), learningRate: learningRate)
        var theta = [try TensorValue(repeating: 0, shape: [n])]
        var result = problem.misfit.makeResult()
        var misfits: [Double] = []
        func largestError() -> Double { zip(theta[0].scalars, problem.truth.scalars).map { abs($0 - $1) }.max() ?? 0 }
        let decay = Foundation.pow(finalLearningRate / learningRate, 1 / Double(max(steps - 1, 1)))
        for step in 0..<steps {
            adam.learningRate = learningRate * Foundation.pow(decay, Double(step))
            try problem.misfit.run(theta, into: &result)
            misfits.append(result.value.scalar)
            if step % every == 0 {
                progress(String(format: "step %5d  misfit %.3e  largest error in θ %.4f", step, result.value.scalar,
                                largestError()))
            }
            try adam.step(&theta, gradients: result)
        }
        let final = try problem.misfit.value(theta).scalar
        misfits.append(final)
        progress(String(format: "step %5d  misfit %.3e  largest error in θ %.4f", steps, final, largestError()))
        return Outcome(side: side, truth: problem.truth.scalars, recovered: theta[0].scalars, misfits: misfits)
    }
}
