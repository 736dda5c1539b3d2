import Engine
import Foundation
import SparseJacobian
import Testing

/// A two-layer graph convolution (Kipf and Welling) on Zachary's karate club,
/// trained with Adam from the labels of four members (two per faction):
/// logits = Â·relu(Â·X·W₁)·W₂ with Â = D^-1/2 (A + I) D^-1/2 and X = I (each
/// member its own feature), cross-entropy on the labelled rows.
@Suite struct GraphConvolutionExample {
    @Test func karateClubSplitIsLearnedFromFourLabels() throws {
        #expect(KarateClub.edges.count == 78)
        let a = try SparseMatrix.adjacency(nodeCount: KarateClub.nodeCount, edges: KarateClub.edges)
        #expect(a.pattern.nonzeroCount == 156)
        let aHat = try a.normalizedAdjacency()
        let n = KarateClub.nodeCount, hidden = 8
        let labelled = [0, 1, 32, 33]
        let program = try Program(inputShapes: [[n, hidden], [hidden, 2]], gradientsFor: [0, 1]) { v in
            // X = I, so Â·X·W₁ = Â·W₁.
            let h = relu(matmul(aHat, v[0]))
            let logits = matmul(aHat, matmul(h, v[1]))
            return crossEntropy(logits: logits.gathering(rows: labelled), labels: labelled.map { KarateClub.faction[$0] })
        }
        let logitsOf = try Program(inputShapes: [[n, hidden], [hidden, 2]]) { v in
            matmul(aHat, matmul(relu(matmul(aHat, v[0])), v[1]))
        }
        // Glorot-scaled deterministic initial weights.
        func weights(_ rows: Int, _ columns: Int, _ seed: Double) throws -> TensorValue {
            let scale = (6 / Double(rows + columns)).squareRoot()
            return try TensorValue(shape: [rows, columns],
                                   scalars: (0..<(rows * columns)).map { scale * sin(Double($0) * 12.9898 + seed) })
        }
        var inputs = [try weights(n, hidden, 1), try weights(hidden, 2, 2)]
        let adam = try Adam(try Parameters(program, named: ["W1": 0, "W2": 1]), learningRate: 0.01, weightDecay: 5e-4)
        var result = program.makeResult()
        var losses: [Double] = []
        for _ in 0..<200 {
            try program.run(inputs, into: &result)
            losses.append(result.value.scalar)
            try adam.step(&inputs, gradients: result)
        }
        let logits = try logitsOf.value(inputs)
        let predicted = (0..<n).map { logits[$0, 1] > logits[$0, 0] ? 1 : 0 }
        let correct = zip(predicted, KarateClub.faction).filter { $0 == $1 }.count
        #expect(losses.last! < 0.05 * losses.first!, "loss \(losses.first!) → \(losses.last!)")
        #expect(correct >= 31, "\(correct) of 34 members placed in their faction")
    }
}
