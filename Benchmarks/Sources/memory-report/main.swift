// The memory report: the four reference models, their memory by strategy, the
// measured workspace and time of a planned run, of its baseline (the memory
// optimizations off) and of an eager run, and
// gradient checksums; written as report/results.json, REPORT.md and index.html.
//
//   swift run -c release memory-report [--output DIR] [--small] [--only W1]
//   swift run memory-report --render-only [--output DIR]
//     (rewrites REPORT.md and index.html from DIR/results.json and DIR/peers.json
//      without measuring anything)
import BenchmarkSupport
import Engine
import Foundation
import ReferenceModels

let arguments = CommandLine.arguments
let output = arguments.firstIndex(of: "--output").map { arguments[$0 + 1] } ?? "report"
let small = arguments.contains("--small")
/// `--only W1` measures one model (for profiling); the report then holds that model alone.
let only = arguments.firstIndex(of: "--only").map { arguments[$0 + 1] }

func progress(_ message: String) {
    FileHandle.standardError.write(Data("[memory-report] \(message)\n".utf8))
}

if arguments.contains("--render-only") {
    let data = try Data(contentsOf: URL(fileURLWithPath: "\(output)/results.json"))
    var report = try JSONDecoder().decode(Report.self, from: data)
    report.peers = Peers.load(from: "\(output)/peers.json") ?? report.peers
    try report.write(to: output)
    progress("rewrote \(output)/results.json, REPORT.md and index.html from \(output)/results.json")
    exit(0)
}

let started = Date()
progress("measuring the machine (copy bandwidth)")
let machine = Machine.describe()
var results: [ModelResult] = []

/// A freshly built program and its first run, which allocates the result it
/// returns: the peak resident rise over that run, and that rise minus the bytes
/// of the returned gradients (the workspace, as the peers measure it).
struct FirstRun {
    var program: Program
    var buildSeconds: Double
    var result: ProgramResult
    var peakResidentBytes: Int?
    var workspaceBytes: Int?

    init(_ model: ReferenceModel, options: ProgramOptions, label: String) throws {
        // Freed memory of earlier programs goes back to the system first, so that a
        // new arena cannot land on pages that are already resident.
        ResidentMemory.trimHeap()
        progress("\(label): building (trace, plan, analysis)")
        var built: Program! = nil
        buildSeconds = try Stopwatch.time { built = try model.program(options: options) }
        program = built
        progress("\(label): first run (peak resident memory)")
        var first: ProgramResult! = nil
        peakResidentBytes = try ResidentMemory.peakIncrease { first = try built.run(model.inputs) }
        result = first
        let gradientBytes = first.gradients.reduce(0) { $0 + 8 * $1.scalars.count }
        workspaceBytes = peakResidentBytes.map { max(0, $0 - gradientBytes) }
    }
}

func checksums(_ result: ProgramResult, _ model: ReferenceModel) -> [String: Checksum] {
    var sums = ["loss": Checksum(result.value)]
    for (name, gradient) in zip(model.gradientNames, result.gradients) { sums[name] = Checksum(gradient) }
    return sums
}

/// The model under save everything, the default, two budgets between and
/// minimum memory: arenas, workspaces (first runs) and medians of interleaved
/// timed runs. Largest arena first.
func budgetSweep(_ model: ReferenceModel, label: String, automatic: FirstRun, runs: Int) throws -> [ModelResult.BudgetPoint] {
    let everything = try FirstRun(model, options: ProgramOptions(savePolicy: .saveEverything), label: "\(label) save everything")
    let minimum = try FirstRun(model, options: ProgramOptions(savePolicy: .minimumMemory), label: "\(label) minimum memory")
    let (most, least) = (everything.program.memoryPlan.arenaSize, minimum.program.memoryPlan.arenaSize)
    var points: [(policy: SavePolicy, run: FirstRun)] = [(.saveEverything, everything), (.automatic, automatic)]
    // Two budgets between the two arenas, one when they coincide (equal arenas, or a byte or two apart).
    let budgets = [2.0 / 3, 1.0 / 3].map { least + Int(Double(most - least) * $0) }
    for (k, budget) in budgets.enumerated() where k == 0 || budget != budgets[k - 1] {
        let policy = try SavePolicy.budget(bytes: budget)
        points.append((policy, try FirstRun(model, options: ProgramOptions(savePolicy: policy),
                                            label: "\(label) budget \(MemoryReport.format(budget))")))
    }
    points.append((.minimumMemory, minimum))
    progress("\(label): budget sweep, \(runs) interleaved timed runs of \(points.count) programs")
    var results = points.map(\.run.result)
    let samples = try Stopwatch.interleave(count: runs, warmup: 0, points.indices.map { k in
        { try points[k].run.program.run(model.inputs, into: &results[k]) }
    })
    for (k, result) in results.enumerated() where result != results[0] {
        progress("\(label): \(points[k].policy.name) changed the gradients")
        exit(1)
    }
    return zip(points, samples).map { point, times in
        ModelResult.BudgetPoint(policy: point.policy.name, budgetBytes: point.policy.budgetBytes,
                                arenaBytes: point.run.program.memoryPlan.arenaSize, workspaceBytes: point.run.workspaceBytes,
                                medianSeconds: times.median, recomputedBytes: point.run.program.memoryChoices.recomputedBytes)
    }.sorted { $0.arenaBytes > $1.arenaBytes }
}

