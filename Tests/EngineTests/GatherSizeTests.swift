@testable import Engine
import SparseJacobian
import Testing

/// Gathering and scattering rows cost memory proportional to the indices (and
/// the data), never to the number of rows of an empty tensor.
@Suite struct GatherSizeTests {
    /// The selection matrix of the op at the program's output.
    private func selection(_ program: Program) -> SparseMatrix? {
        guard case let .operation(op, _) = program.graph.nodes.last!.kind else { return nil }
        return (op as? SparseLinearMap)?.matrix
    }

    @Test func gatherFromTwoToThe31EmptyRowsStoresOnlyItsIndices() throws {
        let rows = 1 << 31
        let indices = [0, 5, rows - 1, 5]
        let program = try Program(inputShapes: [[rows, 0]], gradientsFor: [0]) { v in v[0].gathering(rows: indices) }
        #expect(program.outputShape == [4, 0])
        let matrix = try #require(selection(program))
        // Stored by rows: one column pointer per index (+1), one entry each; was 2^31 + 1 pointers (16 GiB).
        #expect(matrix.pattern.columnPointers.count == indices.count + 1)
        #expect(matrix.pattern.nonzeroCount == indices.count)
        let result = try program.run([try TensorValue(shape: [rows, 0], scalars: [])], seed: try TensorValue(shape: [4, 0], scalars: []))
        #expect(result.value.shape == [4, 0] && result.gradients[0].shape == [rows, 0])
        #expect(try program.jacobianPattern(input: 0).nonzeroCount == 0)
    }

    @Test func scatterIntoTwoToThe31EmptyRowsStoresOnlyItsIndices() throws {
        let program = try Program(inputShapes: [[3, 0]]) { v in v[0].scatteringRows(into: 1 << 31, at: [7, 0, 7]) }
        #expect(program.outputShape == [1 << 31, 0])
        let matrix = try #require(selection(program))
        #expect(matrix.pattern.columnPointers.count == 4)
    }

    @Test func storedByRowsTheGatherStillComputesAndDifferentiates() throws {
        let indices = [2, 0, 2]
        let program = try Program(inputShapes: [[3, 2]], gradientsFor: [0]) { v in square(v[0].gathering(rows: indices)).sum() }
        let x = try TensorValue(rows: [[1, 2], [3, 4], [5, 6]])
        let result = try program.run([x])
        // Σ over picked rows 2, 0, 2 of x²: 2·(25 + 36) + (1 + 4).
        #expect(result.value.scalar == 2 * (25 + 36) + 5)
        // ∂/∂x = 2x times how often each row is picked (row 0 once, row 1 never, row 2 twice).
        #expect(result.gradients[0].scalars == (try TensorValue(rows: [[2, 4], [0, 0], [20, 24]])).scalars)
        #expect(throws: EngineError.self) { try Program(inputShapes: [[3, 2]]) { v in v[0].gathering(rows: [3]) } }
        #expect(throws: EngineError.self) { try Program(inputShapes: [[3, 2]]) { v in v[0].scatteringRows(into: 2, at: [-1]) } }
    }
}
