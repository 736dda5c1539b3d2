/// The opening lines every chart of the report shares: the `<svg>` tag sized
/// `width` × `height` (a viewBox of the same size, so it scales), a tooltip
/// title, a white background and a bold heading at the top left.
func svgOpening(width: Int, height: Int, tooltip: String, heading: String, headingSize: Int, headingX: Int, headingY: Int) -> [String] {
    ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
        + "viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"11\">",
     "<title>\(MemoryReport.escape(tooltip))</title>",
     "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
     "<text x=\"\(headingX)\" y=\"\(headingY)\" font-size=\"\(headingSize)\" font-weight=\"bold\">\(MemoryReport.escape(heading))</text>"]
}
