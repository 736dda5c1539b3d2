import Foundation

extension MemoryReport {
    /// The memory timeline as an SVG image: bytes over the schedule's steps, one
    /// line per strategy (naive, eager, planned) and the live bytes (whose peak is
    /// the lower bound), with the forward/backward boundary marked.
    public func svg(width: Int = 760, height: Int = 360) -> String {
        let left = 70.0, right = 210.0, top = 30.0, bottom = 40.0
        let plotWidth = Double(width) - left - right, plotHeight = Double(height) - top - bottom
        let series: [(String, String, [Int])] = [
            ("naive", "#9e9e9e", timeline.naive), ("eager", "#e6550d", timeline.eager),
            ("planned arena", "#3182bd", timeline.planned), ("live (lower bound)", "#31a354", timeline.live),
        ]
        let maxBytes = Double(max(series.flatMap(\.2).max() ?? 1, 1))
        let count = max(timeline.live.count, 1)
        func x(_ step: Int) -> Double { left + plotWidth * (count == 1 ? 0.5 : Double(step) / Double(count - 1)) }
        func y(_ bytes: Int) -> Double { top + plotHeight * (1 - Double(bytes) / maxBytes) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }

        var out = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
                   + "viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"11\">",
                   "<title>\(Self.escape(name)): memory over the schedule</title>",
                   "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
                   "<text x=\"\(f(left))\" y=\"18\" font-size=\"13\" font-weight=\"bold\">\(Self.escape(name))</text>"]
        for tick in 0...4 {
            let bytes = Int(maxBytes * Double(tick) / 4), ty = y(bytes)
            out.append("<line x1=\"\(f(left))\" y1=\"\(f(ty))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(ty))\" stroke=\"#eee\"/>")
            out.append("<text x=\"\(f(left - 6))\" y=\"\(f(ty + 4))\" text-anchor=\"end\">\(Self.format(bytes))</text>")
        }
        out.append("<line x1=\"\(f(left))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(left + plotWidth))\" "
                   + "y2=\"\(f(top + plotHeight))\" stroke=\"#333\"/>")
        out.append("<text x=\"\(f(left + plotWidth / 2))\" y=\"\(height - 8)\" text-anchor=\"middle\">step (\(steps) in all)</text>")
        if forwardSteps > 0 && forwardSteps < steps {
            let bx = (x(forwardSteps - 1) + x(forwardSteps)) / 2
            out.append("<line x1=\"\(f(bx))\" y1=\"\(f(top))\" x2=\"\(f(bx))\" y2=\"\(f(top + plotHeight))\" "
                       + "stroke=\"#555\" stroke-dasharray=\"4 3\"/>")
            out.append("<text x=\"\(f(bx - 4))\" y=\"\(f(top + 10))\" text-anchor=\"end\">forward</text>")
            out.append("<text x=\"\(f(bx + 4))\" y=\"\(f(top + 10))\">backward</text>")
        }
        for (index, (label, color, values)) in series.enumerated() {
            // A step function: each step's value holds until the next step.
            var points = [String]()
            for (s, v) in values.enumerated() {
                points.append("\(f(x(s))),\(f(y(v)))")
                if s + 1 < values.count { points.append("\(f(x(s + 1))),\(f(y(v)))") }
            }
            out.append("<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>")
            let ly = top + 14 + Double(index) * 18
            out.append("<line x1=\"\(f(left + plotWidth + 12))\" y1=\"\(f(ly - 4))\" x2=\"\(f(left + plotWidth + 30))\" "
                       + "y2=\"\(f(ly - 4))\" stroke=\"\(color)\" stroke-width=\"2\"/>")
            out.append("<text x=\"\(f(left + plotWidth + 34))\" y=\"\(f(ly))\">\(label) \(Self.format(values.max() ?? 0))</text>")
        }
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
