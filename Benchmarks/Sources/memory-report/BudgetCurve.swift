import Engine
import Foundation

/// A model's memory–time curve from its budget sweep: one point per program
/// built under a memory budget (x: workspace bytes, or arena bytes when a point
/// has no workspace figure; y: median seconds of a forward and backward pass),
/// joined in order of memory and labelled with the policy and the budget
/// (points that coincide share one label; labels are placed clear of each
/// other and of the markers, `labelPlacements`). Both axes have round ticks
/// (`ChartAxis`). O(points²) to draw.
struct BudgetCurve {
    var title: String
    /// A second, lighter line under the title (what the model is).
    var subtitle: String = ""
    var points: [ModelResult.BudgetPoint]

    /// What the x axis measures: workspace when every point has it, else arena.
    var usesWorkspace: Bool { points.allSatisfy { $0.workspaceBytes != nil } }

    func memory(_ p: ModelResult.BudgetPoint) -> Int { usesWorkspace ? p.workspaceBytes! : p.arenaBytes }

    func svg(width: Int = 620, height: Int = 320) -> String {
        let (left, right, top, bottom) = (78.0, 24.0, subtitle.isEmpty ? 30.0 : 44.0, 46.0)
        let plotWidth = Double(width) - left - right, plotHeight = Double(height) - top - bottom
        let xAxis = ChartAxis.bytes(upTo: points.map(memory).max() ?? 1, count: 5)
        let yAxis = ChartAxis.seconds(upTo: points.map(\.medianSeconds).max() ?? 1, count: 4)
        func x(_ bytes: Int) -> Double { left + plotWidth * Double(bytes) / xAxis.top }
        func y(_ seconds: Double) -> Double { top + plotHeight * (1 - seconds / yAxis.top) }
        func n(_ v: Double) -> String { String(format: "%.1f", v) }
        let e = MemoryReport.escape
        var out = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" "
                   + "font-family=\"sans-serif\" font-size=\"11\"><title>\(e(title))</title>",
                   "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
                   "<text x=\"4\" y=\"16\" font-size=\"12\" font-weight=\"bold\">\(e(title))</text>"]
        if !subtitle.isEmpty { out.append("<text x=\"4\" y=\"31\" fill=\"#555\">\(e(subtitle))</text>") }
        let plotBottom = top + plotHeight
        for (tick, label) in zip(xAxis.ticks, xAxis.labels) {
            out.append("<line x1=\"\(n(x(Int(tick))))\" y1=\"\(n(top))\" x2=\"\(n(x(Int(tick))))\" y2=\"\(n(plotBottom))\" stroke=\"#e4e4e4\"/>"
                       + "<text x=\"\(n(x(Int(tick))))\" y=\"\(n(plotBottom + 14))\" text-anchor=\"middle\" fill=\"#555\">\(label)</text>")
        }
        for (tick, label) in zip(yAxis.ticks, yAxis.labels) {
            out.append("<line x1=\"\(n(left))\" y1=\"\(n(y(tick)))\" x2=\"\(n(left + plotWidth))\" y2=\"\(n(y(tick)))\" stroke=\"#e4e4e4\"/>"
                       + "<text x=\"\(n(left - 6))\" y=\"\(n(y(tick) + 4))\" text-anchor=\"end\" fill=\"#555\">\(label)</text>")
        }
        out.append("<text x=\"\(n(left + plotWidth / 2))\" y=\"\(n(Double(height) - 8))\" text-anchor=\"middle\">"
                   + (usesWorkspace ? "workspace" : "arena") + " (bytes)</text>")
        out.append("<text transform=\"translate(14 \(n(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">"
                   + "fwd+bwd median</text>")
        let ordered = points.sorted { memory($0) < memory($1) }
        let path = ordered.map { "\(n(x(memory($0)))),\(n(y($0.medianSeconds)))" }.joined(separator: " ")
        out.append("<polyline points=\"\(path)\" fill=\"none\" stroke=\"#08519c\" stroke-width=\"1.5\"/>")
        let markers = ordered.map { Marker(text: Self.label($0), arenaBytes: $0.arenaBytes, x: x(memory($0)), y: y($0.medianSeconds)) }
        for (p, marker) in zip(ordered, markers) {
            out.append("<circle cx=\"\(n(marker.x))\" cy=\"\(n(marker.y))\" r=\"4\" fill=\"#08519c\"><title>\(e(marker.text)): "
                       + "\(MemoryReport.format(memory(p))), \(String(format: "%.3f s", p.medianSeconds))</title></circle>")
        }
        let bounds = Box(x0: left, y0: top, x1: left + plotWidth, y1: plotBottom)
        for placed in Self.labelPlacements(markers, in: bounds) {
            out.append("<text x=\"\(n(placed.x))\" y=\"\(n(placed.y))\" text-anchor=\"\(placed.anchor)\" "
                       + "fill=\"#333\">\(e(placed.text))</text>")
        }
        out.append("</svg>")
        return out.joined(separator: "\n")
    }
}

