import Engine
import SparseJacobian
import Testing

/// TensorValues captured from outside the trace are constants: no
/// `tracer.constant`, the same values and gradients as with it.
@Suite struct CapturedConstantTests {
    @Test func capturedValuesMatchExplicitConstants() throws {
        let c = try TensorValue(rows: [[1, -2], [0.5, 3]])
        let w = try TensorValue(rows: [[2], [-1]])
        let floor = TensorValue(0.25)
        let captured = try Program(inputShapes: [[2, 2]], gradientsFor: [0]) { v in
            let x = v[0]
            return (matmul(maximum(x * c + c, floor) - c / (x + 3), w) + matmul(c, x / c).sum()).sum()
        }
        let explicit = try Program(inputShapes: [[2, 2]], gradientsFor: [0]) { v in
            let x = v[0], t = x.tracer
            let (cc, ww, ff) = (t.constant(c), t.constant(w), t.constant(floor))
            return (matmul(maximum(x * cc + cc, ff) - cc / (x + 3), ww) + matmul(cc, x / cc).sum()).sum()
        }
        let x = try TensorValue(rows: [[0.3, -0.7], [1.1, 0.2]])
        let (a, b) = (try captured.run([x]), try explicit.run([x]))
        #expect(a.value == b.value && a.gradients == b.gradients)
        #expect(try GradientCheck.check(captured, at: [x]).passed)
    }

    @Test func capturedSparseValuesAndRightHandSides() throws {
        let l = try SparseMatrix.gridLaplacian(side: 4)
        let values = TensorValue(l.values), b = TensorValue([Double](repeating: 1, count: 16))
        let program = try Program(inputShapes: [[16], [l.pattern.nonzeroCount]], gradientsFor: [0, 1]) { v in
            (matmul(l.pattern, values: values, v[0]) + solve(l.pattern, values: v[1] * 1, b)).sum()
        }
        let x = TensorValue((0..<16).map { Double($0) / 16 })
        #expect(try GradientCheck.check(program, at: [x, values]).passed)
    }
}
