// Engine throughput, side by side in one run:
//   1. forward + backward of elementwise ops on 10^7 elements against a plain
//      copy of the same number of bytes (memory-bound ops should be within 2×);
//   2. tanh and exp per element, against a plain Swift loop over the same math;
//   3. per-op overhead of a compiled program on one-element tensors.
//
//   swift run -c release engine-bench
import BenchmarkSupport
import Engine
import Foundation

let n = 10_000_000
let repetitions = 7

func vector(_ count: Int, salt: Double) -> TensorValue {
    TensorValue((0..<count).map { 0.5 * sin(0.37 * Double($0) + salt) + 0.1 })
}

func tensor(_ shape: [Int], salt: Double) -> TensorValue {
    try! TensorValue(shape: shape, scalars: vector(Shape.count(shape), salt: salt).scalars)
}

func gigabytesPerSecond(_ bytes: Int, _ seconds: Double) -> Double { Double(bytes) / seconds / 1e9 }

// 1. Copy bandwidth: memcpy of n doubles moves 16n bytes (read + write).
let source = [Double](repeating: 1.5, count: n)
var destination = [Double](repeating: 0, count: n)
let copy = Stopwatch.sample(count: repetitions) {
    destination.withUnsafeMutableBytes { d in source.withUnsafeBytes { s in _ = memcpy(d.baseAddress!, s.baseAddress!, s.count) } }
}
let copyBandwidth = Double(16 * n) / copy.median
print("copy of \(n) doubles: median \(String(format: "%.2f", copy.median * 1e3)) ms, \(String(format: "%.1f", copyBandwidth / 1e9)) GB/s (read + write)")
print("")
print("op (n = 10^7, fwd+bwd)   median ms   min ms   bytes moved   GB/s   time / copy of same bytes")

let cases: [(String, Int, ([Tensor]) -> Tensor)] = [
    ("add", 2, { $0[0] + $0[1] }),
    ("multiply", 2, { $0[0] * $0[1] }),
    ("relu", 1, { relu($0[0]) }),
    ("scale by scalar tensor", 2, { $0[0] * $0[1] }),
    ("tanh", 1, { tanh($0[0]) }),
    ("exp", 1, { exp($0[0]) }),
]
for (name, arity, f) in cases {
    let shapes: [[Int]] = name == "scale by scalar tensor" ? [[n], []] : [[Int]](repeating: [n], count: arity)
    let program = try Program(inputShapes: shapes, gradientsFor: Array(shapes.indices), f)
    let inputs = shapes.enumerated().map { tensor($0.element, salt: Double($0.offset)) }
    let seed = vector(n, salt: 7)
    var result = program.makeResult()
    let samples = try Stopwatch.sample(count: repetitions) { try program.run(inputs, seed: seed, into: &result) }
    // Steps' traffic plus copying inputs and the seed in and the results out (each read + written).
    let copies = 16 * (shapes.reduce(0) { $0 + Shape.count($1) } + n + n + shapes.reduce(0) { $0 + Shape.count($1) })
    let bytes = program.bytesMovedPerRun + copies
    let ratio = samples.median / (Double(bytes) / copyBandwidth)
    print(name.padding(toLength: 24, withPad: " ", startingAt: 0),
          String(format: "%9.2f  %7.2f  %12d  %5.1f   %.2f×", samples.median * 1e3, samples.minimum * 1e3, bytes,
                 gigabytesPerSecond(bytes, samples.median), ratio))
}

// 2. Transcendentals per element: the engine's forward kernel against a plain loop.
print("")
print("per element (n = 10^7)     engine forward ns   plain Swift loop ns")
for (name, f, g) in [("tanh", { (t: Tensor) in tanh(t) }, { (x: Double) in Foundation.tanh(x) }),
                     ("exp", { (t: Tensor) in exp(t) }, { (x: Double) in Foundation.exp(x) })] {
    let program = try Program(inputShapes: [[n]]) { f($0[0]) }
    let x = vector(n, salt: 3)
    var result = program.makeResult()
    let engine = try Stopwatch.sample(count: repetitions) { try program.run([x], into: &result) }
    let plain = Stopwatch.sample(count: repetitions) {
        x.scalars.withUnsafeBufferPointer { xs in destination.withUnsafeMutableBufferPointer { ys in
            for k in 0..<n { ys[k] = g(xs[k]) }
        } }
    }
    print(name.padding(toLength: 26, withPad: " ", startingAt: 0),
          String(format: "%8.2f            %8.2f", engine.median / Double(n) * 1e9, plain.median / Double(n) * 1e9))
}

// 3. Per-op overhead: a chain of 1000 scalar ops, forward and backward.
let chainLength = 1000
let chain = try Program(inputShapes: [[]], gradientsFor: [0]) { v in
    var y = v[0]
    for k in 0..<chainLength { y = k % 2 == 0 ? y * 1.0001 : sin1(y) }
    return y
}
var chainResult = chain.makeResult()
let scalarInput = [TensorValue(0.3)]
let overhead = try Stopwatch.sample(count: 51, warmup: 5) { try chain.run(scalarInput, into: &chainResult) }
let steps = chain.stepCount
print("")
print("per-op overhead, one-element tensors: \(steps) steps (forward + backward) in median "
      + String(format: "%.1f µs → %.0f ns per step (min %.0f ns)", overhead.median * 1e6,
               overhead.median / Double(steps) * 1e9, overhead.minimum / Double(steps) * 1e9))

/// tanh as the second op of the chain (any cheap elementwise op would do).
func sin1(_ t: Tensor) -> Tensor { tanh(t) }
