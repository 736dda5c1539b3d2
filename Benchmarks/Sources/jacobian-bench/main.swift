// Sparse Jacobians of the Newton residual r(u) = L·u + u³ − f on an m × m grid
// (L the 5-point Laplacian, taken positive, as a constant sparse matrix):
//   1. the pattern composed along the graph (fresh programs, first call);
//   2. the row coloring (first call of jacobianProductCount), and the colors
//      each vertex order gives on grids and random patterns;
//   3. one vector-Jacobian product against the whole sparse Jacobian, alternated;
//   4. J checked against L + diag(3u²) entry by entry.
// Prints a summary and writes report/jacobian-bench.json (relative to the
// repository root); with --m30 it also writes report/jacobian-m30.json (u, f and
// J at m = 30) for Benchmarks/peers/jacobian_jax.py to compare with JAX.
//
//   swift run -c release jacobian-bench [--m 1000] [--repetitions 7] [--m30]
import BenchmarkSupport
import Engine
import Foundation
import SparseJacobian

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else { return fallback }
    return v
}
let m = option("--m", 1000)
let repetitions = option("--repetitions", 7)
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
let reportDirectory = root.appendingPathComponent("report")

/// The residual program and its inputs on an m × m grid.
struct Residual {
    let m: Int
    let laplacian: SparseMatrix
    let program: Program
    let u: TensorValue
    let f: TensorValue

    init(m: Int) throws {
        self.m = m
        let n = m * m
        let l = try SparseMatrix.gridLaplacian(side: m)
        laplacian = l
        program = try Program(inputShapes: [[n], [n]], gradientsFor: [0]) { v in matmul(l, v[0]) + v[0] * v[0] * v[0] - v[1] }
        u = TensorValue((0..<n).map { 1 + 0.5 * sin(0.37 * Double($0)) })
        f = TensorValue((0..<n).map { cos(0.11 * Double($0)) })
    }

    /// max |J − (L + diag(3u²))| over J's pattern, and whether J's pattern is L's.
    func check(_ j: SparseMatrix) -> (error: Double, samePattern: Bool) {
        guard j.pattern == laplacian.pattern else { return (.infinity, false) }
        var worst = 0.0
        for c in 0..<j.columns {
            for p in j.pattern.positions(ofColumn: c) {
                let r = j.pattern.rowIndices[p]
                let expected = laplacian.values[p] + (r == c ? 3 * u.scalars[r] * u.scalars[r] : 0)
                worst = max(worst, abs(j.values[p] - expected))
            }
        }
        return (worst, true)
    }
}

func format(_ seconds: Double) -> String { String(format: "%.2f ms", seconds * 1e3) }

// 1 and 2: pattern and coloring, each on fresh programs (first calls compute, later ones hit the cache).
var patternSamples = Samples(), coloringSamples = Samples()
var residual = try Residual(m: m)
for trial in 0..<3 {
    if trial > 0 { residual = try Residual(m: m) }
    let program = residual.program
    patternSamples.append(try Stopwatch.time { _ = try program.jacobianPattern(input: 0) })
    coloringSamples.append(try Stopwatch.time { _ = try program.jacobianProductCount(input: 0) })
}
let program = residual.program
let products = try program.jacobianProductCount(input: 0)
let nnz = try program.jacobianPattern(input: 0).nonzeroCount

// 3: one VJP and the whole Jacobian, alternated in one loop.
let inputs = [residual.u, residual.f]
var seed = try TensorValue(repeating: 0, shape: program.outputShape)
for k in seed.scalars.indices { seed.scalars[k] = sin(Double(k)) }
var result = program.makeResult()
try program.run(inputs, seed: seed, into: &result)
var jacobian = try program.sparseJacobian(at: inputs, input: 0)
var vjpSamples = Samples(), jacobianSamples = Samples()
for _ in 0..<repetitions {
    vjpSamples.append(try Stopwatch.time { try program.run(inputs, seed: seed, into: &result) })
    jacobianSamples.append(try Stopwatch.time { jacobian = try program.sparseJacobian(at: inputs, input: 0) })
}
let check = residual.check(jacobian)

