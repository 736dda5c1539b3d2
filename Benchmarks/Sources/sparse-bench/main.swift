// sparse-bench: times the SparseJacobian kernels on the 5-point Laplacian of a
// 1000×1000 grid (n = 10⁶): A·X with 16 columns through the library and through
// a direct cholmod_l_sdmult, Aᵀ·X, the SDDMM, and the Cholesky analysis,
// factorization and solve. Prints a table, or JSON with --json.
//
//   swift run -c release sparse-bench [--json] [--side N] [--repetitions R]
import Foundation

let usage = "usage: sparse-bench [--json] [--side N (default 1000)] [--repetitions R (default 15)]"

var plan = Plan()
var json = false
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--json": json = true
    case "--side": plan.side = Int(arguments.popFirst() ?? "") ?? 0
    case "--repetitions": plan.repetitions = Int(arguments.popFirst() ?? "") ?? 0
    case "--help", "-h": print(usage); exit(0)
    default: FileHandle.standardError.write(Data("\(usage)\n".utf8)); exit(2)
    }
}
guard plan.side > 1, plan.repetitions > 0 else {
    FileHandle.standardError.write(Data("\(usage)\n".utf8))
    exit(2)
}

let report = try measure(plan) { FileHandle.standardError.write(Data("… \($0)\n".utf8)) }
if json {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    print(String(decoding: try encoder.encode(report), as: UTF8.self))
} else {
    print(report.table)
}
