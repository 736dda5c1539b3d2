// package-benchmark suite for the engine: forward plus backward of the four
// reference models (small sizes) in their planned arena, tracking wall clock and
// malloc counts. A planned run reuses its arena and its result storage, so its
// malloc count is what the engine itself allocates per run (0 for W1–W3; W4's
// come from CHOLMOD's numeric factorization).
//
//   swift package --disable-sandbox benchmark --target EngineModels
import Benchmark
import Engine
import ReferenceModels

/// A compiled model with its inputs and reusable result, built on first use.
/// The result is a stored (not lazy) property so that a run writes into it in
/// place: a lazy property's inout access would copy it.
private final class Compiled {
    let model: ReferenceModel
    private(set) var program: Program?
    private(set) var result: ProgramResult?

    init(_ model: ReferenceModel) { self.model = model }

    /// Builds the program (trace, plan, analysis) unless it is built.
    func prepare() throws {
        guard program == nil else { return }
        let built = try model.program(memory: .planned)
        program = built
        result = built.makeResult()
    }

    func run() throws { try program!.run(model.inputs, into: &result!) }
}

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal],
        warmupIterations: 1,
        maxDuration: .seconds(2),
        maxIterations: 50)

    for make in ReferenceModels.all(small: true) {
        let compiled = Compiled(make())
        Benchmark("\(compiled.model.name) \(compiled.model.variant) fwd+bwd", configuration: configuration) { benchmark in
            try compiled.prepare()  // builds in the warm-up iteration, outside the measurement
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { try compiled.run() }
            benchmark.stopMeasurement()
            blackHole(compiled.result!.value.scalars[0])
        }
    }
}
