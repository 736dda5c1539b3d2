// solve-bench: W4 (the sparse SPD solve model of the memory report:
// A = Lap + diag(exp θ), x = A⁻¹·b, loss Σ (x − t)², gradients for θ and b) on
// an m×m grid, forward and backward: the median of `--runs` timed runs (after
// one warm-up), and the numeric factorizations and solve calls per run counted
// on the program's CholmodContext. The ordering and one line of JSON on stdout.
//
//   swift run -c release solve-bench [--side M (default 1000)] [--runs R (default 5)] [--ordering amd|metis]
import BenchmarkSupport
import Engine
import Foundation
import ReferenceModels
import SparseJacobian

let usage = "usage: solve-bench [--side M (default 1000)] [--runs R (default 5)] [--ordering amd|metis (default: automatic)]"
var side = 1000, runs = 5
var ordering: CholeskyOrdering? = .automatic(expectedRuns: 1)
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--side": side = Int(arguments.popFirst() ?? "") ?? 0
    case "--runs": runs = Int(arguments.popFirst() ?? "") ?? 0
    case "--ordering":
        switch arguments.popFirst() {
        case "amd": ordering = .amd
        case "metis": ordering = .metis
        default: ordering = nil
        }
    case "--help", "-h": print(usage); exit(0)
    default: FileHandle.standardError.write(Data("\(usage)\n".utf8)); exit(2)
    }
}
guard side > 1, runs > 0, let ordering else {
    FileHandle.standardError.write(Data("\(usage)\n".utf8))
    exit(2)
}

let model = ReferenceModels.sparseSolve(side: side, ordering: ordering)
let context = CholmodContext()
let program = try Program(inputShapes: model.inputShapes, gradientsFor: model.gradientsFor, context: context,
                          model.function)
var result = program.makeResult()
try program.run(model.inputs, into: &result)  // warm-up
let (factorizations, solves) = (context.factorizationCount, context.solveCount)
let samples = try Stopwatch.sample(count: runs, warmup: 0) { try program.run(model.inputs, into: &result) }
let line: [String: Double] = [
    "side": Double(side), "runs": Double(runs), "medianSeconds": samples.median, "minimumSeconds": samples.minimum,
    "factorizationsPerRun": Double(context.factorizationCount - factorizations) / Double(runs),
    "solvesPerRun": Double(context.solveCount - solves) / Double(runs),
]
let encoder = JSONEncoder()
encoder.outputFormatting = [.sortedKeys]
print("\(ordering) " + String(decoding: try encoder.encode(line), as: UTF8.self))
