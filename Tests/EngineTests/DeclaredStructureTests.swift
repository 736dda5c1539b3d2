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

    /// Every op of the library declares its structure (only the test's own
    /// general op falls back to the derived one).
    @Test(arguments: opCases.filter(\.singleOp))
    func everyLibraryOpDeclaresItsStructure(_ c: OpCase) throws {
        let program = try Program(inputShapes: c.shapes, options: ProgramOptions(optimizeMemory: false)) { try c.f($0) }
        guard case let .operation(op, _) = program.graph.nodes.last!.kind else { return }
        #expect((op is any JacobianStructureDeclaring) == !(op is CumulativeSum), "\(c.name): \(op.name)")
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
    }
}
