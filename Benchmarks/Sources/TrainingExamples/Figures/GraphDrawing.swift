import Foundation

/// A drawing of an undirected graph: edges as grey lines, nodes as numbered
/// discs at given positions (the unit square, e.g. from `ForceLayout`; the
/// drawing is `size` wide and as tall as the nodes' extent needs), each
/// filled with its class's colour and outlined by its role (plain, a thick
/// black ring, or a dashed ring of a warning colour), and a legend under the
/// drawing. O(nodes + edges).
public struct GraphDrawing: Sendable {
    public enum Outline: Sendable, Equatable {
        case plain
        case thick
        case dashed(colour: String)
    }

    public struct Node: Sendable {
        public var x: Double
        public var y: Double
        public var label: String
        public var fill: String
        public var outline: Outline
        public init(x: Double, y: Double, label: String, fill: String, outline: Outline = .plain) {
            (self.x, self.y, self.label, self.fill, self.outline) = (x, y, label, fill, outline)
        }
    }

    public struct LegendEntry: Sendable {
        public var label: String
        public var fill: String
        public var outline: Outline
        public init(label: String, fill: String, outline: Outline = .plain) {
            (self.label, self.fill, self.outline) = (label, fill, outline)
        }
    }

    public var title: String
    public var nodes: [Node]
    public var edges: [(Int, Int)]
    public var legend: [LegendEntry]
    public var size = 440.0
    public var radius = 10.0

    public init(title: String, nodes: [Node], edges: [(Int, Int)], legend: [LegendEntry], size: Double = 440) {
        (self.title, self.nodes, self.edges, self.legend, self.size) = (title, nodes, edges, legend, size)
    }

    func disc(x: Double, y: Double, fill: String, outline: Outline) -> String {
        let (cx, cy, r) = (SVG.number(x), SVG.number(y), SVG.number(radius))
        switch outline {
        case .plain:
            return "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"\(r)\" fill=\"\(fill)\" stroke=\"white\" stroke-width=\"1.5\"/>"
        case .thick:
            return "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"\(r)\" fill=\"\(fill)\" stroke=\"#111\" stroke-width=\"3\"/>"
        case .dashed(let colour):
            return "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"\(SVG.number(radius + 4))\" fill=\"none\" stroke=\"\(colour)\" "
                + "stroke-width=\"2.5\" stroke-dasharray=\"4 2\"/>"
                + "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"\(r)\" fill=\"\(fill)\" stroke=\"white\" stroke-width=\"1.5\"/>"
        }
    }

    public func element() -> SVGElement {
        // The unit square's width; its height cut to the nodes' extent.
        let (top, pad) = (24.0, radius + 6)
        let span = size - 2 * pad
        let (lowest, highest) = (nodes.map(\.y).min() ?? 0, nodes.map(\.y).max() ?? 1)
        func px(_ node: Node) -> Double { pad + span * node.x }
        func py(_ node: Node) -> Double { top + pad + span * (highest - node.y) }
        let drawingHeight = span * (highest - lowest) + 2 * pad
        var out = [SVG.text(title, x: 0, y: 14, size: 13, weight: "bold")]
        for (i, j) in edges {
            out.append(SVG.line(px(nodes[i]), py(nodes[i]), px(nodes[j]), py(nodes[j]), stroke: "#b8b8b8"))
        }
        for node in nodes {
            out.append(disc(x: px(node), y: py(node), fill: node.fill, outline: node.outline))
            out.append(SVG.text(node.label, x: px(node), y: py(node) + 3.5, anchor: "middle", size: 9.5,
                                weight: "bold", fill: "white"))
        }
        // Legend: one entry a row under the drawing.
        let legendTop = top + drawingHeight + 8
        for (k, entry) in legend.enumerated() {
            let y = legendTop + 22 * Double(k) + radius
            out.append(disc(x: radius + 4, y: y, fill: entry.fill, outline: entry.outline))
            out.append(SVG.text(entry.label, x: 2 * radius + 16, y: y + 4, fill: "#333"))
        }
        return SVGElement(width: size, height: legendTop + 22 * Double(legend.count), content: out.joined(separator: "\n"))
    }
}