extension BudgetCurve {
    static func label(_ p: ModelResult.BudgetPoint) -> String {
        p.budgetBytes.map { "budget \(MemoryReport.format($0))" } ?? p.policy
    }

    /// A point of the curve as drawn: its label, its plan's arena, its place.
    struct Marker {
        var text: String
        var arenaBytes: Int
        var x: Double
        var y: Double
    }

    struct PlacedLabel {
        var text: String
        var x: Double
        var y: Double
        var anchor: String
        /// The box the text covers (about 6.1 px a character at 11 px, 9 px above the baseline and 3 below).
        var box: Box {
            let width = 6.1 * Double(text.count)
            let x0 = anchor == "end" ? x - width : x
            return Box(x0: x0, y0: y - 9, x1: x0 + width, y1: y + 3)
        }
    }

    struct Box {
        var x0, y0, x1, y1: Double
        func overlap(_ b: Box) -> Double { max(0, min(x1, b.x1) - max(x0, b.x0)) * max(0, min(y1, b.y1) - max(y0, b.y0)) }
    }

    /// Markers within 12 px of a group's first (points a reader cannot tell
    /// apart) share one label: their policies in order, joined by " = " where
    /// the plans have one arena ("save everything = automatic") and by ", "
    /// where they differ, a repeated text once. Each label goes to the first of
    /// eight places around its group (right above, right below, left above,
    /// left below, then twice as far) where it stays inside `bounds` and covers
    /// no other label, no marker and no stretch of the curve through
    /// `markers` (in their order); failing that, to the place that overlaps
    /// least. O(markers² + labels · curve length).
    static func labelPlacements(_ markers: [Marker], in bounds: Box) -> [PlacedLabel] {
        var groups: [(text: String, last: Marker, first: Marker)] = []
        for m in markers {
            if let k = groups.firstIndex(where: { hypot($0.first.x - m.x, $0.first.y - m.y) < 12 }) {
                let seen = groups[k].text.components(separatedBy: " = ").flatMap { $0.components(separatedBy: ", ") }
                if !seen.contains(m.text) {
                    groups[k].text += (m.arenaBytes == groups[k].last.arenaBytes ? " = " : ", ") + m.text
                }
                groups[k].last = m
            } else {
                groups.append((m.text, m, m))
            }
        }
        var obstacles = markers.map { Box(x0: $0.x - 5, y0: $0.y - 5, x1: $0.x + 5, y1: $0.y + 5) }
        for (a, b) in zip(markers, markers.dropFirst()) {
            let steps = max(1, Int(hypot(b.x - a.x, b.y - a.y) / 3))
            for k in 0...steps {
                let t = Double(k) / Double(steps)
                let (x, y) = (a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)
                obstacles.append(Box(x0: x - 1, y0: y - 1, x1: x + 1, y1: y + 1))
            }
        }
        let offsets: [(dx: Double, dy: Double, anchor: String)] = [
            (7, -8, "start"), (7, 16, "start"), (-7, -8, "end"), (-7, 16, "end"),
            (7, -22, "start"), (7, 30, "start"), (-7, -22, "end"), (-7, 30, "end"),
        ]
        var placed: [PlacedLabel] = []
        for group in groups {
            var best: (label: PlacedLabel, cost: Double)?
            for o in offsets {
                let label = PlacedLabel(text: group.text, x: group.first.x + o.dx, y: group.first.y + o.dy, anchor: o.anchor)
                let b = label.box
                let outside = max(0, bounds.x0 - b.x0) + max(0, b.x1 - bounds.x1) + max(0, bounds.y0 - b.y0)
                    + max(0, b.y1 - bounds.y1)
                let cost = 100 * outside + placed.map { b.overlap($0.box) }.reduce(0, +)
                    + obstacles.map { b.overlap($0) }.reduce(0, +)
                if best == nil || cost < best!.cost { best = (label, cost) }
                if cost == 0 { break }
            }
            placed.append(best!.label)
        }
        return placed
    }
}

extension Report {
    /// One `<figure>` with its memory–time curve per model that has a budget
    /// sweep (none when no model has one): for the HTML page.
    func budgetCurveFigures() -> [String] {
        models.compactMap { r in
            guard let sweep = r.budgetSweep, !sweep.isEmpty else { return nil }
            let curve = BudgetCurve(title: "\(r.label): memory–time under a budget", subtitle: r.summary, points: sweep)
            return "<figure>\(curve.svg())</figure>"
        }
    }
}
