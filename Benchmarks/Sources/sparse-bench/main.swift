// sparse-bench: times the SparseJacobian kernels on the 5-point Laplacian of a
// 1000×1000 grid (n = 10⁶): A·X with 16 columns split over the worker pool
// against one direct cholmod_l_sdmult and a copy, Aᵀ·X, the SDDMM, the three
// orderings' analysis and factorization, the solve, the log-determinant's
// gradient at m = 300 and 1000, and OpenBLAS's threads against the pool.
// Prints a table (or the full report as JSON with --json) and writes
// report/sparse-bench.json (relative to the repository root) with the keys of
// issue 10: spmm, sddmm, orderings, logdetGradient.
//
//   swift run -c release sparse-bench [--json] [--side N] [--repetitions R] [--logdet-sides 300,1000]
import Foundation

let usage = "usage: sparse-bench [--json] [--side N (default 1000)] [--repetitions R (default 15)] "
    + "[--logdet-sides A,B (default 300,1000)]"

var plan = Plan()
var json = false
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--json": json = true
    case "--side": plan.side = Int(arguments.popFirst() ?? "") ?? 0
    case "--repetitions": plan.repetitions = Int(arguments.popFirst() ?? "") ?? 0
    case "--logdet-sides": plan.logdetSides = (arguments.popFirst() ?? "").split(separator: ",").compactMap { Int($0) }
    case "--help", "-h": print(usage); exit(0)
    default: FileHandle.standardError.write(Data("\(usage)\n".utf8)); exit(2)
    }
}
guard plan.side > 1, plan.repetitions > 0, plan.logdetSides.allSatisfy({ $0 > 1 }) else {
    FileHandle.standardError.write(Data("\(usage)\n".utf8))
    exit(2)
}

let report = try measure(plan) { FileHandle.standardError.write(Data("… \($0)\n".utf8)) }
let encoder = JSONEncoder()
encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
if json {
    print(String(decoding: try encoder.encode(report), as: UTF8.self))
} else {
    print(report.table)
}

// The repository root is four levels above this file (Benchmarks/Sources/sparse-bench/main.swift).
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
let directory = root.appendingPathComponent("report")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
let file = directory.appendingPathComponent("sparse-bench.json")
try encoder.encode(SparseBenchJSON(report)).write(to: file)
FileHandle.standardError.write(Data("… wrote \(file.path)\n".utf8))
