extension MemoryReport {
    /// The report as a Markdown section: one table of bytes by strategy.
    public func markdown() -> String {
        func row(_ label: String, _ bytes: Int, _ note: String) -> String {
            "| \(label) | \(Self.format(bytes)) | \(bytes) | \(note) |"
        }
        let ratio = { (b: Int) in bytes.lowerBound == 0 ? "" : String(format: "%.3f× lower bound", Double(b) / Double(bytes.lowerBound)) }
        var lines = [
            "### \(name)", "",
            "\(steps) steps (\(forwardSteps) forward, \(steps - forwardSteps) backward), \(buffers) buffers, "
                + "\(inPlaceTakeovers) in-place takeovers; planned by \(strategy).", "",
            "| strategy | size | bytes | vs lower bound |", "| --- | ---: | ---: | --- |",
            row("lower bound", bytes.lowerBound, "most bytes live at one step"),
            row("planned arena", bytes.planned, ratio(bytes.planned)),
            row("eager (first fit)", bytes.eager, ratio(bytes.eager)),
            row("naive (no reuse)", bytes.naive, ratio(bytes.naive)),
            "", "Inputs \(Self.format(bytes.inputs)), returned gradients \(Self.format(bytes.gradients))"
                + (bytes.outsideArena > 0 ? ", outside the arena (factors) \(Self.format(bytes.outsideArena))" : "") + ".",
        ]
        lines.append("")
        lines.append("Arena by strategy: " + arenaByStrategy.sorted { $0.key < $1.key }
            .map { "\($0.key) \(Self.format($0.value))" }.joined(separator: ", ") + ".")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Bytes in binary units with three significant figures.
    public static func format(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes), unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: value >= 100 ? "%.0f %@" : value >= 10 ? "%.1f %@" : "%.2f %@",
                                                 value, units[unit])
    }
}

import Foundation
