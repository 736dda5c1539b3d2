import Foundation

/// A heat map of values on a grid, one square cell per value, coloured on a
/// diverging scale (blue below the middle of `range`, white at it, red above;
/// ColorBrewer's RdBu), with an optional colour bar of round ticks. Values are
/// row-major with row 0 drawn at the bottom, as a field on a grid is plotted.
/// O(rows · columns) cells.
public struct HeatMap: Sendable {
    public var title: String
    public var columns: Int
    public var rows: Int
    public var values: [Double]
    public var range: ClosedRange<Double>
    public var colourBar: Bool
    public var cellSize: Double

    public init(title: String, columns: Int, rows: Int, values: [Double], range: ClosedRange<Double>,
                colourBar: Bool = true, cellSize: Double = 8) {
        precondition(values.count == columns * rows, "a heat map needs columns × rows values")
        (self.title, self.columns, self.rows, self.values) = (title, columns, rows, values)
        (self.range, self.colourBar, self.cellSize) = (range, colourBar, cellSize)
    }

    /// The range symmetric about zero that holds every value of `fields`.
    public static func symmetricRange(_ fields: [Double]...) -> ClosedRange<Double> {
        let largest = max(fields.joined().map(abs).max() ?? 1, 1e-12)
        return -largest...largest
    }

    /// RdBu from blue (0) through white (0.5) to red (1).
    static let anchors: [(Double, Double, Double)] = [
        (33, 102, 172), (103, 169, 207), (209, 229, 240), (247, 247, 247), (253, 219, 199), (239, 138, 98), (178, 24, 43),
    ]

    /// The colour of `value` on the scale, as #rrggbb.
    public func colour(_ value: Double) -> String {
        let span = range.upperBound - range.lowerBound
        let t = span > 0 ? min(max((value - range.lowerBound) / span, 0), 1) : 0.5
        let position = t * Double(Self.anchors.count - 1)
        let k = min(Int(position), Self.anchors.count - 2), f = position - Double(k)
        let (a, b) = (Self.anchors[k], Self.anchors[k + 1])
        func channel(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * f).rounded()) }
        return String(format: "#%02x%02x%02x", channel(a.0, b.0), channel(a.1, b.1), channel(a.2, b.2))
    }

    public func element() -> SVGElement {
        let top = 24.0
        let (mapWidth, mapHeight) = (Double(columns) * cellSize, Double(rows) * cellSize)
        var out = [SVG.text(title, x: 0, y: 14, size: 13, weight: "bold")]
        out.append("<g shape-rendering=\"crispEdges\">")
        for r in 0..<rows {
            for c in 0..<columns {
                let y = top + Double(rows - 1 - r) * cellSize
                out.append("<rect x=\"\(SVG.number(Double(c) * cellSize))\" y=\"\(SVG.number(y))\" "
                           + "width=\"\(SVG.number(cellSize))\" height=\"\(SVG.number(cellSize))\" "
                           + "fill=\"\(colour(values[r * columns + c]))\"/>")
            }
        }
        out.append("</g>")
        out.append("<rect x=\"0\" y=\"\(SVG.number(top))\" width=\"\(SVG.number(mapWidth))\" height=\"\(SVG.number(mapHeight))\" "
                   + "fill=\"none\" stroke=\"#666\"/>")
        var width = max(mapWidth, 8 * Double(title.count))
        if colourBar {
            let (barX, barWidth, steps) = (mapWidth + 14, 14.0, 64)
            out.append("<g shape-rendering=\"crispEdges\">")
            for k in 0..<steps {
                let value = range.lowerBound + (range.upperBound - range.lowerBound) * (Double(k) + 0.5) / Double(steps)
                let y = top + mapHeight * (1 - Double(k + 1) / Double(steps))
                out.append("<rect x=\"\(SVG.number(barX))\" y=\"\(SVG.number(y))\" width=\"\(SVG.number(barWidth))\" "
                           + "height=\"\(SVG.number(mapHeight / Double(steps) + 0.5))\" fill=\"\(colour(value))\"/>")
            }
            out.append("</g>")
            let axis = PlotAxis.linear(from: range.lowerBound, to: range.upperBound, count: 4)
            for (tick, label) in zip(axis.ticks, axis.labels) where range.contains(tick) {
                let y = top + mapHeight * (1 - (tick - range.lowerBound) / (range.upperBound - range.lowerBound))
                out.append(SVG.line(barX + barWidth, y, barX + barWidth + 4, y, stroke: "#555"))
                out.append(SVG.text(label, x: barX + barWidth + 7, y: y + 4, size: 11, fill: "#555"))
            }
            width = max(width, barX + barWidth + 48)
        }
        return SVGElement(width: width, height: top + mapHeight, content: out.joined(separator: "\n"))
    }
}