for make in ReferenceModels.all(small: small) {
    let model = make()
    if let only, model.name != only { continue }
    let label = "\(model.name) \(model.variant)"
    // Warm-up, as the peers do theirs: one run of a program that is then
    // dropped, so that what a process sets up once (OpenBLAS's buffers,
    // CHOLMOD's workspace) is resident before any workspace is measured.
    progress("\(label): warm-up run")
    _ = try model.program(options: ProgramOptions()).run(model.inputs)
    let planned = try FirstRun(model, options: ProgramOptions(), label: "\(label) planned")
    let baseline = try FirstRun(model, options: ProgramOptions(optimizeMemory: false), label: "\(label) baseline")
    var result = planned.result, baselineResult = baseline.result
    // As many alternated runs as fit in about 8 s, 5 to 41 (timed once, which
    // also warms both programs up): the cheap models' medians need more runs
    // (W2's ratio is a few per cent from 1 on a machine whose noise is as much).
    let pair = try Stopwatch.time {
        try planned.program.run(model.inputs, into: &result)
        try baseline.program.run(model.inputs, into: &baselineResult)
    }
    let runs = min(41, max(5, Int(8 / max(pair, 1e-6))))
    progress("\(label): \(runs) timed runs each, planned and baseline alternating")
    let (times, baselineTimes) = try Stopwatch.alternate(count: runs, warmup: 0,
        { try planned.program.run(model.inputs, into: &result) },
        { try baseline.program.run(model.inputs, into: &baselineResult) })
    // More runs for the sweep: its points are compared with each other at a few per cent.
    let sweep = try budgetSweep(model, label: label, automatic: planned, runs: model.isLarge ? 7 : 9)
    result = planned.result
    let memory = planned.program.memoryReport(name: label)
    let baselineArena = baseline.program.memoryPlan.arenaSize
    let sums = checksums(result, model)
    let baselineDifference = Peers.worstRelativeDifference(sums, checksums(baselineResult, model))

    ResidentMemory.trimHeap()
    progress("\(label): one eager run (peak resident memory)")
    let eager = try model.program(memory: .eager)
    var eagerResult = eager.makeResult()
    var eagerSeconds = 0.0
    let eagerPeak = try ResidentMemory.peakIncrease {
        eagerSeconds = try Stopwatch.time { try eager.run(model.inputs, into: &eagerResult) }
    }
    guard eagerResult == result else {
        progress("\(label): planned and eager results differ")
        exit(1)
    }
    results.append(ModelResult(
        model: model.name, variant: model.variant, summary: model.summary, loss: result.value.scalar,
        checksums: sums,
        time: .init(buildSeconds: planned.buildSeconds, medianSeconds: times.median, minSeconds: times.minimum, runs: runs,
                    eagerSeconds: eagerSeconds),
        peakResidentBytes: planned.peakResidentBytes, workspaceBytes: planned.workspaceBytes,
        baseline: .init(workspaceBytes: baseline.workspaceBytes, peakResidentBytes: baseline.peakResidentBytes,
                        arenaBytes: baselineArena, buildSeconds: baseline.buildSeconds, medianSeconds: baselineTimes.median,
                        minSeconds: baselineTimes.minimum, runs: runs, worstChecksumDifference: baselineDifference),
        budgetSweep: sweep, peakResidentEagerBytes: eagerPeak, memory: memory))
    for point in sweep {
        progress(String(format: "%@: %@: arena %@, workspace %@, %.3f s", label, point.policy,
                        MemoryReport.format(point.arenaBytes), point.workspaceBytes.map(MemoryReport.format) ?? "n/a",
                        point.medianSeconds))
    }
    progress(String(format: "%@: arena %@ (lower bound %@), workspace %@ (baseline %@), run %.3f s (baseline %.3f s)", label,
                    MemoryReport.format(memory.bytes.planned), MemoryReport.format(memory.bytes.lowerBound),
                    planned.workspaceBytes.map(MemoryReport.format) ?? "n/a", baseline.workspaceBytes.map(MemoryReport.format) ?? "n/a",
                    times.median, baselineTimes.median))
}

let peers = Peers.load(from: "\(output)/peers.json")
let report = Report(machine: machine, models: results, peers: peers, totalSeconds: Date().timeIntervalSince(started))
try report.write(to: output)
progress(String(format: "wrote %@/results.json, REPORT.md and index.html in %.0f s", output, report.totalSeconds))
