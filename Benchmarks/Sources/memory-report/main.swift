// The memory report: the four reference models, their memory by strategy, the
// measured peak resident memory and time of a planned and an eager run, and
// gradient checksums; written as report/results.json, REPORT.md and index.html.
//
//   swift run -c release memory-report [--output DIR] [--small]
import BenchmarkSupport
import Engine
import Foundation
import ReferenceModels

let arguments = CommandLine.arguments
let output = arguments.firstIndex(of: "--output").map { arguments[$0 + 1] } ?? "report"
let small = arguments.contains("--small")

func progress(_ message: String) {
    FileHandle.standardError.write(Data("[memory-report] \(message)\n".utf8))
}

let started = Date()
progress("measuring the machine (copy bandwidth)")
let machine = Machine.describe()
var results: [ModelResult] = []

for make in ReferenceModels.all(small: small) {
    let model = make()
    let label = "\(model.name) \(model.variant)"
    // Freed memory of earlier models goes back to the system first, so that a new
    // arena or eager buffer cannot land on pages that are already resident.
    ResidentMemory.trimHeap()
    progress("\(label): building the planned program (trace, plan, analysis)")
    var program: Program! = nil
    let build = try Stopwatch.time { program = try model.program(memory: .planned) }
    var result = program.makeResult()
    progress("\(label): first planned run (peak resident memory)")
    let plannedPeak = try ResidentMemory.peakIncrease { try program.run(model.inputs, into: &result) }
    let runs = model.isLarge ? 3 : 5
    progress("\(label): \(runs) timed planned runs")
    let times = try Stopwatch.sample(count: runs, warmup: 0) { try program.run(model.inputs, into: &result) }
    let memory = program.memoryReport(name: label)
    program = nil

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
    var checksums = ["loss": Checksum(result.value)]
    for (name, gradient) in zip(model.gradientNames, result.gradients) { checksums[name] = Checksum(gradient) }
    results.append(ModelResult(
        model: model.name, variant: model.variant, summary: model.summary, loss: result.value.scalar,
        checksums: checksums,
        time: .init(buildSeconds: build, medianSeconds: times.median, minSeconds: times.minimum, runs: runs,
                    eagerSeconds: eagerSeconds),
        peakResidentBytes: plannedPeak, peakResidentEagerBytes: eagerPeak, memory: memory))
    progress(String(format: "%@: planned %@ vs lower bound %@ (%.2f%%), run %.3f s", label,
                    MemoryReport.format(memory.bytes.planned), MemoryReport.format(memory.bytes.lowerBound),
                    100 * memory.fragmentation, times.median))
}

let peers = Peers.load(from: "\(output)/peers.json")
let report = Report(machine: machine, models: results, peers: peers, totalSeconds: Date().timeIntervalSince(started))
try report.write(to: output)
progress(String(format: "wrote %@/results.json, REPORT.md and index.html in %.0f s", output, report.totalSeconds))
