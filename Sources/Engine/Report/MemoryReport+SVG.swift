import Foundation

/// The frame both step charts share: steps along x (step s covers [s, s + 1),
/// so the forward/backward boundary is the left edge of the first backward
/// step), bytes along y, round ticks on both axes.
struct StepChartFrame {
    let width: Int, height: Int
    let left = 78.0, top = 44.0, right = 24.0
    /// Room under the plot for the x axis and two lines of legend.
    let bottom = 40.0 + 2 * 18
    let steps: Int
    let yAxis: ChartAxis
    var plotWidth: Double { Double(width) - left - right }
    var plotHeight: Double { Double(height) - top - bottom }

    func x(_ step: Int) -> Double { left + plotWidth * Double(step) / Double(max(steps, 1)) }
    func y(_ bytes: Int) -> Double { top + plotHeight * (1 - Double(bytes) / yAxis.top) }
    func f(_ v: Double) -> String { String(format: "%.1f", v) }

    /// The opening tag, title, grid, ticks, axis labels and the forward/backward boundary.
    func open(title: String, tooltip: String, forwardSteps: Int, yLabel: String) -> [String] {
        var out = svgOpening(width: width, height: height, tooltip: tooltip, heading: title, headingSize: 13, headingX: 8, headingY: 18)
        for (tick, label) in zip(yAxis.ticks, yAxis.labels) {
            let ty = y(Int(tick))
            out.append("<line x1=\"\(f(left))\" y1=\"\(f(ty))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(ty))\" stroke=\"#eee\"/>")
            out.append("<text x=\"\(f(left - 6))\" y=\"\(f(ty + 4))\" text-anchor=\"end\">\(label)</text>")
        }
        let xAxis = ChartAxis.counts(upTo: steps)
        let base = top + plotHeight
        for (tick, label) in zip(xAxis.ticks, xAxis.labels) where Int(tick) <= steps {
            let tx = x(Int(tick))
            out.append("<line x1=\"\(f(tx))\" y1=\"\(f(base))\" x2=\"\(f(tx))\" y2=\"\(f(base + 4))\" stroke=\"#333\"/>")
            out.append("<text x=\"\(f(tx))\" y=\"\(f(base + 15))\" text-anchor=\"middle\">\(label)</text>")
        }
        out.append("<line x1=\"\(f(left))\" y1=\"\(f(base))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(base))\" stroke=\"#333\"/>")
        out.append("<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(base))\" stroke=\"#333\"/>")
        out.append("<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(base + 30))\" text-anchor=\"middle\">"
                   + "step of the schedule (\(steps) in all)</text>")
        out.append("<text x=\"14\" y=\"\(f(top + plotHeight / 2))\" text-anchor=\"middle\" "
                   + "transform=\"rotate(-90 14 \(f(top + plotHeight / 2)))\">\(yLabel)</text>")
        if forwardSteps > 0 && forwardSteps < steps {
            let bx = x(forwardSteps)
            out.append("<line x1=\"\(f(bx))\" y1=\"\(f(top))\" x2=\"\(f(bx))\" y2=\"\(f(base))\" "
                       + "stroke=\"#555\" stroke-dasharray=\"4 3\"/>")
            out.append("<text x=\"\(f(bx - 4))\" y=\"\(f(top - 6))\" text-anchor=\"end\" fill=\"#555\">← forward</text>")
            out.append("<text x=\"\(f(bx + 4))\" y=\"\(f(top - 6))\" fill=\"#555\">backward →</text>")
        }
        return out
    }

    /// One legend entry: a short line (dashed as given), a swatch, or (no colour) a note.
    struct LegendItem {
        var label: String
        var color: String?
        var dash: String? = nil
        var swatch = false
    }

