import Foundation

/// A horizontal bar chart as SVG: one labelled bar per row on a round axis
/// (bytes or seconds), a row without a value shown as text ("cannot run: …"),
/// and a bar far longer than the others cut by a break mark instead of
/// squeezing them (the axis then ends a little past the second-longest bar).
///
/// O(rows) to render.
public struct BarChart: Sendable {
    /// What the values measure, which decides the axis's ticks and labels.
    public enum Quantity: Sendable { case bytes, seconds }

    public struct Bar: Sendable {
        public var label: String
        /// nil: nothing to draw; `missing` says why.
        public var value: Double?
        public var missing: String
        public var color: String
        /// Drawn with a thicker outline (the row the chart is about).
        public var emphasized: Bool

        public init(label: String, value: Double?, missing: String = "cannot run", color: String = "#3182bd",
                    emphasized: Bool = false) {
            self.label = label
            self.value = value
            self.missing = missing
            self.color = color
            self.emphasized = emphasized
        }
    }

    public var title: String
    public var quantity: Quantity
    public var bars: [Bar]

    public init(title: String, quantity: Quantity, bars: [Bar]) {
        self.title = title
        self.quantity = quantity
        self.bars = bars
    }

    /// A value's label: binary units for bytes, ms or s for seconds.
    public func format(_ value: Double) -> String {
        switch quantity {
        case .bytes: MemoryReport.format(Int(value))
        case .seconds: value >= 1 ? String(format: "%.2f s", value) : String(format: value >= 0.01 ? "%.1f ms" : "%.2f ms", value * 1e3)
        }
    }

    /// The axis's maximum: the longest bar, or a little past the second longest
    /// when the longest is more than four times it (it is then drawn broken).
    public var scaleMaximum: Double {
        let values = bars.compactMap(\.value).sorted(by: >)
        guard let longest = values.first else { return 1 }
        if values.count > 1, values[1] > 0, longest > 4 * values[1] { return 1.25 * values[1] }
        return max(longest, 1e-300)
    }

    public func svg(width: Int = 540) -> String {
        let labelWidth = 200.0, valueWidth = 92.0, top = 26.0, row = 20.0, axisHeight = 26.0
        let plotWidth = Double(width) - labelWidth - valueWidth - 10
        let height = Int(top + row * Double(bars.count) + axisHeight)
        let axis = quantity == .bytes ? ChartAxis.bytes(upTo: Int(scaleMaximum.rounded(.up)), count: 4)
                                      : ChartAxis.seconds(upTo: scaleMaximum, count: 4)
        func x(_ value: Double) -> Double { labelWidth + plotWidth * min(value, axis.top) / axis.top }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        let bottom = top + row * Double(bars.count)
        var out = svgOpening(width: width, height: height, tooltip: title, heading: title, headingSize: 12, headingX: 4, headingY: 16)
        for (tick, label) in zip(axis.ticks, axis.labels) {
            out.append("<line x1=\"\(f(x(tick)))\" y1=\"\(f(top))\" x2=\"\(f(x(tick)))\" y2=\"\(f(bottom))\" stroke=\"#e4e4e4\"/>")
            out.append("<text x=\"\(f(x(tick)))\" y=\"\(f(bottom + 14))\" text-anchor=\"middle\" fill=\"#555\">\(label)</text>")
        }
        for (index, bar) in bars.enumerated() {
            let y = top + row * Double(index), middle = y + row / 2 + 4
            let weight = bar.emphasized ? " font-weight=\"bold\"" : ""
            out.append("<text x=\"\(f(labelWidth - 6))\" y=\"\(f(middle))\" text-anchor=\"end\"\(weight)>"
                       + "\(MemoryReport.escape(bar.label))</text>")
            guard let value = bar.value else {
                out.append("<text x=\"\(f(labelWidth + 4))\" y=\"\(f(middle))\" fill=\"#888\" font-style=\"italic\">"
                           + "\(MemoryReport.escape(bar.missing))</text>")
                continue
            }
            let end = x(value)
            out.append("<rect x=\"\(f(labelWidth))\" y=\"\(f(y + 3))\" width=\"\(f(max(end - labelWidth, 0.5)))\" "
                       + "height=\"\(f(row - 6))\" fill=\"\(bar.color)\"" + (bar.emphasized ? " stroke=\"#111\"" : "")
                       + "><title>\(MemoryReport.escape(bar.label)): \(format(value))</title></rect>")
            if value > axis.top {  // broken bar: two white slashes near its end
                for dx in [-14.0, -9.0] {
                    out.append("<line x1=\"\(f(end + dx - 3))\" y1=\"\(f(y + row - 2))\" x2=\"\(f(end + dx + 3))\" "
                               + "y2=\"\(f(y + 2))\" stroke=\"white\" stroke-width=\"2.5\"/>")
                }
            }
            out.append("<text x=\"\(f(end + 4))\" y=\"\(f(middle))\">\(format(value))</text>")
        }
        out.append("<line x1=\"\(f(labelWidth))\" y1=\"\(f(top))\" x2=\"\(f(labelWidth))\" y2=\"\(f(bottom))\" stroke=\"#333\"/>")
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }
}
