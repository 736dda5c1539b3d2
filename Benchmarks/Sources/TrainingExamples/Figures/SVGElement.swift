import Foundation

/// A piece of an SVG picture of a known size: its markup in its own
/// coordinates (0…width × 0…height). Pieces are set side by side or stacked
/// (`row`, `column`, each a translated group) and written out as a document
/// with a white background. Every chart of the examples is one.
public struct SVGElement: Sendable {
    public var width: Double
    public var height: Double
    /// The markup, without an enclosing `<svg>` element.
    public var content: String

    public init(width: Double, height: Double, content: String) {
        self.width = width
        self.height = height
        self.content = content
    }

    /// The pieces left to right, `gap` apart, tops aligned.
    public static func row(_ pieces: [SVGElement], gap: Double = 16) -> SVGElement {
        arranged(pieces, gap: gap, horizontal: true)
    }

    /// The pieces top to bottom, `gap` apart, left edges aligned.
    public static func column(_ pieces: [SVGElement], gap: Double = 16) -> SVGElement {
        arranged(pieces, gap: gap, horizontal: false)
    }

    private static func arranged(_ pieces: [SVGElement], gap: Double, horizontal: Bool) -> SVGElement {
        var offset = 0.0, extent = 0.0, parts: [String] = []
        for piece in pieces {
            let (tx, ty) = horizontal ? (offset, 0.0) : (0.0, offset)
            parts.append("<g transform=\"translate(\(SVG.number(tx)) \(SVG.number(ty)))\">\n\(piece.content)\n</g>")
            offset += (horizontal ? piece.width : piece.height) + gap
            extent = max(extent, horizontal ? piece.height : piece.width)
        }
        let length = max(0, offset - gap)
        return SVGElement(width: horizontal ? length : extent, height: horizontal ? extent : length,
                          content: parts.joined(separator: "\n"))
    }

    /// A standalone document with `title` (shown by browsers as a tooltip) and a
    /// margin around the piece.
    public func document(title: String, margin: Double = 8) -> String {
        let (w, h) = (SVG.number(width + 2 * margin), SVG.number(height + 2 * margin))
        return """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(w)" height="\(h)" viewBox="0 0 \(w) \(h)" \
        font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">
        <title>\(SVG.escape(title))</title>
        <rect width="100%" height="100%" fill="white"/>
        <g transform="translate(\(SVG.number(margin)) \(SVG.number(margin)))">
        \(content)
        </g>
        </svg>

        """
    }
}

/// Markup helpers shared by the charts.
public enum SVG {
    /// A coordinate with at most two decimals, without trailing zeros.
    public static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int(rounded)) }
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// Text escaped for XML content and attribute values.
    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A `<text>` element; `anchor` is start, middle or end.
    public static func text(_ string: String, x: Double, y: Double, anchor: String = "start", size: Double? = nil,
                            weight: String? = nil, fill: String = "#222", rotate: Bool = false) -> String {
        var attributes = "x=\"\(number(x))\" y=\"\(number(y))\" text-anchor=\"\(anchor)\" fill=\"\(fill)\""
        if let size { attributes += " font-size=\"\(number(size))\"" }
        if let weight { attributes += " font-weight=\"\(weight)\"" }
        if rotate { attributes += " transform=\"rotate(-90 \(number(x)) \(number(y)))\"" }
        return "<text \(attributes)>\(escape(string))</text>"
    }

    /// A straight line.
    public static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String,
                            width: Double = 1, dashed: Bool = false) -> String {
        "<line x1=\"\(number(x1))\" y1=\"\(number(y1))\" x2=\"\(number(x2))\" y2=\"\(number(y2))\" "
            + "stroke=\"\(stroke)\" stroke-width=\"\(number(width))\"\(dashed ? " stroke-dasharray=\"6 4\"" : "")/>"
    }
}
