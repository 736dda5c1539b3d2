import Foundation
import Engine

/// The little Markdown the report's prose uses, as HTML: paragraphs (separated
/// by a blank line), list items ("- " at the start of a line), **bold** and
/// `code`. Everything else is escaped as text. O(length).
enum MiniMarkdown {
    static func html(_ markdown: String) -> String {
        var out: [String] = [], paragraph: [String] = [], items: [String] = []
        func flush() {
            if !paragraph.isEmpty { out.append("<p>" + inline(paragraph.joined(separator: " ")) + "</p>"); paragraph = [] }
            if !items.isEmpty { out.append("<ul>" + items.map { "<li>" + inline($0) + "</li>" }.joined() + "</ul>"); items = [] }
        }
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                flush()
            } else if line.hasPrefix("- ") {
                if !paragraph.isEmpty { flush() }
                items.append(String(line.dropFirst(2)))
            } else if !items.isEmpty {
                items[items.count - 1] += " " + line
            } else {
                paragraph.append(line)
            }
        }
        flush()
        return out.joined(separator: "\n")
    }

    /// **bold** and `code` within escaped text.
    static func inline(_ text: String) -> String {
        var result = "", bold = false, code = false
        var characters = Array(MemoryReport.escape(text))[...]
        while let c = characters.first {
            if c == "*", characters.dropFirst().first == "*", !code {
                result += bold ? "</strong>" : "<strong>"
                bold.toggle()
                characters = characters.dropFirst(2)
                continue
            }
            if c == "`" {
                result += code ? "</code>" : "<code>"
                code.toggle()
            } else {
                result.append(c)
            }
            characters = characters.dropFirst()
        }
        return result + (code ? "</code>" : "") + (bold ? "</strong>" : "")
    }
}
