import Foundation

extension KarateClubExample.Outcome {
    /// The two factions' colours (blue for Mr. Hi, orange for the Officer) and the ring of a misplaced member.
    static let factionColours = ["#2b6cb0", "#dd6b20"]
    static let misplacedColour = "#c53030"

    /// The loss curve (logarithmic) beside the club drawn with a fixed-seed
    /// force-directed layout, each member filled with its predicted faction,
    /// the labelled members ringed in black, misplaced members in dashed red.
    public func figure(labelled: [Int], layoutSeed: UInt64 = 7) -> SVGElement {
        let steps = losses.indices.map(Double.init)
        let loss = LineChart(
            title: "Cross-entropy on the \(labelled.count) labelled members",
            xTitle: "Adam step", yTitle: "loss (nats, log scale)",
            series: [.init(name: "training loss", points: Array(zip(steps, losses)).map { (x: $0, y: $1) },
                           colour: "#2c5282")],
            logarithmicY: true, width: 460, height: 300)
        let accuracy = LineChart(
            title: "Members placed in their true faction",
            xTitle: "Adam step", yTitle: "members (of \(KarateClub.nodeCount))",
            series: [.init(name: "predicted faction = true faction",
                           points: zip(steps, correctByStep).map { (x: $0, y: Double($1)) }, colour: "#2f855a")],
            width: 460, height: 240)
        let spring = ForceLayout.positions(nodeCount: KarateClub.nodeCount, edges: KarateClub.edges, iterations: 500,
                                           seed: layoutSeed, minimumDistance: 0)
        let layout = ForceLayout.separated(ForceLayout.oriented(spring, from: 0, to: 33), minimumDistance: 0.055)
        let names = KarateClub.factionNames
        let nodes = layout.enumerated().map { i, p in
            GraphDrawing.Node(
                x: p.x, y: p.y, label: String(i), fill: Self.factionColours[predicted[i]],
                outline: labelled.contains(i) ? .thick
                    : predicted[i] != KarateClub.faction[i] ? .dashed(colour: Self.misplacedColour) : .plain)
        }
        let graph = GraphDrawing(
            title: "Learned split: \(correct) of \(KarateClub.nodeCount) members in their true faction",
            nodes: nodes, edges: KarateClub.edges,
            legend: [
                .init(label: "predicted: \(names[0])'s club (node 0 is Mr. Hi)", fill: Self.factionColours[0]),
                .init(label: "predicted: the \(names[1])'s club (node 33 is the Officer)", fill: Self.factionColours[1]),
                .init(label: "labelled member (its faction is in the loss)", fill: "#a0aec0", outline: .thick),
                .init(label: "misplaced: predicted faction ≠ the one it joined", fill: "#a0aec0",
                      outline: .dashed(colour: Self.misplacedColour)),
            ],
            size: 560)
        return .row([.column([loss.element(), accuracy.element()], gap: 24), graph.element()], gap: 32)
    }
}