    /// The legend under the x axis, entries laid out left to right and wrapped
    /// (text width estimated at 6.2 px a character).
    func legend(_ items: [LegendItem]) -> [String] {
        var out = [String](), lx = left, ly = top + plotHeight + 48
        for item in items {
            let itemWidth = (item.color == nil ? 0 : 24) + 6.2 * Double(item.label.count) + 18
            if lx + itemWidth > Double(width) - right && lx > left { lx = left; ly += 18 }
            if let color = item.color {
                out.append(item.swatch
                    ? "<rect x=\"\(f(lx))\" y=\"\(f(ly - 9))\" width=\"18\" height=\"10\" fill=\"\(color)\" fill-opacity=\"0.75\"/>"
                    : "<line x1=\"\(f(lx))\" y1=\"\(f(ly - 4))\" x2=\"\(f(lx + 18))\" y2=\"\(f(ly - 4))\" stroke=\"\(color)\" "
                        + "stroke-width=\"2.5\"" + (item.dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>")
            }
            let tx = lx + (item.color == nil ? 0 : 24)
            out.append("<text x=\"\(f(tx))\" y=\"\(f(ly))\"" + (item.color == nil ? " fill=\"#555\"" : "") + ">"
                       + "\(MemoryReport.escape(item.label))</text>")
            lx += itemWidth
        }
        return out
    }
}

extension MemoryReport {
    /// The memory timeline as an SVG image: the bytes live at each step (whose
    /// peak is the lower bound) and the top of the eager allocator's heap, as a
    /// step function each, distinguished by colour and dashes, with the planned
    /// arena's size as a dotted level; round ticks on both axes and the
    /// forward/backward boundary marked. What the arena holds at each step is the
    /// placement chart's (``placementSVG(title:width:height:)``). The naive total
    /// (every buffer its own memory) is not drawn, so that it does not set the
    /// scale: the legend gives its size.
    public func svg(title: String? = nil, width: Int = 1000, height: Int = 360) -> String {
        let series: [(String, String, String?, [Int])] = [
            ("live bytes (peak = lower bound)", "#31a354", nil, timeline.live),
            ("eager allocator's top", "#e6550d", "7 4", timeline.eager),
        ]
        let maximum = max(series.flatMap(\.3).max() ?? 1, bytes.planned, 1)
        let frame = StepChartFrame(width: width, height: height, steps: max(timeline.live.count, 1), yAxis: .bytes(upTo: maximum))
        var out = frame.open(title: title ?? name, tooltip: "\(name): memory over the schedule",
                             forwardSteps: forwardSteps, yLabel: "bytes")
        var legend = [StepChartFrame.LegendItem]()
        for (label, color, dash, values) in series {
            var points = [String]()
            for (s, v) in values.enumerated() {
                points.append("\(frame.f(frame.x(s))),\(frame.f(frame.y(v)))")
                points.append("\(frame.f(frame.x(s + 1))),\(frame.f(frame.y(v)))")
            }
            out.append("<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"" + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")
                       + " points=\"\(points.joined(separator: " "))\"/>")
            legend.append(.init(label: "\(label): \(Self.format(values.max() ?? 0))", color: color, dash: dash))
        }
        let arenaY = frame.y(bytes.planned)
        out.append("<line x1=\"\(frame.f(frame.left))\" y1=\"\(frame.f(arenaY))\" x2=\"\(frame.f(frame.left + frame.plotWidth))\" "
                   + "y2=\"\(frame.f(arenaY))\" stroke=\"#3182bd\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/>")
        legend.append(.init(label: "planned arena: \(Self.format(bytes.planned))", color: "#3182bd", dash: "2 3"))
        legend.append(.init(label: "naive (no reuse): \(Self.format(bytes.naive)), off this chart", color: nil))
        out += frame.legend(legend)
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// The placement chart as an SVG image: every buffer of the plan as a
    /// rectangle, its offset in the arena (y) over the steps it is live (x),
    /// coloured by what it holds; the arena size is the top of the axis.
    /// Rectangles overlap at the step where a buffer takes another over in place.
    public func placementSVG(title: String? = nil, width: Int = 1000, height: Int = 420) -> String {
        let frame = StepChartFrame(width: width, height: height, steps: max(steps, 1),
                                   yAxis: .bytes(upTo: max(bytes.planned, 1)))
        var out = frame.open(title: title ?? name, tooltip: "\(name): buffers placed in the arena",
                             forwardSteps: forwardSteps, yLabel: "offset in the arena")
        let colors: [(Placement.Kind, String, String)] = [
            (.input, "#969696", "input"), (.gradient, "#756bb1", "returned gradient"), (.pinned, "#bcbddc", "other pinned (output, constants)"),
            (.forward, "#3182bd", "forward value"), (.backward, "#e6550d", "backward value"),
        ]
        let color = Dictionary(uniqueKeysWithValues: colors.map { ($0.0, $0.1) })
        for p in placements {
            let x0 = frame.x(p.firstStep), x1 = frame.x(p.lastStep + 1)
            let y0 = frame.y(p.offset + p.size), y1 = frame.y(p.offset)
            out.append("<rect x=\"\(frame.f(x0))\" y=\"\(frame.f(y0))\" width=\"\(frame.f(max(x1 - x0, 0.5)))\" "
                       + "height=\"\(frame.f(max(y1 - y0, 0.5)))\" fill=\"\(color[p.kind]!)\" fill-opacity=\"0.75\" "
                       + "stroke=\"white\" stroke-width=\"0.3\"><title>\(p.kind.rawValue), \(Self.format(p.size)) at offset "
                       + "\(Self.format(p.offset)), steps \(p.firstStep)–\(p.lastStep)</title></rect>")
        }
        let arenaY = frame.y(bytes.planned)
        out.append("<line x1=\"\(frame.f(frame.left))\" y1=\"\(frame.f(arenaY))\" x2=\"\(frame.f(frame.left + frame.plotWidth))\" "
                   + "y2=\"\(frame.f(arenaY))\" stroke=\"#111\" stroke-dasharray=\"2 2\"/>")
        let present = Set(placements.map(\.kind))
        out += frame.legend(colors.filter { present.contains($0.0) }.map { .init(label: $0.2, color: $0.1, swatch: true) }
            + [.init(label: "arena \(Self.format(bytes.planned))", color: "#111", dash: "2 2"),
               .init(label: "(darker where a buffer takes another over in place)", color: nil)])
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// The arena each placement strategy reached, beside the lower bound, the
    /// eager allocator and the naive total, as bars (the kept strategy in bold).
    public func strategyChart(title: String) -> BarChart {
        var bars = [BarChart.Bar(label: "lower bound", value: Double(bytes.lowerBound), color: "#31a354")]
        bars += arenaByStrategy.sorted { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) }.map {
            BarChart.Bar(label: $0.key == strategy ? "\($0.key) (kept)" : $0.key, value: Double($0.value), color: "#3182bd",
                         emphasized: $0.key == strategy)
        }
        bars.append(.init(label: "eager (first fit)", value: Double(bytes.eager), color: "#e6550d"))
        bars.append(.init(label: "naive (sum of all buffers)", value: Double(bytes.naive), color: "#9e9e9e"))
        return BarChart(title: title, quantity: .bytes, bars: bars)
    }

    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
