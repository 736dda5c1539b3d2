import Engine
import SparseJacobian
import Testing

/// The README's quickstart, verbatim, so that it cannot rot.
@Suite struct QuickstartTests {
    @Test func scalarExample() throws {
        // README: scalar example
        let (f, gradient) = try valueAndGradient(at: [-2, 5, -4]) { v in (v[0] + v[1]) * v[2] }
        // f == -12, gradient == [-4, -4, 3]
        #expect(f == -12 && gradient == [-4, -4, 3])
    }

    @Test func compiledSparseLayer() throws {
        // README: compiled program
        let a = try SparseMatrix.gridLaplacian(side: 30)      // 900×900, 5-point stencil
        let program = try Program(
            inputShapes: [[a.pattern.nonzeroCount], [900, 4], [4, 1]],   // A's values, X, W
            gradientsFor: [0, 1, 2]
        ) { v in
            let (values, x, w) = (v[0], v[1], v[2])
            let h = relu(matmul(a.pattern, values: values, x))         // sparse: CHOLMOD sdmult
            return square(matmul(h, w)).sum()                          // dense: BLAS dgemm
        }
        let x = try TensorValue(repeating: 0.1, shape: [900, 4])
        let w = try TensorValue(rows: [[1], [-1], [0.5], [2]])
        let result = try program.run([TensorValue(a.values), x, w])   // run again with new values: no retracing
        print(result.value.scalar, result.gradients.map(\.shape))    // loss, [[4380], [900, 4], [4, 1]]
        #expect(result.gradients.map(\.shape) == [[4380], [900, 4], [4, 1]])
        #expect(result.value.scalar > 0)
    }
}
