import Engine
import Foundation
import SparseJacobian

/// A two-layer graph convolution (Kipf and Welling, 2017) on Zachary's karate
/// club, trained with Adam from the labels of a few members:
///
///     logits = Â·relu(Â·X·W₁)·W₂,   Â = D^-1/2 (A + I) D^-1/2,   X = I
///
/// (each member its own one-hot feature, so Â·X·W₁ = Â·W₁), loss the mean
/// cross-entropy over the labelled rows. W₁ is 34 × hidden, W₂ hidden × 2,
/// Glorot-scaled deterministic initial values. Each Adam step is one planned
/// forward and backward run: two sparse products with Â (156 + 34 stored
/// entries) and two dense ones; the same run returns every member's logits as
/// an auxiliary output, from which the predictions are read.
public struct KarateClubExample: Sendable {
    public var hidden: Int
    public var steps: Int
    public var learningRate: Double
    public var weightDecay: Double
    /// Members whose faction the loss sees: by default the two leaders and one
    /// follower of each (0, 1 with Mr. Hi; 32, 33 with the Officer).
    public var labelled: [Int]

    public init(hidden: Int = 8, steps: Int = 200, learningRate: Double = 0.01, weightDecay: Double = 5e-4,
                labelled: [Int] = [0, 1, 32, 33]) {
        (self.hidden, self.steps, self.learningRate, self.weightDecay, self.labelled) =
            (hidden, steps, learningRate, weightDecay, labelled)
    }

    public struct Outcome: Sendable {
        /// The loss before each step.
        public var losses: [Double]
        /// Members predicted in their true faction before each step (the weights the loss saw).
        public var correctByStep: [Int]
        /// The faction each member is predicted to join after training.
        public var predicted: [Int]
        /// Each member's predicted probability of joining the Officer.
        public var officerProbability: [Double]
        /// Members whose prediction is their true faction.
        public var correct: Int { zip(predicted, KarateClub.faction).filter { $0 == $1 }.count }
    }

    /// Â, the normalised adjacency with self-loops.
    public static func normalizedAdjacency() throws -> SparseMatrix {
        try SparseMatrix.adjacency(nodeCount: KarateClub.nodeCount, edges: KarateClub.edges).normalizedAdjacency()
    }

    /// Glorot-uniform-scaled weights from a fixed sine sequence (no generator needed).
    static func weights(_ rows: Int, _ columns: Int, _ seed: Double) throws -> TensorValue {
        let scale = (6 / Double(rows + columns)).squareRoot()
        return try TensorValue(shape: [rows, columns],
                               scalars: (0..<(rows * columns)).map { scale * sin(Double($0) * 12.9898 + seed) })
    }

    /// Trains and calls `progress` with a line every `every` steps (and after the last).
    /// A hidden size or step count below 1, no labelled member or one that is
    /// not in the club is `EngineError.invalidArgument`.
    public func train(every: Int = 20, progress: (String) -> Void = { _ in }) throws -> Outcome {
        try requireArgument(hidden >= 1 && steps >= 1 && every >= 1, "KarateClubExample",
                            "hidden \(hidden), steps \(steps) and every \(every) must be at least 1")
        try requireArgument(!labelled.isEmpty && labelled.allSatisfy { (0..<KarateClub.nodeCount).contains($0) },
                            "KarateClubExample", "labelled members \(labelled) must be some of 0…33")
        let aHat = try Self.normalizedAdjacency()
        let n = KarateClub.nodeCount
        let labels = labelled.map { KarateClub.faction[$0] }
        let shapes = [[n, hidden], [hidden, 2]]
        // The loss to differentiate and, from the same forward pass, every member's logits.
        let loss = try Program(inputShapes: shapes, gradientsFor: [0, 1], auxiliary: ["logits"]) { v in
            let h = relu(matmul(aHat, v[0]))
            let logits = matmul(aHat, matmul(h, v[1]))
            return (crossEntropy(logits: logits.gathering(rows: labelled), labels: labels), [logits])
        }
        func predictions(_ logits: TensorValue) -> (factions: [Int], officer: [Double]) {
            let officer = (0..<n).map { 1 / (1 + exp(logits[$0, 0] - logits[$0, 1])) }
            return (officer.map { $0 > 0.5 ? 1 : 0 }, officer)
        }
        var inputs = [try Self.weights(n, hidden, 1), try Self.weights(hidden, 2, 2)]
        let adam = try Adam(try Parameters(loss, named: ["W1": 0, "W2": 1]), learningRate: learningRate,
                            weightDecay: weightDecay)
        var result = loss.makeResult()
        var losses: [Double] = [], correctByStep: [Int] = []
        for step in 0..<steps {
            try loss.run(inputs, into: &result)
            let correct = zip(predictions(result[auxiliary: "logits"]!).factions, KarateClub.faction).filter { $0 == $1 }.count
            losses.append(result.value.scalar)
            correctByStep.append(correct)
            if step % every == 0 || step == steps - 1 {
                progress(String(format: "step %4d  loss %.4f  members in their faction %d/%d", step, result.value.scalar,
                                correct, n))
            }
            try adam.step(&inputs, gradients: result)
        }
        try loss.run(inputs, into: &result)  // the logits after the last step
        let final = predictions(result[auxiliary: "logits"]!)
        return Outcome(losses: losses, correctByStep: correctByStep, predicted: final.factions,
                       officerProbability: final.officer)
    }
}
