import Engine
import SparseJacobian
import Testing

/// The sparse ops give what the same computation gives with dense matrices.
@Suite struct SparseAgainstDenseTests {
    let a = try! SparseMatrix(rows: 5, columns: 4, rowIndices: [0, 2, 4, 1, 3, 0, 4, 2],
                              columnIndices: [0, 0, 0, 1, 1, 2, 2, 3], values: [1, -2, 0.5, 3, 1.5, -1, 2, 0.25])

    /// A as a dense tensor (row-major values of its dense form).
    var denseA: TensorValue {
        let d = a.dense()
        return try! TensorValue(shape: [a.rows, a.columns], scalars: d.values)
    }

    @Test func sparseProductMatchesDenseProduct() throws {
        let x = testInput(shape: [4, 3], salt: 1), seed = testInput(shape: [5, 3], salt: 2)
        let sparse = try Program(inputShapes: [[a.pattern.nonzeroCount], [4, 3]], gradientsFor: [0, 1]) { v in
            matmul(a.pattern, values: v[0], v[1])
        }
        let dense = try Program(inputShapes: [[5, 4], [4, 3]], gradientsFor: [0, 1]) { v in matmul(v[0], v[1]) }
        let s = try sparse.run([TensorValue(a.values), x], seed: seed)
        let d = try dense.run([denseA, x], seed: seed)
        for k in s.value.scalars.indices { #expect(Swift.abs(s.value.scalars[k] - d.value.scalars[k]) < 1e-14) }
        for k in s.gradients[1].scalars.indices {
            #expect(Swift.abs(s.gradients[1].scalars[k] - d.gradients[1].scalars[k]) < 1e-14)
        }
        // The values' gradient is the dense gradient sampled on the pattern.
        let columns = a.pattern.columnIndices
        for p in 0..<a.pattern.nonzeroCount {
            let i = a.pattern.rowIndices[p], j = columns[p]
            #expect(Swift.abs(s.gradients[0].scalars[p] - d.gradients[0][i, j]) < 1e-14)
        }
    }

    @Test func constantSparseProductMatchesDense() throws {
        let x = testInput(shape: [4, 2], salt: 3), seed = testInput(shape: [5, 2], salt: 4)
        let sparse = try Program(inputShapes: [[4, 2]], gradientsFor: [0]) { v in matmul(a, v[0]) }
        let dense = try Program(inputShapes: [[4, 2]], gradientsFor: [0]) { v in matmul(v[0].tracer.constant(denseA), v[0]) }
        let s = try sparse.run([x], seed: seed), d = try dense.run([x], seed: seed)
        for k in s.value.scalars.indices { #expect(Swift.abs(s.value.scalars[k] - d.value.scalars[k]) < 1e-14) }
        for k in s.gradients[0].scalars.indices { #expect(Swift.abs(s.gradients[0].scalars[k] - d.gradients[0].scalars[k]) < 1e-14) }
    }

    @Test func solveMatchesDenseElimination() throws {
        let lap = try SparseMatrix.gridLaplacian(side: 4, shift: 0.5)
        let b = testInput(shape: [16, 2], salt: 5)
        let program = try Program(inputShapes: [[lap.pattern.nonzeroCount], [16, 2]], gradientsFor: [0, 1]) { v in
            solve(lap.pattern, values: v[0], v[1])
        }
        let seed = testInput(shape: [16, 2], salt: 6)
        let result = try program.run([TensorValue(lap.values), b], seed: seed)
        let dense = lap.dense()
        // A·x = b.
        for k in 0..<2 { for i in 0..<16 {
            var s = 0.0
            for j in 0..<16 { s += dense[i, j] * result.value[j, k] }
            #expect(Swift.abs(s - b[i, k]) < 1e-12)
        } }
        // ∂L/∂b = A⁻¹·seed, so A·(∂L/∂b) = seed.
        for k in 0..<2 { for i in 0..<16 {
            var s = 0.0
            for j in 0..<16 { s += dense[i, j] * result.gradients[1][j, k] }
            #expect(Swift.abs(s - seed[i, k]) < 1e-12)
        } }
        // ∂L/∂A = −u·xᵀ with u = ∂L/∂b: a stored lower entry (i, j), i > j, gets both
        // A[i,j] and A[j,i]'s share; entries above the diagonal are not read.
        let columns = lap.pattern.columnIndices, u = result.gradients[1], x = result.value
        for p in 0..<lap.pattern.nonzeroCount {
            let i = lap.pattern.rowIndices[p], j = columns[p]
            let expected: Double
            if i > j {
                expected = -(0..<2).reduce(0.0) { $0 + u[i, $1] * x[j, $1] + u[j, $1] * x[i, $1] }
            } else if i == j {
                expected = -(0..<2).reduce(0.0) { $0 + u[i, $1] * x[i, $1] }
            } else {
                expected = 0
            }
            #expect(Swift.abs(result.gradients[0].scalars[p] - expected) < 1e-12)
        }
    }

    @Test func scatterIsTheAdjointOfGather() throws {
        let x = testInput(shape: [4, 2], salt: 7), y = testInput(shape: [3, 2], salt: 8)
        let indices = [3, 0, 3]
        let gather = try Program(inputShapes: [[4, 2]]) { v in v[0].gathering(rows: indices) }
        let scatter = try Program(inputShapes: [[3, 2]]) { v in v[0].scatteringRows(into: 4, at: indices) }
        // ⟨G x, y⟩ = ⟨x, S y⟩
        let gx = try gather.value([x]), sy = try scatter.value([y])
        let left = zip(gx.scalars, y.scalars).reduce(0) { $0 + $1.0 * $1.1 }
        let right = zip(x.scalars, sy.scalars).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(Swift.abs(left - right) < 1e-14)
    }
}
