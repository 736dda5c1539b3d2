import Engine
import SparseJacobian
import Testing

/// Preconditions a caller can reach with ordinary arguments are typed errors.
@Suite struct TypedPreconditionTests {
    @Test func concatenatingNothingThrows() {
        #expect(throws: EngineError.invalidArgument(op: "concatenate", shape: [], reason: "nothing to concatenate")) {
            try Program(inputShapes: [[2]]) { _ in try Tensor.concatenate([], axis: 0) }
        }
    }

    @Test func throwingAccessorsNameTheIndexAndShape() throws {
        let t = try TensorValue(rows: [[1, 2, 3], [4, 5, 6]])
        #expect(try t.element(at: [1, 2]) == 6)
        #expect(t[1, 2] == 6)
        #expect(throws: EngineError.indexOutOfRange(index: [2, 0], shape: [2, 3])) { try t.element(at: [2, 0]) }
        #expect(throws: EngineError.indexOutOfRange(index: [0], shape: [2, 3])) { try t.element(at: [0]) }
        #expect(throws: EngineError.indexOutOfRange(index: [0, -1], shape: [2, 3])) { try t.element(at: [0, -1]) }
        #expect(throws: EngineError.invalidArgument(op: "scalar", shape: [2, 3], reason: "holds 6 elements, not 1")) {
            try t.scalarValue()
        }
        #expect(try TensorValue(4).scalarValue() == 4)
    }

    @Test func aTensorWhoseElementsNoLongerFitItsShapeIsCaught() throws {
        var t = try TensorValue(repeating: 1, shape: [2, 2])
        #expect(throws: Never.self) { try t.checkCount() }
        t.scalars.append(5)
        #expect(throws: EngineError.valueCount(shape: [2, 2], expected: 4, actual: 5)) { try t.checkCount() }
    }

    @Test func numericJacobianOfAnInputThatIsNotOneThrows() throws {
        let program = try Program(inputShapes: [[2]]) { v in v[0] * v[0] }
        let x = TensorValue([1, 2])
        #expect(throws: EngineError.invalidGradientRequest(input: 1, inputCount: 1)) {
            try GradientCheck.numericJacobian(program, at: [x], input: 1)
        }
        #expect(throws: EngineError.invalidGradientRequest(input: -1, inputCount: 1)) {
            try GradientCheck.numericJacobian(program, at: [x], input: -1)
        }
        #expect(throws: EngineError.inputCount(expected: 1, actual: 0)) {
            try GradientCheck.numericJacobian(program, at: [], input: 0)
        }
    }

    @Test func negativeMemoryBudgetIsRejectedWhenTheOptionsAreMade() throws {
        #expect(throws: EngineError.self) { try SavePolicy.budget(bytes: -1) }
        #expect(throws: EngineError.self) { try ProgramOptions(memoryBudget: -1) }
        #expect(throws: EngineError.self) { try ProgramOptions(memoryBudget: .min) }
        #expect(try ProgramOptions(memoryBudget: 0).memoryBudget == 0)
        #expect(try SavePolicy.budget(bytes: 5).kind == .budget)
        #expect(ProgramOptions().memoryBudget == nil)
        #expect(ProgramOptions().savePolicy == .automatic)
        #expect(ProgramOptions(savePolicy: .minimumMemory).memoryBudget == nil)
    }

    @Test func maxAlongAnAxisOfAnEmptyTensorGivesAnEmptyResult() throws {
        let columns = try Program(inputShapes: [[0, 3]], gradientsFor: [0]) { v in v[0].max(axis: 1).sum() }
        let r = try columns.run([try TensorValue(repeating: 0, shape: [0, 3])])
        #expect(r.value.scalar == 0 && r.gradients[0].shape == [0, 3])
        let rows = try Program(inputShapes: [[2, 0]]) { v in v[0].max(axis: 0) }
        #expect(try rows.value([try TensorValue(repeating: 0, shape: [2, 0])]).shape == [0])
    }

    @Test func maxOverAnAxisOfLengthZeroThrows() {
        let error = EngineError.invalidArgument(op: "max", shape: [2, 0],
                                                reason: "maximum of no elements (a reduced axis has length 0)")
        #expect(throws: error) { try Program(inputShapes: [[2, 0]]) { v in v[0].max(axis: 1) } }
        #expect(throws: EngineError.self) { try Program(inputShapes: [[0, 3]]) { v in v[0].max() } }
    }

    @Test func meanOfAnEmptyTensorIsNaN() throws {
        let all = try Program(inputShapes: [[0]]) { v in v[0].mean() }
        #expect(try all.value([TensorValue([])]).scalar.isNaN)
        let axis = try Program(inputShapes: [[2, 0]]) { v in v[0].mean(axis: 1) }
        let slices = try axis.value([try TensorValue(repeating: 0, shape: [2, 0])])
        #expect(slices.shape == [2] && slices.scalars.allSatisfy { $0.isNaN })
    }
}
