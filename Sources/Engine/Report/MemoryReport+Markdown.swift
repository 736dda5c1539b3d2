extension MemoryReport {
    /// The report as a Markdown section: one table of bytes, the lower bound,
    /// every placement strategy's arena (the kept one marked), the eager
    /// allocator and the naive total.
    public func markdown() -> String {
        func row(_ label: String, _ bytes: Int, _ note: String) -> String {
            "| \(label) | \(Self.format(bytes)) | \(bytes) | \(note) |"
        }
        var lines = [
            "### \(name)", "",
            "\(steps) steps (\(forwardSteps) forward, \(steps - forwardSteps) backward), \(buffers) buffers, "
                + "\(inPlaceTakeovers) in-place takeovers; planned by \(strategy).", "",
            "| what | size | bytes | note |", "| --- | ---: | ---: | --- |",
            row("lower bound", bytes.lowerBound, "most bytes live at one step"),
        ]
        lines += arenaByStrategy.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map {
            row("arena: \($0.key)", $0.value, $0.key == strategy ? "kept (the planned arena)" : "")
        }
        lines += [
            row("eager (first fit)", bytes.eager, "allocate at first write, free after last read"),
            row("naive", bytes.naive, "every buffer its own memory"),
            "", "Inputs \(Self.format(bytes.inputs)), returned gradients \(Self.format(bytes.gradients))"
                + (bytes.outsideArena > 0 ? ", outside the arena (factors) \(Self.format(bytes.outsideArena))" : "") + ".",
        ]
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
