import Engine
import Foundation
import Testing

/// The gradient-ready hook (prototype for data-parallel overlap, issue 14).
@Suite struct GradientReadyProgramTests {
    /// A two-layer MLP: its last layer's gradients are final long before the first layer's.
    func mlp() throws -> (Program, [TensorValue]) {
        let program = try Program(inputShapes: [[6, 4], [4, 5], [5], [5, 3], [3]], gradientsFor: [1, 2, 3, 4, 0]) { v in
            let h = tanh(matmul(v[0], v[1]) + v[2])
            return square(matmul(h, v[3]) + v[4]).sum()
        }
        var inputs: [TensorValue] = []
        for (p, shape) in program.inputShapes.enumerated() {
            let scalars: [Double] = (0..<shape.reduce(1, *)).map { (i: Int) -> Double in 0.3 * sin(Double(i + p)) }
            inputs.append(try TensorValue(shape: shape, scalars: scalars))
        }
        return (program, inputs)
    }

    @Test func hookSeesEachFinalGradientOnceInReadinessOrder() throws {
        let (program, inputs) = try mlp()
        let hooked = GradientReadyProgram(program)
        var result = program.makeResult()
        var seen: [(Int, [Double])] = []
        try hooked.run(inputs, into: &result) { k, g in seen.append((k, Array(g))) }
        let reference = try program.run(inputs)
        #expect(result == reference)
        #expect(seen.map(\.0) == hooked.readinessOrder)
        #expect(Set(seen.map(\.0)) == Set(0..<5))
        // What the hook saw was already the final gradient.
        for (k, g) in seen { #expect(g == reference.gradients[k].scalars) }
        // The second layer's W and b are final before the first layer's: room for overlap.
        let finals = program.gradientFinalSteps
        #expect(finals[2] < finals[0] && finals[3] < finals[1])
        #expect(finals.max()! == program.stepCount - 1 && finals.min()! < program.stepCount - 1)
    }

    @Test func hookRunRejectsBadInputsAndSeeds() throws {
        let (program, inputs) = try mlp()
        let hooked = GradientReadyProgram(program)
        var result = program.makeResult()
        var bad = inputs
        bad[2] = try TensorValue(repeating: 0, shape: [4])
        #expect(throws: EngineError.inputMismatch(index: 2, expected: [5], actual: [4])) {
            try hooked.run(bad, into: &result) { _, _ in }
        }
        #expect(throws: EngineError.seedMismatch(outputShape: [], seedShape: [2])) {
            try hooked.run(inputs, seed: TensorValue([1, 2]), into: &result) { _, _ in }
        }
    }

    @Test func gradientAskedForTwiceIsReadyForBoth() throws {
        let program = try Program(inputShapes: [[3]], gradientsFor: [0, 0]) { v in square(v[0]).sum() }
        let hooked = GradientReadyProgram(program)
        var result = program.makeResult()
        var seen: [Int] = []
        try hooked.run([TensorValue([1, 2, 3])], into: &result) { k, _ in seen.append(k) }
        #expect(seen.sorted() == [0, 1])
        #expect(result.gradients == [TensorValue([2, 4, 6]), TensorValue([2, 4, 6])])
    }
}
