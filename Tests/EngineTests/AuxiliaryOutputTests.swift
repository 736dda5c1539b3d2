import Foundation
@testable import Engine
import SparseJacobian
import Testing

/// Programs with auxiliary outputs: values returned beside the differentiated
/// output from the same forward pass, written straight into the result.
@Suite struct AuxiliaryOutputTests {
    /// Random elementwise programs (FusionTests' generator) returning three of
    /// their intermediate values beside the loss: the loss and gradients agree
    /// with the program without them, each auxiliary value with a program that
    /// returns it alone, with and without the memory optimizations.
    @Test func randomGraphsReturnTheirIntermediates() throws {
        var escaping = 0
        for seed in 0..<40 as Range<UInt64> {
            let shape = FusionTests.shapes[Int(seed) % FusionTests.shapes.count]
            let rowShape = shape.isEmpty ? [] : [shape[shape.count - 1]]
            let shapes = [shape, shape, [], rowShape]
            let picks = (0..<3).map { Int((seed &* 2_654_435_761 &+ UInt64($0) &* 40_503) % 7) }
            func body(_ v: [Tensor]) -> (Tensor, [Tensor]) {
                let (loss, pool) = FusionTests.randomValues(seed: seed, shape: shape, v)
                return (loss, picks.map { pool[$0 % pool.count] })
            }
            let names = ["a", "b", "c"]
            let x = FusionTests.inputs(shape: shape, salt: Int(seed))
            let plain = try Program(inputShapes: shapes, gradientsFor: [0, 1, 2, 3]) { body($0).0 }.run(x)
            // A sum inside a value may group its terms another way: to 1e-12 of Σ|value|.
            let alone = try names.indices.map { k in try Program(inputShapes: shapes) { body($0).1[k] }.value(x) }
            for options in [ProgramOptions(), ProgramOptions(optimizeMemory: false), ProgramOptions(memory: .eager),
                            ProgramOptions(savePolicy: .minimumMemory)] {
                let program = try Program(inputShapes: shapes, gradientsFor: [0, 1, 2, 3], options: options,
                                          auxiliary: names, body)
                let r = try program.run(x)
                expectClose(r.value, plain.value, "seed \(seed) value")
                for k in 0..<4 { expectClose(r.gradients[k], plain.gradients[k], "seed \(seed) gradient \(k)") }
                for (k, name) in names.enumerated() {
                    expectClose(r.auxiliary[k], alone[k], "seed \(seed) auxiliary \(name)")
                    #expect(r[auxiliary: name] == r.auxiliary[k])
                }
                try program.memoryPlan.validate()
                escaping += program.graph.nodes.filter {
                    if case let .region(region, _) = $0.kind { region.outputs.count > 1 } else { false }
                }.count
            }
        }
        #expect(escaping > 20, "auxiliary outputs left fused regions in \(escaping) programs")
    }

    /// Inputs, constants, the output itself and one value twice are copied; an
    /// op's value is written straight into the result (no copy step, not in the arena).
    @Test func everyKindOfValueCanBeReturned() throws {
        let a = try TensorValue(shape: [3, 2], scalars: [1, -2, 3, 4, -5, 6])
        let program = try Program(inputShapes: [[3, 2], [2, 2]], gradientsFor: [1],
                                  auxiliary: ["input", "product", "constant", "loss", "product again", "relu"]) { v in
            let product = matmul(v[0], v[1])
            let hidden = relu(product)
            let loss = (hidden * hidden).sum()
            return (loss, [v[0], product, v[0].constant(a), loss, product, hidden])
        }
        let w = try TensorValue(shape: [2, 2], scalars: [0.5, -1, 2, 0.25])
        let x = try TensorValue(shape: [3, 2], scalars: [0.1, 0.2, -0.3, 0.4, 0.5, -0.6])
        let r = try program.run([x, w])
        let product = try Program(inputShapes: [[3, 2], [2, 2]]) { v in matmul(v[0], v[1]) }.value([x, w])
        #expect(r[auxiliary: "input"] == x)
        #expect(r[auxiliary: "product"] == product && r[auxiliary: "product again"] == product)
        #expect(r[auxiliary: "constant"] == a)
        #expect(r[auxiliary: "loss"] == r.value)
        #expect(r[auxiliary: "relu"]?.scalars == product.scalars.map { Swift.max($0, 0) })
        #expect(r[auxiliary: "none"] == nil)
        let plain = try Program(inputShapes: [[3, 2], [2, 2]], gradientsFor: [1]) { v in
            let h = relu(matmul(v[0], v[1]))
            return (h * h).sum()
        }
        #expect(r.gradients == (try plain.run([x, w])).gradients)
        // The product is written where the result keeps it: a copy step for the
        // input, the constant, the loss and the product's second name only.
        let copies = program.schedule.steps.compactMap { $0 as? CopyStep }
        #expect(copies.count == 4, "\(copies.map(\.label))")
        let productBuffer = program.schedule.externalBuffers[.auxiliary(1)]!
        #expect(!program.schedule.buffers[productBuffer].inArena)
    }

