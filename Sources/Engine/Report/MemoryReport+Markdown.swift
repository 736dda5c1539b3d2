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
                + (bytes.outsideArena > 0 ? ", outside the arena (factors) \(Self.format(bytes.outsideArena))" : "")
                + ((bytes.inGradientStorage ?? 0) > 0
                    ? ", backward buffers in gradients' storage before they are written \(Self.format(bytes.inGradientStorage!))" : "")
                + ".",
        ]
        if let choices { lines += choices.markdown() }
        return lines.joined(separator: "\n") + "\n"
    }

}

extension MemoryReport.Choices {
    /// The values the backward pass reads (kept or recomputed, with the cost of
    /// recomputing) and the lower bound before and after the memory-aware order.
    func markdown() -> [String] {
        let f = MemoryReport.format
        var lines = ["", "Policy: \(policy). Lower bound \(f(lowerBoundBeforeOrder)) as built, "
                         + "\(f(lowerBoundAfterOrder)) after the memory-aware order; arena with nothing recomputed "
                         + "\(f(arenaSavingEverything)).", ""]
        guard !values.isEmpty else { return lines + ["The backward pass reads no value of the forward pass in the arena."] }
        lines += ["| value of | shape | size | kept | recompute rule | recompute cost |", "| --- | --- | ---: | --- | --- | ---: |"]
        lines += values.map { v in
            "| \(v.op) | \(v.shape) | \(f(v.bytes)) | \(v.kind) | \(v.recomputeRule) | "
                + (v.recomputeRule == "never" ? "–" : "\(v.recomputeFlops) flops, \(f(v.recomputeBytes)) moved") + " |"
        }
        return lines
    }
}

extension MemoryReport {
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