// Colors per vertex order (the default is smallest-last), with the time each takes.
struct OrderFigure: Codable {
    let pattern: String
    let order: String
    let colors: Int
    let seconds: Double
}
var orders: [OrderFigure] = []
func compareOrders(_ name: String, _ pattern: SparsityPattern) -> [OrderFigure] {
    RowColoring.Order.allCases.map { order in
        var colors = 0
        let seconds = Stopwatch.time { colors = RowColoring(pattern: pattern, order: order).colorCount }
        return OrderFigure(pattern: name, order: order.rawValue, colors: colors, seconds: seconds)
    }
}
for side in [31, 100, m] { orders += compareOrders("grid Laplacian, m = \(side)", try SparseMatrix.gridLaplacian(side: side).pattern) }
// A 9-point stencil (the Laplacian's square has distance-2 fill).
let l100 = try SparseMatrix.gridLaplacian(side: 100)
orders += compareOrders("L², m = 100", try l100.multiplied(by: l100, context: CholmodContext()).pattern)
for seed in 1...3 {
    // 10^4 × 10^4, 3 entries per column at pseudo-random rows.
    var state = UInt64(seed) &* 0x9E3779B97F4A7C15
    var rows = [Int](), columns = [Int]()
    for j in 0..<10_000 {
        for _ in 0..<3 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            rows.append(Int((state >> 33) % 10_000)); columns.append(j)
        }
    }
    orders += compareOrders("random 10^4, 3 per column, seed \(seed)",
                  try SparsityPattern(rows: 10_000, columns: 10_000, rowIndices: rows, columnIndices: columns))
}

print("Sparse Jacobian of r(u) = L·u + u³ − f, m = \(m) (n = \(m * m)), \(nnz) nonzeros")
print("  pattern (composed along the graph): median \(format(patternSamples.median)) of \(patternSamples.seconds.count) fresh programs")
print("  row coloring (smallest-last):        median \(format(coloringSamples.median)), \(products) colors = products")
print("  one VJP (run with a seed):           median \(format(vjpSamples.median))")
print("  sparse Jacobian (\(products) VJPs + read-back): median \(format(jacobianSamples.median)), "
      + String(format: "%.2f", jacobianSamples.median / vjpSamples.median) + " × one VJP")
print("  check against L + diag(3u²): same pattern \(check.samePattern), max error \(check.error)")
print("")
print("colors by vertex order")
for figure in orders {
    print("  \(figure.pattern.padding(toLength: 40, withPad: " ", startingAt: 0)) \(figure.order.padding(toLength: 13, withPad: " ", startingAt: 0)) \(figure.colors) colors, \(format(figure.seconds))")
}

/// The issue's keys (m, products, patternSeconds, jacobianSeconds, vjpSeconds,
/// nnz), then the coloring's time, J's largest error and the order figures.
struct Report: Codable {
    let m: Int, products: Int
    let patternSeconds: Double, jacobianSeconds: Double, vjpSeconds: Double
    let nnz: Int, coloringSeconds: Double, maxError: Double
    let orders: [OrderFigure]
}
let encoder = JSONEncoder()
encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
try FileManager.default.createDirectory(at: reportDirectory, withIntermediateDirectories: true)
let report = Report(m: m, products: products, patternSeconds: patternSamples.median, jacobianSeconds: jacobianSamples.median,
                    vjpSeconds: vjpSamples.median, nnz: nnz, coloringSeconds: coloringSamples.median,
                    maxError: check.error, orders: orders)
try encoder.encode(report).write(to: reportDirectory.appendingPathComponent("jacobian-bench.json"))
print("wrote \(reportDirectory.appendingPathComponent("jacobian-bench.json").path)")

// The m = 30 Jacobian for the JAX comparison, with its inputs and timing.
if arguments.contains("--m30") {
    /// J by coordinates (row, column, value), with the inputs it was taken at.
    struct Small: Codable {
        let m: Int, products: Int, jacobianSeconds: Double
        let u: [Double], f: [Double]
        let rows: [Int], columns: [Int], values: [Double]
    }
    let small = try Residual(m: 30)
    let smallInputs = [small.u, small.f]
    var j = try small.program.sparseJacobian(at: smallInputs, input: 0)
    let seconds = try Stopwatch.sample(count: repetitions) { j = try small.program.sparseJacobian(at: smallInputs, input: 0) }
    let out = Small(m: 30, products: try small.program.jacobianProductCount(input: 0), jacobianSeconds: seconds.median,
                    u: small.u.scalars, f: small.f.scalars, rows: j.pattern.rowIndices, columns: j.pattern.columnIndices,
                    values: j.values)
    try JSONEncoder().encode(out).write(to: reportDirectory.appendingPathComponent("jacobian-m30.json"))
    print("wrote \(reportDirectory.appendingPathComponent("jacobian-m30.json").path) (sparse J at m = 30: \(format(seconds.median)))")
}
