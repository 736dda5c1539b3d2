import Engine
import Foundation

/// The whole report and its three renderings.
struct Report: Codable {
    var machine: Machine
    var models: [ModelResult]
    var peers: Peers?
    var totalSeconds: Double

    func write(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: "\(directory)/results.json"))
        try markdown().write(toFile: "\(directory)/REPORT.md", atomically: true, encoding: .utf8)
        try html().write(toFile: "\(directory)/index.html", atomically: true, encoding: .utf8)
    }

    // MARK: Tables, shared by Markdown and HTML

    typealias Table = (header: [String], rows: [[String]])

    var memoryTable: Table {
        (["model", "lower bound", "planned", "eager", "naive", "planned / lower bound", "inputs", "gradients", "outside arena"],
         models.map { r in
             let b = r.memory.bytes
             return ["\(r.model) \(r.variant)", f(b.lowerBound), f(b.planned), f(b.eager), f(b.naive),
                     String(format: "%.4f", Double(b.planned) / Double(max(b.lowerBound, 1))), f(b.inputs), f(b.gradients),
                     b.outsideArena > 0 ? f(b.outsideArena) + " (Cholesky factor)" : "—"]
         })
    }

    var residentTable: Table {
        (["model", "arena + outside arena (planned)", "peak RSS, planned run", "RSS / (arena + outside)", "eager (simulated)",
          "peak RSS, eager run"],
         models.map { r in
             let planned = r.memory.bytes.planned + r.memory.bytes.outsideArena
             return ["\(r.model) \(r.variant)", f(planned), r.peakResidentBytes.map(f) ?? "n/a",
                     r.peakResidentBytes.map { String(format: "%.3f", Double($0) / Double(max(planned, 1))) } ?? "n/a",
                     f(r.memory.bytes.eager + r.memory.bytes.outsideArena), r.peakResidentEagerBytes.map(f) ?? "n/a"]
         })
    }

    var timeTable: Table {
        (["model", "build (trace, plan, analysis)", "fwd+bwd median", "min", "runs", "eager run"],
         models.map { r in
             ["\(r.model) \(r.variant)", s(r.time.buildSeconds), s(r.time.medianSeconds), s(r.time.minSeconds), "\(r.time.runs)",
              s(r.time.eagerSeconds)]
         })
    }

    var checksumTable: Table {
        (["model", "gradient", "sum", "sum of |g|", "Σ g[k]·((k mod 7)+1)"],
         models.flatMap { r in
             r.checksums.keys.sorted { ($0 == "loss" ? "" : $0) < ($1 == "loss" ? "" : $1) }.map { name in
                 let c = r.checksums[name]!
                 return ["\(r.model) \(r.variant)", name, e(c.sum), e(c.abs), e(c.weighted)]
             }
         })
    }

    var peerTable: Table? {
        guard let peers else { return nil }
        var rows: [[String]] = []
        for r in models {
            rows.append(["\(r.model) \(r.variant)", "this library", s(r.time.medianSeconds), r.peakResidentBytes.map(f) ?? "n/a", "—", ""])
            for peer in peers.peers {
                guard let models = peer.models else {
                    rows.append(["\(r.model) \(r.variant)", peer.implementation, "—", "—", "—", "failed: \(peer.error ?? "unknown")"])
                    continue
                }
                guard let m = models.first(where: { $0.model == r.model && $0.variant == r.variant }) else { continue }
                if !m.supported {
                    rows.append(["\(r.model) \(r.variant)", peer.implementation, "—", "—", "—", "cannot: \(m.reason ?? "")"])
                    continue
                }
                let difference = m.checksums.flatMap { Peers.worstRelativeDifference(r.checksums, $0) }
                rows.append(["\(r.model) \(r.variant)", peer.implementation, m.time?.medianSeconds.map(s) ?? "—",
                             m.peakResidentBytes.map(f) ?? "—", difference.map { String(format: "%.1e", $0) } ?? "—",
                             m.time?.buildSeconds.map { "build " + s($0) } ?? ""])
            }
        }
        return (["model", "implementation", "fwd+bwd median", "peak RSS", "worst checksum difference vs this library (relative to Σ|g|)", "notes"], rows)
    }

    // MARK: Formatting

    func f(_ bytes: Int) -> String { MemoryReport.format(bytes) }
    func s(_ seconds: Double) -> String { seconds >= 1 ? String(format: "%.2f s", seconds) : String(format: "%.1f ms", seconds * 1e3) }
    func e(_ value: Double) -> String { String(format: "%.12e", value) }

    var machineLine: String {
        String(format: "%@, %d cores, %@ memory; copy bandwidth (memcpy, one thread, read + write) %.1f GB/s; %@",
               machine.cpu, machine.cores, f(machine.memoryBytes), machine.copyBandwidthOneThread / 1e9, machine.date)
    }
}
