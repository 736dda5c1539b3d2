@testable import Engine
import SparseJacobian
import Testing

/// Every op's declared `JacobianStructure` against its numeric Jacobian: no
/// nonzero outside the declared pattern, and where the structure says what the
/// values are (identity, selections, rows of ones), exactly those values.
@Suite struct DeclaredStructureTests {
    @Test(arguments: opCases.filter(\.singleOp))
    func numericJacobianLiesOnTheDeclaredStructure(_ c: OpCase) throws {
        let program = try Program(inputShapes: c.shapes, options: ProgramOptions(optimizeMemory: false)) { try c.f($0) }
        guard case let .operation(op, operands) = program.graph.nodes.last!.kind else {
            Issue.record("\(c.name) is not a single op"); return
        }
        let shapes = operands.map { program.graph.nodes[$0].shape }
        let inputs = c.shapes.enumerated().map { testInput(shape: $0.element, salt: $0.offset, positive: c.positive) }
        for k in c.shapes.indices {
            let structure = op.jacobianStructure(forInput: k, inputShapes: shapes, outputShape: program.outputShape)
            let numeric = try GradientCheck.numericJacobian(program, at: inputs, input: k)
            #expect(structure.rows == numeric.rows && structure.columns == numeric.columns, "\(c.name) input \(k)")
            let pattern = structure.pattern
            #expect(pattern.nonzeroCount == structure.nonzeroCount, "\(c.name) input \(k)")
            var exactValues: Bool
            switch structure {
            case .identity, .selection, .rowsOfOnes: exactValues = true
            default: exactValues = false
            }
            for i in 0..<numeric.rows {
                for j in 0..<numeric.columns {
                    let stored = pattern.position(row: i, column: j) != nil
                    if !stored {
                        #expect(numeric[i, j] == 0, "\(c.name) input \(k): (\(i), \(j)) = \(numeric[i, j]) off the pattern")
                    } else if exactValues {
                        #expect(Swift.abs(numeric[i, j] - 1) < 1e-8, "\(c.name) input \(k): (\(i), \(j)) is not 1")
                    }
                }
            }
        }
    }

    /// Ops whose Jacobian has zeros inside its structure that depend on the
    /// values (a routed maximum, relu's and abs's slope at the chosen inputs),
    /// and the test's own general op, which declares nothing (derived: dense).
    static let valueDependent: Set<String> = ["relu", "abs", "maximum", "minimum", "max", "cumsum"]

    /// The declaration is the truth, not a superset: every entry of the
    /// declared pattern is a numeric nonzero (softmax: its dense blocks per
    /// slice, nothing between them), except for the value-dependent ops.
    @Test(arguments: opCases.filter(\.singleOp))
    func declaredStructureIsExact(_ c: OpCase) throws {
        let program = try Program(inputShapes: c.shapes, options: ProgramOptions(optimizeMemory: false)) { try c.f($0) }
        guard case let .operation(op, operands) = program.graph.nodes.last!.kind else { return }
        guard !Self.valueDependent.contains(op.name) else { return }
        let shapes = operands.map { program.graph.nodes[$0].shape }
        let inputs = c.shapes.enumerated().map { testInput(shape: $0.element, salt: $0.offset, positive: c.positive) }
        for k in c.shapes.indices {
            let pattern = op.jacobianStructure(forInput: k, inputShapes: shapes, outputShape: program.outputShape).pattern
            let numeric = try GradientCheck.numericJacobian(program, at: inputs, input: k)
            for j in 0..<pattern.columns {
                for p in pattern.positions(ofColumn: j) {
                    let i = pattern.rowIndices[p]
                    #expect(Swift.abs(numeric[i, j]) > 1e-9, "\(c.name) input \(k): (\(i), \(j)) declared but zero")
                }
            }
        }
    }

    /// The ops the issue names declare their true structure, not `dense`.
    @Test func shapeOpsAndSumsDeclareSelectionsAndRowsOfOnes() throws {
        func structure(_ shapes: [[Int]], _ f: @escaping ([Tensor]) throws -> Tensor) throws -> JacobianStructure {
            let program = try Program(inputShapes: shapes, options: ProgramOptions(optimizeMemory: false)) { try f($0) }
            guard case let .operation(op, operands) = program.graph.nodes.last!.kind else { throw EngineError.inputCount(expected: 1, actual: 0) }
            return op.jacobianStructure(forInput: 0, inputShapes: operands.map { program.graph.nodes[$0].shape },
                                        outputShape: program.outputShape)
        }
        guard case let .selection(transpose) = try structure([[3, 4]], { $0[0].transposed() }) else {
            Issue.record("transpose is not a selection"); return
        }
        #expect(transpose.isPermutation)
        for f: ([Tensor]) throws -> Tensor in [{ $0[0].slice(axis: 1, 1..<3) }, { $0[0].broadcast(to: [2, 3, 4]) },
                                         { try Tensor.concatenate([$0[0], $0[0]], axis: 0) }] {
            guard case let .selection(s) = try structure([[3, 4]], f) else { Issue.record("not a selection"); continue }
            #expect(!s.isPermutation)
        }
        guard case .rowsOfOnes = try structure([[3, 4]], { $0[0].sum(axis: 1) }) else {
            Issue.record("sum is not rows of ones"); return
        }
        guard case .kronecker = try structure([[3, 4], [4, 2]], { matmul($0[0], $0[1]) }) else {
            Issue.record("matmul is not a Kronecker product"); return
        }
        // Softmax along axis 1 of [2, 3, 4]: I_4 ⊗ B ⊗ I_2 with B dense 3×3.
        for f: ([Tensor]) throws -> Tensor in [{ $0[0].softmax(axis: 1) }, { $0[0].logSoftmax(axis: 1) }] {
            guard case let .kronecker(k) = try structure([[2, 3, 4]], f) else {
                Issue.record("softmax is not block diagonal"); continue
            }
            #expect(k.pattern == nil && (k.outer, k.blockRows, k.blockColumns, k.inner) == (4, 3, 3, 2))
        }
    }
}
