import Engine
import SparseJacobian
import Testing

/// Bad input gets a typed error naming the op and the shapes, never a crash.
@Suite struct ErrorTests {
    @Test func shapeMismatchNamesTheOpAndBothShapes() {
        #expect(throws: EngineError.shapeMismatch(op: "add", shapes: [[3], [4]], reason: "cannot broadcast")) {
            try Program(inputShapes: [[3], [4]]) { v in v[0] + v[1] }
        }
        #expect(throws: EngineError.shapeMismatch(op: "matmul", shapes: [[2, 3], [4, 2]], reason: "needs m×k and k×n matrices")) {
            try Program(inputShapes: [[2, 3], [4, 2]]) { v in matmul(v[0], v[1]) }
        }
        let message = EngineError.shapeMismatch(op: "add", shapes: [[3], [4]], reason: "cannot broadcast").description
        #expect(message.contains("add") && message.contains("[3]") && message.contains("[4]"))
    }

    @Test func firstErrorOfTheTraceWins() {
        #expect(throws: EngineError.shapeMismatch(op: "multiply", shapes: [[2], [5]], reason: "cannot broadcast")) {
            try Program(inputShapes: [[2], [5], [7]]) { v in (v[0] * v[1]) + v[2] }
        }
    }

    @Test func invalidAxis() {
        #expect(throws: EngineError.invalidAxis(op: "sum", axis: 2, shape: [3, 4])) {
            try Program(inputShapes: [[3, 4]]) { v in v[0].sum(axis: 2) }
        }
        #expect(throws: EngineError.invalidAxis(op: "logsumexp", axis: -3, shape: [3, 4])) {
            try Program(inputShapes: [[3, 4]]) { v in v[0].logSumExp(axis: -3) }
        }
        #expect(throws: EngineError.invalidAxis(op: "mean", axis: 5, shape: [3])) {
            try Program(inputShapes: [[3]]) { v in v[0].mean(axis: 5) }
        }
    }

    @Test func invalidArguments() {
        #expect(throws: EngineError.self) { try Program(inputShapes: [[3, 4]]) { v in v[0].slice(axis: 1, 2..<6) } }
        #expect(throws: EngineError.self) { try Program(inputShapes: [[3, 4]]) { v in v[0].gathering(rows: [0, 3]) } }
        #expect(throws: EngineError.self) { try Program(inputShapes: [[3, 4]]) { v in v[0].reshaped([5, 2]) } }
        #expect(throws: EngineError.invalidArgument(op: "cross-entropy", shape: [2, 3],
                                                    reason: "label 3 of row 1 is outside 0..<3")) {
            try Program(inputShapes: [[2, 3]]) { v in crossEntropy(logits: v[0], labels: [0, 3]) }
        }
        #expect(throws: EngineError.invalidGradientRequest(input: 2, inputCount: 1)) {
            try Program(inputShapes: [[3]], gradientsFor: [2]) { v in v[0].sum() }
        }
    }

    /// An op whose input has no derivative rule, like a rounding step.
    private struct Rounded: DifferentiableOperation {
        let name = "round"
        func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] { inputs[0] }
        func forward(_ f: ForwardArguments) {
            for k in 0..<f.inputShape(0).reduce(1, *) { f.output[k] = f.input(0)[k].rounded() }
        }
        func derivative(forInput index: Int) -> Derivative { .notDifferentiable(reason: "rounding is piecewise constant") }
    }

    @Test func gradientOfANonDifferentiableInputThrows() {
        do {
            _ = try Program(inputShapes: [[3]], gradientsFor: [0]) { v in v[0].tracer.apply(Rounded(), v).sum() }
            Issue.record("no error")
        } catch let EngineError.notDifferentiable(op, input, shape, _) {
            #expect(op == "round" && input == 0 && shape == [3])
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func logDeterminantValueWorksWithoutGradient() throws {
        let a = try SparseMatrix.gridLaplacian(side: 3, shift: 1)
        let program = try Program(inputShapes: [[a.pattern.nonzeroCount]]) { v in logDeterminant(a.pattern, values: v[0]) }
        let value = try program.value([TensorValue(a.values)]).scalar
        let reference = try SparseCholesky(a, context: CholmodContext()).logDeterminant()
        #expect(Swift.abs(value - reference) < 1e-12)
    }

    @Test func indefiniteMatrixInASolveThrows() throws {
        let a = try SparseMatrix.gridLaplacian(side: 3, shift: -3)  // smallest eigenvalue < 0
        let program = try Program(inputShapes: [[a.pattern.nonzeroCount], [9]], gradientsFor: [1]) { v in
            solve(a.pattern, values: v[0], v[1]).sum()
        }
        #expect {
            try program.run([TensorValue(a.values), try TensorValue(repeating: 1, shape: [9])])
        } throws: { error in
            guard case let EngineError.notPositiveDefinite(op, shape, column) = error else { return false }
            return op == "spd solve" && shape == [9, 9] && (0..<9).contains(column)
        }
        // The same program still works with good values afterwards.
        let good = try SparseMatrix.gridLaplacian(side: 3, shift: 1)
        #expect(try program.run([TensorValue(good.values), try TensorValue(repeating: 1, shape: [9])]).value.scalar > 0)
    }

    @Test func nonFiniteValuesAndGradientsAreCaughtWhenCheckingIsOn() throws {
        // Unfused, every op's value is checked and named.
        let baseline = ProgramOptions(checkNumerics: true, optimizeMemory: false)
        let checked = try Program(inputShapes: [[3]], gradientsFor: [0], options: baseline) { v in
            log(v[0]).sum()
        }
        #expect(throws: EngineError.nonFinite(op: "log", shape: [3], what: "value", index: 1, value: -.infinity)) {
            try checked.run([TensorValue([1, 0, 2])])
        }
        // sqrt at 0 has a finite value but an infinite slope: caught in the gradient.
        let gradient = try Program(inputShapes: [[2]], gradientsFor: [0], options: baseline) { v in
            sqrt(v[0]).sum()
        }
        // Fused, the values leaving the region are checked, and the region is named.
        let fused = try Program(inputShapes: [[3]], gradientsFor: [0], options: ProgramOptions(checkNumerics: true)) { v in
            log(v[0]).sum()
        }
        #expect(throws: EngineError.nonFinite(op: "fused(log)", shape: [], what: "value", index: 0, value: -.infinity)) {
            try fused.run([TensorValue([1, 0, 2])])
        }
        #expect(throws: EngineError.nonFinite(op: "∂sqrt/∂input 0", shape: [2], what: "gradient", index: 0, value: .infinity)) {
            try gradient.run([TensorValue([0, 4])])
        }
        // Unchecked, the same run returns the IEEE result.
        let unchecked = try Program(inputShapes: [[3]], gradientsFor: [0]) { v in log(v[0]).sum() }
        #expect(try unchecked.run([TensorValue([1, 0, 2])]).value.scalar == -.infinity)
    }

    @Test func runsRejectWrongInputsAndSeeds() throws {
        let program = try Program(inputShapes: [[2, 3]], gradientsFor: [0]) { v in v[0] * 2 }
        #expect(throws: EngineError.inputCount(expected: 1, actual: 0)) { try program.run([]) }
        #expect(throws: EngineError.inputMismatch(index: 0, expected: [2, 3], actual: [3, 2])) {
            try program.run([try TensorValue(repeating: 1, shape: [3, 2])])
        }
        #expect(throws: EngineError.seedMismatch(outputShape: [2, 3], seedShape: nil)) {
            try program.run([try TensorValue(repeating: 1, shape: [2, 3])])
        }
        #expect(throws: EngineError.seedMismatch(outputShape: [2, 3], seedShape: [6])) {
            try program.run([try TensorValue(repeating: 1, shape: [2, 3])], seed: try TensorValue(repeating: 1, shape: [6]))
        }
        #expect(throws: EngineError.valueCount(shape: [2, 2], expected: 4, actual: 3)) {
            try TensorValue(shape: [2, 2], scalars: [1, 2, 3])
        }
    }
}
