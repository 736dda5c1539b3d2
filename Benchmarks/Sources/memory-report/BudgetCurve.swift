import Engine
import Foundation

/// A model's memory–time curve from its budget sweep: one point per program
/// built under a memory budget (x: workspace bytes, or arena bytes when a point
/// has no workspace figure; y: median seconds of a forward and backward pass),
/// joined in order of memory and labelled with the policy and the budget. Both
/// axes have round ticks (`ChartAxis`). O(points) to draw.
struct BudgetCurve {
    var title: String
    var points: [ModelResult.BudgetPoint]

    /// What the x axis measures: workspace when every point has it, else arena.
    var usesWorkspace: Bool { points.allSatisfy { $0.workspaceBytes != nil } }

    func memory(_ p: ModelResult.BudgetPoint) -> Int { usesWorkspace ? p.workspaceBytes! : p.arenaBytes }

    func svg(width: Int = 620, height: Int = 320) -> String {
        let (left, right, top, bottom) = (78.0, 24.0, 30.0, 46.0)
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
        for (k, p) in ordered.enumerated() {
            let (px, py) = (x(memory(p)), y(p.medianSeconds))
            let label = p.budgetBytes.map { "budget \(MemoryReport.format($0))" } ?? p.policy
            // Upper right of the point, clear of a curve that falls to the right;
            // the rightmost point's label below it, to its left.
            let last = k == ordered.count - 1
            let (dx, dy, anchor) = last ? (-4.0, 18.0, "end") : (7.0, -8.0, "start")
            out.append("<circle cx=\"\(n(px))\" cy=\"\(n(py))\" r=\"4\" fill=\"#08519c\"><title>\(e(label)): "
                       + "\(MemoryReport.format(memory(p))), \(String(format: "%.3f s", p.medianSeconds))</title></circle>")
            out.append("<text x=\"\(n(px + dx))\" y=\"\(n(min(max(py + dy, top + 10), plotBottom - 4)))\" text-anchor=\"\(anchor)\" "
                       + "fill=\"#333\">\(e(label))</text>")
        }
        out.append("</svg>")
        return out.joined(separator: "\n")
    }
}

extension Report {
    /// One `<figure>` with its memory–time curve per model that has a budget
    /// sweep (none when no model has one): for the HTML page.
    func budgetCurveFigures() -> [String] {
        models.compactMap { r in
            guard let sweep = r.budgetSweep, !sweep.isEmpty else { return nil }
            return "<figure>\(BudgetCurve(title: "\(r.label) · \(r.summary.prefix { $0 != "," }): memory–time under a budget", points: sweep).svg())</figure>"
        }
    }
}
