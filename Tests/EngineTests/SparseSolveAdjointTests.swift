import Engine
import Foundation
import SparseJacobian
import Testing

/// The sparse SPD solve's joint adjoint rule: one solve w = A⁻¹·ḡ per backward
/// pass serves the values' and b's gradients (counted through the program's
/// `CholmodContext.solveCount`: the forward solves once, the backward once).
@Suite struct SparseSolveAdjointTests {
    /// A = Lap + diag(exp θ) on a side×side grid, x = A⁻¹·b with b of `columns`
    /// columns (none: a vector), L = Σ (x ⊙ x ⊙ c) for a fixed weight c.
    private struct Model {
        let lap: SparseMatrix
        let shapes: [[Int]]
        let inputs: [TensorValue]
        let weights: TensorValue

        init(side: Int, columns: Int?) throws {
            lap = try SparseMatrix.gridLaplacian(side: side)
            let n = lap.rows
            let bShape = columns.map { [n, $0] } ?? [n]
            shapes = [[n], bShape]
            inputs = [testInput(shape: [n], salt: 3), testInput(shape: bShape, salt: 4)]
            weights = testInput(shape: bShape, salt: 9, positive: true)
        }

        func program(gradientsFor: [Int], context: CholmodContext) throws -> Program {
            let lap = lap, weights = weights
            let nnz = lap.pattern.nonzeroCount
            let diagonal = (0..<lap.rows).map { lap.pattern.position(row: $0, column: $0)! }
            return try Program(inputShapes: shapes, gradientsFor: gradientsFor, context: context) { v in
                let values = v[0].tracer.constant(TensorValue(lap.values)) + exp(v[0]).scatteringRows(into: nnz, at: diagonal)
                let x = solve(lap.pattern, values: values, v[1])
                return (square(x) * v[0].tracer.constant(weights)).sum()
            }
        }
    }

    @Test(arguments: [nil, 3] as [Int?])
    func bothGradientsMatchFiniteDifferencesWithOneAdjointSolve(columns: Int?) throws {
        let model = try Model(side: 4, columns: columns)
        let context = CholmodContext()
        let program = try model.program(gradientsFor: [0, 1], context: context)
        let report = try GradientCheck.check(program, at: model.inputs)
        #expect(report.passed, "\(report)")

        let before = context.solveCount
        _ = try program.value(model.inputs)
        let forward = context.solveCount - before
        _ = try program.run(model.inputs)
        let run = context.solveCount - before - forward
        #expect(forward == 1, "the forward solves all \(columns ?? 1) column(s) in one call")
        #expect(run - forward == 1, "one adjoint solve for both gradients, got \(run - forward)")
    }

    @Test(arguments: [[0], [1]])
    func oneGradientAloneIsRightAndSolvesOnce(gradientsFor: [Int]) throws {
        let model = try Model(side: 4, columns: 2)
        let context = CholmodContext()
        let program = try model.program(gradientsFor: gradientsFor, context: context)
        let report = try GradientCheck.check(program, at: model.inputs)
        #expect(report.passed, "\(report)")
        // And the same numbers as the program asking for both.
        let both = try model.program(gradientsFor: [0, 1], context: CholmodContext()).run(model.inputs)
        let before = context.solveCount
        let alone = try program.run(model.inputs)
        #expect(context.solveCount - before == 2, "one forward and one adjoint solve")
        #expect(alone.gradients[0].scalars == both.gradients[gradientsFor[0]].scalars)
    }

    /// b's gradient is exactly A⁻¹·ḡ, from a factor made outside the program,
    /// and the values' gradient −w·xᵀ on the pattern (the mirrored sum off the diagonal).
    @Test func gradientsAreTheAdjointFormulas() throws {
        let side = 3, k = 2
        let a = try SparseMatrix.gridLaplacian(side: side, shift: 0.6)
        let n = a.rows
        let program = try Program(inputShapes: [[a.pattern.nonzeroCount], [n, k]], gradientsFor: [0, 1]) { v in
            solve(a.pattern, values: v[0], v[1])
        }
        let b = testInput(shape: [n, k], salt: 1), seed = testInput(shape: [n, k], salt: 2)
        let result = try program.run([TensorValue(a.values), b], seed: seed)
        let factor = try SparseCholesky(a, context: CholmodContext())
        let w = try factor.solve(try DenseMatrix(rows: n, columns: k, values: seed.scalars))
        let x = try factor.solve(try DenseMatrix(rows: n, columns: k, values: b.scalars))
        for e in 0..<(n * k) { #expect(Swift.abs(result.gradients[1].scalars[e] - w.values[e]) < 1e-13) }
        let columns = a.pattern.columnIndices
        for p in 0..<a.pattern.nonzeroCount {
            let i = a.pattern.rowIndices[p], j = columns[p]
            var expected = 0.0
            for c in 0..<k where i >= j {
                expected -= w[i, c] * x[j, c] + (i > j ? w[j, c] * x[i, c] : 0)
            }
            #expect(Swift.abs(result.gradients[0].scalars[p] - expected) < 1e-13)
        }
    }

    /// Runs with new inputs never read an earlier run's adjoint: alternating two
    /// input sets gives each set's own gradients, as a fresh program does.
    @Test func repeatedRunsUseTheirOwnAdjoint() throws {
        let model = try Model(side: 5, columns: 2)
        let other = [TensorValue(model.inputs[0].scalars.map { $0 * 0.5 - 0.2 }),
                     try TensorValue(shape: model.shapes[1], scalars: model.inputs[1].scalars.map { 1 - $0 })]
        let program = try model.program(gradientsFor: [0, 1], context: CholmodContext())
        let expectedFirst = try model.program(gradientsFor: [0, 1], context: CholmodContext()).run(model.inputs)
        let expectedOther = try model.program(gradientsFor: [0, 1], context: CholmodContext()).run(other)
        var result = program.makeResult()
        for round in 0..<3 {
            try program.run(model.inputs, into: &result)
            #expect(result.gradients.map(\.scalars) == expectedFirst.gradients.map(\.scalars), "round \(round)")
            try program.run(other, into: &result)
            #expect(result.gradients.map(\.scalars) == expectedOther.gradients.map(\.scalars), "round \(round)")
        }
    }

    @Test func unmirroredUpperEntryIsATypedErrorWhenTraced() throws {
        // (0, 1) stored above the diagonal, (1, 0) missing below.
        let pattern = try SparsityPattern(rows: 2, columns: 2, rowIndices: [0, 0, 1], columnIndices: [0, 1, 1])
        #expect(throws: EngineError.sparse(op: "spd solve", .upperEntryWithoutMirror(row: 0, column: 1))) {
            try Program(inputShapes: [[3], [2, 2]], gradientsFor: [0, 1]) { v in solve(pattern, values: v[0], v[1]).sum() }
        }
        #expect(throws: SparseError.upperEntryWithoutMirror(row: 0, column: 1)) {
            try SparseCholesky(pattern: pattern, context: CholmodContext())
        }
    }
}
