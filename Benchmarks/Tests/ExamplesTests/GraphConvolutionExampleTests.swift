import Engine
import Foundation
import SparseJacobian
import Testing
import TrainingExamples

/// The karate club example (`KarateClubExample`) at the size `make examples`
/// runs it: 34 members, hidden 8, 200 Adam steps from four labels.
@Suite struct GraphConvolutionExampleTests {
    @Test func karateClubSplitIsLearnedFromFourLabels() throws {
        #expect(KarateClub.edges.count == 78)
        #expect(Set(KarateClub.edges.map { "\($0.0)-\($0.1)" }).count == 78, "an edge listed twice")
        #expect(KarateClub.edges.allSatisfy { $0.0 < $0.1 && $0.1 < KarateClub.nodeCount })
        let a = try SparseMatrix.adjacency(nodeCount: KarateClub.nodeCount, edges: KarateClub.edges)
        #expect(a.pattern.nonzeroCount == 156)
        let outcome = try KarateClubExample().train()
        let losses = outcome.losses
        #expect(losses.count == 200)
        #expect(losses.last! < 0.05 * losses.first!, "loss \(losses.first!) → \(losses.last!)")
        #expect(outcome.correct >= 31, "\(outcome.correct) of 34 members placed in their faction")
        #expect(outcome.officerProbability.allSatisfy { (0...1).contains($0) })
    }

    /// The layout is a function of its seed, inside the unit square, with no
    /// two members closer than the minimum distance asked for.
    @Test func layoutIsDeterministicAndSpreadOut() {
        let first = ForceLayout.positions(nodeCount: KarateClub.nodeCount, edges: KarateClub.edges, seed: 7,
                                          minimumDistance: 0.06)
        let again = ForceLayout.positions(nodeCount: KarateClub.nodeCount, edges: KarateClub.edges, seed: 7,
                                          minimumDistance: 0.06)
        #expect(zip(first, again).allSatisfy { $0.x == $1.x && $0.y == $1.y })
        #expect(first.allSatisfy { (0...1).contains($0.x) && (0...1).contains($0.y) })
        var closest = Double.infinity
        for i in first.indices {
            for j in first.indices where j > i {
                closest = min(closest, hypot(first[i].x - first[j].x, first[i].y - first[j].y))
            }
        }
        #expect(closest > 0.059, "two members \(closest) apart")
        let oriented = ForceLayout.oriented(first, from: 0, to: 33)
        #expect(abs(oriented[0].y - oriented[33].y) < 1e-9 && oriented[0].x < oriented[33].x)
    }
}
