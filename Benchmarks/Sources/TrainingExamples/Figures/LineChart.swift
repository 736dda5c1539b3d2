import Foundation

/// A line chart: one or more series of (x, y) points, horizontal reference
/// lines, round ticks on both axes (`PlotAxis`, y linear or logarithmic), axis
/// titles with units, and a legend in a band under the title, so that it never
/// covers a line. O(points) to draw.
public struct LineChart: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var colour: String
        public var dashed: Bool
        public init(name: String, points: [(x: Double, y: Double)], colour: String, dashed: Bool = false) {
            (self.name, self.points, self.colour, self.dashed) = (name, points, colour, dashed)
        }
    }

    /// A horizontal line at `y` across the plot (a target, a closed-form value).
    public struct Reference: Sendable {
        public var name: String
        public var y: Double
        public var colour: String
        public init(name: String, y: Double, colour: String) { (self.name, self.y, self.colour) = (name, y, colour) }
    }

    public var title: String
    public var xTitle: String
    public var yTitle: String
    public var series: [Series]
    public var references: [Reference] = []
    public var logarithmicY = false
    public var width = 460.0
    public var height = 300.0
    /// Rows kept for the legend at least, so that charts set side by side have
    /// their plots at one height.
    public var legendRows = 1

    public init(title: String, xTitle: String, yTitle: String, series: [Series], references: [Reference] = [],
                logarithmicY: Bool = false, width: Double = 460, height: Double = 300, legendRows: Int = 1) {
        (self.title, self.xTitle, self.yTitle, self.series, self.references) = (title, xTitle, yTitle, series, references)
        (self.logarithmicY, self.width, self.height, self.legendRows) = (logarithmicY, width, height, legendRows)
    }

    public func element() -> SVGElement {
        let xs = series.flatMap { $0.points.map(\.x) }
        let ys = series.flatMap { $0.points.map(\.y) } + references.map(\.y)
        let xAxis = PlotAxis.linear(from: xs.min() ?? 0, to: xs.max() ?? 1, count: 5)
        let yAxis = logarithmicY ? PlotAxis.logarithmic(from: ys.filter { $0 > 0 }.min() ?? 1, to: ys.max() ?? 10)
                                 : PlotAxis.linear(from: ys.min() ?? 0, to: ys.max() ?? 1, count: 5)
        let entries = series.map { ($0.name, $0.colour, $0.dashed) } + references.map { ($0.name, $0.colour, true) }
        let (left, right, bottom) = (64.0, 16.0, 44.0)
        let plotWidth = width - left - right
        // Two entries a row when the longest name fits half the width (about 6.6 px a character), else one.
        let perRow = 28 + 6.6 * Double(entries.map(\.0.count).max() ?? 0) < plotWidth / 2 ? 2 : 1
        let top = 28.0 + 18 * Double(max(legendRows, (entries.count + perRow - 1) / perRow))
        let plotHeight = height - top - bottom
        func px(_ x: Double) -> Double { left + plotWidth * xAxis.fraction(x) }
        func py(_ y: Double) -> Double { top + plotHeight * (1 - yAxis.fraction(y)) }
        var out = [SVG.text(title, x: 0, y: 14, size: 13, weight: "bold")]
        for (k, entry) in entries.enumerated() {
            let (ex, ey) = (left + Double(k % perRow) * plotWidth / 2, 32.0 + 18 * Double(k / perRow))
            out.append(SVG.line(ex, ey - 4, ex + 22, ey - 4, stroke: entry.1, width: 2, dashed: entry.2))
            out.append(SVG.text(entry.0, x: ex + 28, y: ey, fill: "#333"))
        }
        for (tick, label) in zip(xAxis.ticks, xAxis.labels) {
            out.append(SVG.line(px(tick), top, px(tick), top + plotHeight, stroke: "#e6e6e6"))
            out.append(SVG.text(label, x: px(tick), y: top + plotHeight + 15, anchor: "middle", size: 11, fill: "#555"))
        }
        for (tick, label) in zip(yAxis.ticks, yAxis.labels) {
            out.append(SVG.line(left, py(tick), left + plotWidth, py(tick), stroke: "#e6e6e6"))
            out.append(SVG.text(label, x: left - 6, y: py(tick) + 4, anchor: "end", size: 11, fill: "#555"))
        }
        out.append("<rect x=\"\(SVG.number(left))\" y=\"\(SVG.number(top))\" width=\"\(SVG.number(plotWidth))\" "
                   + "height=\"\(SVG.number(plotHeight))\" fill=\"none\" stroke=\"#999\"/>")
        out.append(SVG.text(xTitle, x: left + plotWidth / 2, y: height - 6, anchor: "middle", fill: "#333"))
        out.append(SVG.text(yTitle, x: 14, y: top + plotHeight / 2, anchor: "middle", fill: "#333", rotate: true))
        for s in series {
            let path = s.points.map { "\(SVG.number(px($0.x))),\(SVG.number(py($0.y)))" }.joined(separator: " ")
            out.append("<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(s.colour)\" stroke-width=\"2\""
                       + "\(s.dashed ? " stroke-dasharray=\"6 4\"" : "") stroke-linejoin=\"round\"/>")
        }
        // Over the series, dashed: a series that reaches its reference leaves the dashes visible on it.
        for reference in references {
            out.append(SVG.line(left, py(reference.y), left + plotWidth, py(reference.y), stroke: reference.colour,
                                width: 1.5, dashed: true))
        }
        return SVGElement(width: width, height: height, content: out.joined(separator: "\n"))
    }
}
