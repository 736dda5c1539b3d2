@testable import MemoryPlanner

/// Draws a plan as ASCII: one row per `unit` bytes of the arena (offset 0 on top), one column per
/// step. A cell shows the buffer (letter by index: A, B, ...) live at that step in those bytes:
/// upper case if it fills them, lower case if it covers part; `*` for buffers sharing the bytes
/// through in-place takeovers, `#` for any other sharing (an invalid plan), `.` for free bytes.
/// The last line gives the arena and the statistics.
func picture(_ plan: Plan, unit: Int) -> String {
    let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    let chainOf = chains(plan)
    let rows = (plan.arenaSize + unit - 1) / unit
    let labelWidth = max(String(max(rows - 1, 0) * unit).count, 4)
    var lines = [String(repeating: " ", count: labelWidth + 1) + (0..<plan.stepCount).map { String($0 % 10) }.joined()]
    for row in 0..<rows {
        let low = row * unit, high = low + unit
        var line = String(repeating: " ", count: labelWidth - String(low).count) + String(low) + " "
        for step in 0..<plan.stepCount {
            let here = plan.buffers.indices.filter { b in
                let buffer = plan.buffers[b]
                let live = buffer.isPinned || (buffer.firstStep...buffer.lastStep).contains(step)
                return live && buffer.size > 0 && plan.offsets[b] < high && plan.offsets[b] + buffer.size > low
            }
            if here.isEmpty {
                line += "."
            } else if here.count == 1 {
                let b = here[0]
                let fills = plan.offsets[b] <= low && plan.offsets[b] + plan.buffers[b].size >= high
                let letter = letters[b % letters.count]
                line += fills ? String(letter) : letter.lowercased()
            } else {
                line += Set(here.map { chainOf[$0] }).count == 1 ? "*" : "#"
            }
        }
        lines.append(line)
    }
    let s = plan.statistics
    lines.append(
        "arena \(plan.arenaSize) by \(plan.strategy), lower bound \(s.lowerBound), eager \(s.eager), naive \(s.naive)")
    return lines.joined(separator: "\n")
}

/// For each buffer, the smallest index of the chain of in-place takeovers it belongs to.
func chains(_ plan: Plan) -> [Int] {
    var chain = Array(plan.buffers.indices)
    func root(_ b: Int) -> Int { chain[b] == b ? b : root(chain[b]) }
    for alias in plan.aliases {
        let (a, b) = (root(alias.buffer), root(alias.reuses))
        chain[max(a, b)] = min(a, b)
    }
    return plan.buffers.indices.map(root)
}