    /// Runs into an existing result write the auxiliary outputs into its storage
    /// (the same storage run after run); forward-only and caller-storage runs work too.
    @Test func auxiliaryOutputsLandInTheResultsStorage() throws {
        let program = try Program(inputShapes: [[1000]], gradientsFor: [0], auxiliary: ["y"]) { v in
            let y = tanh(v[0] * 2)
            return ((y * y).sum(), [y])
        }
        let x = testInput(shape: [1000], salt: 3)
        var result = program.makeResult()
        try program.run([x], into: &result)
        let address = result.auxiliary[0].scalars.withUnsafeBufferPointer { $0.baseAddress }
        try program.run([x], into: &result)
        #expect(result.auxiliary[0].scalars.withUnsafeBufferPointer { $0.baseAddress } == address)
        let y = try Program(inputShapes: [[1000]]) { v in tanh(v[0] * 2) }.value([x])
        #expect(result.auxiliary[0].scalars == y.scalars, "the auxiliary output is tanh(2x)")
        #expect(try program.value([x]) == result.value)
        var value = TensorValue(0)
        var gradient = [Double](repeating: 0, count: 1000)
        try gradient.withUnsafeMutableBufferPointer { g in
            try program.run([x], value: &value, gradientStorage: [g])
        }
        #expect(value == result.value && gradient == result.gradients[0].scalars)
    }

    @Test func mistakesAreTypedErrors() throws {
        #expect(throws: EngineError.self) {
            try Program(inputShapes: [[2]], auxiliary: ["a", "b"]) { v in (v[0].sum(), [v[0]]) }
        }
        #expect(throws: EngineError.self) {
            try Program(inputShapes: [[2]], auxiliary: ["a", "a"]) { v in (v[0].sum(), [v[0], v[0]]) }
        }
        let other = try Program(inputShapes: [[2]]) { v in v[0].sum() }
        var leaked: Tensor?
        _ = try Program(inputShapes: [[2]]) { v in leaked = v[0] * 2; return v[0].sum() }
        #expect(throws: EngineError.mixedTraces(op: "auxiliary output 0 (\"stray\")")) {
            try Program(inputShapes: [[2]], auxiliary: ["stray"]) { v in (v[0].sum(), [leaked!]) }
        }
        let program = try Program(inputShapes: [[2]], gradientsFor: [0], auxiliary: ["x"]) { v in (v[0].sum(), [v[0] * 3]) }
        var wrong = other.makeResult()
        #expect(throws: EngineError.self) { try program.run([TensorValue([1, 2])], into: &wrong) }
    }
}

/// A region member that computes only an auxiliary output gets no gradient:
/// its slope may be infinite where a zero gradient would make it NaN.
@Suite struct AuxiliaryOutputGradientTests {
    @Test func aMemberWithoutAGradientIsNotBackPropagated() throws {
        let program = try Program(inputShapes: [[4]], gradientsFor: [0], auxiliary: ["reciprocal"]) { v in
            let y = v[0] * 1.5
            let reciprocal = pow(y * 0, -1)          // slope −(0·y)⁻² = −∞, in y's region
            return (square(y).sum(), [reciprocal + y])
        }
        let x = TensorValue([1, -2, 3, 0.5])
        let r = try program.run([x])
        #expect(r.gradients[0].scalars == x.scalars.map { 4.5 * $0 })
        #expect(r[auxiliary: "reciprocal"]!.scalars.allSatisfy { $0.isInfinite })
        let regions = program.graph.nodes.filter { if case .region = $0.kind { true } else { false } }
        #expect(regions.count == 1, "the reciprocal is fused with the loss's members")
    }
}
