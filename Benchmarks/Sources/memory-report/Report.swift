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

    /// The strategies the planner ran, in the planner's order where known.
    var strategies: [String] {
        let known = ["greedyBySize", "greedyByBreadth", "firstFitByStart", "noReuse"]
        let present = Set(models.flatMap { $0.memory.arenaByStrategy.keys })
        return known.filter(present.contains) + present.subtracting(known).sorted()
    }

    var memoryTable: Table {
        (["model", "lower bound"] + strategies.map { "arena: \($0)" } + ["kept", "eager (simulated)", "naive (sum of buffers)",
          "inputs", "gradients", "outside arena"],
         models.map { r in
             let b = r.memory.bytes
             return [r.label, f(b.lowerBound)] + strategies.map { r.memory.arenaByStrategy[$0].map(f) ?? "—" }
                 + [r.memory.strategy, f(b.eager), f(b.naive), f(b.inputs), f(b.gradients),
                    b.outsideArena > 0 ? f(b.outsideArena) + " (Cholesky factor)" : "—"]
         })
    }

    var residentTable: Table {
        (["model", "workspace", "baseline workspace", "workspace / baseline", "peak RSS, planned run", "arena + outside arena",
          "baseline arena", "eager (simulated)", "peak RSS, eager run"],
         models.map { r in
             let planned = r.memory.bytes.planned + r.memory.bytes.outsideArena
             return [r.label, r.workspaceBytes.map(f) ?? "n/a", r.baseline?.workspaceBytes.map(f) ?? "n/a",
                     ratio(r.workspaceBytes.map(Double.init), r.baseline?.workspaceBytes.map(Double.init)),
                     r.peakResidentBytes.map(f) ?? "n/a", f(planned), r.baseline.map { f($0.arenaBytes) } ?? "n/a",
                     f(r.memory.bytes.eager + r.memory.bytes.outsideArena), r.peakResidentEagerBytes.map(f) ?? "n/a"]
         })
    }

    var timeTable: Table {
        (["model", "build (trace, plan, analysis)", "fwd+bwd median", "min", "baseline median", "time / baseline", "runs each",
          "eager run"],
         models.map { r in
             [r.label, s(r.time.buildSeconds), s(r.time.medianSeconds), s(r.time.minSeconds),
              r.baseline.map { s($0.medianSeconds) } ?? "n/a", ratio(r.time.medianSeconds, r.baseline?.medianSeconds),
              "\(r.time.runs)", s(r.time.eagerSeconds)]
         })
    }

    var checksumTable: Table {
        (["model", "gradient", "sum", "sum of |g|", "Σ g[k]·((k mod 7)+1)"],
         models.flatMap { r in
             r.checksums.keys.sorted { ($0 == "loss" ? "" : $0) < ($1 == "loss" ? "" : $1) }.map { name in
                 let c = r.checksums[name]!
                 return [r.label, name, e(c.sum), e(c.abs), e(c.weighted)]
             }
         })
    }

    /// Every configuration of every peer beside this library and its baseline.
    var peerTable: Table? {
        guard let peers else { return nil }
        var rows: [[String]] = []
        for r in models {
            rows.append([r.label, "this library", "planned", s(r.time.medianSeconds), s(r.time.buildSeconds) + " (build)",
                         r.workspaceBytes.map(f) ?? "n/a", r.peakResidentBytes.map(f) ?? "n/a", "—", ""])
            if let b = r.baseline {
                rows.append([r.label, "this library", "baseline (optimizeMemory: false)", s(b.medianSeconds),
                             s(b.buildSeconds) + " (build)", b.workspaceBytes.map(f) ?? "n/a", b.peakResidentBytes.map(f) ?? "n/a",
                             b.worstChecksumDifference.map { String(format: "%.1e", $0) } ?? "—", ""])
            }
            for peer in peers.peers {
                guard peer.models != nil else {
                    rows.append([r.label, peer.implementation, "—", "—", "—", "—", "—", "—", "failed: \(peer.error ?? "unknown")"])
                    continue
                }
                for m in peers.configurations(of: peer, model: r.model, variant: r.variant) {
                    guard m.supported else {
                        rows.append([r.label, peer.implementation, m.configurationName, "—", "—", "—", "—", "—",
                                     "cannot run: \(m.reason ?? "")"])
                        continue
                    }
                    let difference = m.checksums.flatMap { Peers.worstRelativeDifference(r.checksums, $0) }
                    var notes = [String]()
                    if m.iterative == true { notes.append("iterative") }
                    if let residual = m.relativeResidual { notes.append(String(format: "residual ‖Ax − b‖/‖b‖ = %.1e", residual)) }
                    if let note = m.note { notes.append(note) }
                    rows.append([r.label, peer.implementation, m.configurationName, m.time?.medianSeconds.map(s) ?? "—",
                                 m.time?.buildSeconds.map(s) ?? "—", m.workspaceBytes.map(f) ?? "—", m.peakResidentBytes.map(f) ?? "—",
                                 difference.map { String(format: "%.1e", $0) } ?? "—", notes.joined(separator: "; ")])
                }
            }
        }
        return (["model", "implementation", "configuration", "fwd+bwd median", "first call (compile)", "workspace", "peak RSS",
                 "worst checksum difference vs this library (relative to Σ|g|)", "notes"], rows)
    }

    /// This library, its baseline and the best configuration of each peer, per
    /// model: `value` picks workspace or time from each.
    func bestTable(_ title: String, ours: (ModelResult) -> String, baseline: (ModelResult.Baseline) -> String,
                   peer: (Peers, Peers.Peer, ModelResult) -> String) -> Table {
        let names = peers?.peers.map(\.implementation) ?? []
        return (["model", "this library", "baseline"] + names.map { "best \($0)" },
                models.map { r in
                    [r.label, ours(r), r.baseline.map(baseline) ?? "n/a"] + (peers.map { p in p.peers.map { peer(p, $0, r) } } ?? [])
                })
    }

    var bestWorkspaceTable: Table {
        bestTable("workspace", ours: { $0.workspaceBytes.map(self.f) ?? "n/a" }, baseline: { $0.workspaceBytes.map(self.f) ?? "n/a" }) {
            peers, peer, r in
            guard let m = peers.best(of: peer, model: r.model, variant: r.variant).workspace else { return self.missing(peers, peer, r) }
            return "\(self.f(m.workspaceBytes!)) (\(m.configurationName))"
        }
    }

    var bestTimeTable: Table {
        bestTable("time", ours: { self.s($0.time.medianSeconds) }, baseline: { self.s($0.medianSeconds) }) { peers, peer, r in
            guard let m = peers.best(of: peer, model: r.model, variant: r.variant).time else { return self.missing(peers, peer, r) }
            return "\(self.s(m.time!.medianSeconds!)) (\(m.configurationName))"
        }
    }

    /// Why a peer has no figure for a model: it failed, cannot run it, or did not run it.
    func missing(_ peers: Peers, _ peer: Peers.Peer, _ r: ModelResult) -> String {
        if peer.models == nil { return "failed" }
        return peers.configurations(of: peer, model: r.model, variant: r.variant).isEmpty ? "not run" : "cannot run"
    }

    // MARK: Formatting

    func f(_ bytes: Int) -> String { MemoryReport.format(bytes) }
    func s(_ seconds: Double) -> String { seconds >= 1 ? String(format: "%.2f s", seconds) : String(format: "%.1f ms", seconds * 1e3) }
    func e(_ value: Double) -> String { String(format: "%.12e", value) }
    func ratio(_ a: Double?, _ b: Double?) -> String {
        guard let a, let b, b > 0 else { return "n/a" }
        return String(format: "%.2f", a / b)
    }

    var machineLine: String {
        String(format: "%@, %d cores, %@ memory; copy bandwidth (memcpy, one thread, read + write) %.1f GB/s; %@",
               machine.cpu, machine.cores, f(machine.memoryBytes), machine.copyBandwidthOneThread / 1e9, machine.date)
    }
}
