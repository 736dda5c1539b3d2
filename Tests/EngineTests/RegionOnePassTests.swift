@testable import Engine
import Testing

/// A region that ends in the program's scalar loss runs forward and backward in one pass.
@Suite struct RegionOnePassTests {
    static func chain(_ v: [Tensor]) -> Tensor {
        var y = v[0]
        for k in 0..<6 { y = tanh(y * v[1].slice(axis: 0, k..<(k + 1)) + v[2].slice(axis: 0, k..<(k + 1))) }
        return square(y).sum()
    }

    static let shapes = [[40_001], [6], [6]]
    static func inputs() -> [TensorValue] { shapes.enumerated().map { testInput(shape: $0.element, salt: $0.offset + 5) } }

    @Test func aChainEndingInItsLossIsOneStepAndAgreesWithTheUnfusedSchedule() throws {
        let program = try Program(inputShapes: Self.shapes, gradientsFor: [0, 1, 2], Self.chain)
        let steps = program.schedule.steps
        #expect(steps.filter { $0 is RegionOnePassStep }.count == 1)
        #expect(!steps.contains { $0 is RegionBackwardStep }, "the backward step went into the one pass")
        let unfused = try Program(inputShapes: Self.shapes, gradientsFor: [0, 1, 2],
                                  options: ProgramOptions(optimizeMemory: false), Self.chain)
        let x = Self.inputs()
        let (a, b) = (try program.run(x), try unfused.run(x))
        expectClose(a.value, b.value, "loss")
        for k in 0..<3 { expectClose(a.gradients[k], b.gradients[k], "gradient \(k)") }
        #expect(try program.run(x) == a, "the same bits run to run")
        // The forward pass alone runs the forward step, and gives the run's loss to rounding.
        let value = try program.value(x)
        #expect(abs(value.scalar - a.value.scalar) <= 1e-12 * abs(a.value.scalar))
        let eager = try Program(inputShapes: Self.shapes, gradientsFor: [0, 1, 2], options: ProgramOptions(memory: .eager), Self.chain)
        #expect(try eager.run(x) == a)
    }

    @Test func numericChecksSeeTheWritesOfEachWayOfRunning() throws {
        let program = try Program(inputShapes: Self.shapes, gradientsFor: [0, 1, 2],
                                  options: ProgramOptions(checkNumerics: true), Self.chain)
        let x = Self.inputs()
        _ = try program.value(x)
        _ = try program.run(x)
        let overflowing = try Program(inputShapes: [[100], []], gradientsFor: [0, 1],
                                      options: ProgramOptions(checkNumerics: true)) { v in exp(v[0] * v[1]).sum() }
        #expect(overflowing.schedule.steps.contains { $0 is RegionOnePassStep })
        let big = [testInput(shape: [100], salt: 1, positive: true), TensorValue(1e4)]
        #expect(throws: EngineError.self) { try overflowing.run(big) }
        #expect(throws: EngineError.self) { try overflowing.value(big) }
        _ = try overflowing.run([big[0], TensorValue(0.5)])
    }

    @Test func aRegionWhoseOutputIsNotTheLossKeepsItsTwoSteps() throws {
        let program = try Program(inputShapes: [[1000], [1000, 1]], gradientsFor: [0]) { v in
            matmul(tanh(v[0]).reshaped([1, 1000]), v[1]).sum()
        }
        #expect(!program.schedule.steps.contains { $0 is RegionOnePassStep })
    }
}
