@testable import Engine
import SparseJacobian
import Testing

/// Example of a custom op with a sparse Jacobian: the 1-D stencil
/// y_i = x_{i−1}·x_i + x_i·x_{i+1} (missing neighbours count as 0).
/// ∂y_i/∂x_{i−1} = x_i, ∂y_i/∂x_i = x_{i−1} + x_{i+1}, ∂y_i/∂x_{i+1} = x_i:
/// tridiagonal, values computed from x each run.
func stencil(_ n: Int) -> CustomSparseOperation {
    let pattern = tridiagonalPattern(n)
    let columns = pattern.columnIndices
    return CustomSparseOperation(name: "stencil", pattern: pattern, forward: { x, y in
        for i in 0..<n {
            let left = i > 0 ? x[i - 1] : 0, right = i < n - 1 ? x[i + 1] : 0
            y[i] = left * x[i] + x[i] * right
        }
    }, jacobianValues: { x, values in
        for p in 0..<pattern.nonzeroCount {
            let i = pattern.rowIndices[p], j = columns[p]
            if j == i {
                values[p] = (i > 0 ? x[i - 1] : 0) + (i < n - 1 ? x[i + 1] : 0)
            } else {
                values[p] = x[i]
            }
        }
    })
}

/// Example of a general custom op with its own VJP rule: the cumulative sum
/// y_i = Σ_{j ≤ i} x_j of a vector. Its Jacobian is the dense lower-triangular
/// matrix of ones; the rule applies its transpose as a reversed cumulative sum,
/// g_in_j = Σ_{i ≥ j} g_i, in O(n) without forming the matrix. Saves nothing.
struct CumulativeSum: DifferentiableOperation {
    var name: String { "cumsum" }

    func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] {
        guard inputs.count == 1, inputs[0].count == 1 else {
            throw .shapeMismatch(op: name, shapes: inputs, reason: "cumsum takes one vector")
        }
        return inputs[0]
    }

    func forward(_ a: ForwardArguments) {
        var sum = 0.0
        for i in 0..<a.count { sum += a.input(0)[i]; a.output[i] = sum }
    }

    func derivative(forInput index: Int) -> Derivative {
        .dense(DenseDerivative(reads: []) { b in
            let n = b.outputShape[0]
            var sum = 0.0
            for j in stride(from: n - 1, through: 0, by: -1) {
                sum += b.upstream[j]
                if b.accumulate { b.gradient[j] += sum } else { b.gradient[j] = sum }
            }
        })
    }
}

@Suite struct CustomOpExampleTests {
    @Test func stencilValueAndGradient() throws {
        let program = try Program(inputShapes: [[4]], gradientsFor: [0]) { v in v[0].tracer.apply(stencil(4), v) }
        let result = try program.run([TensorValue([1, 2, 3, 4])], seed: TensorValue([1, 1, 1, 1]))
        #expect(result.value.scalars == [2, 8, 18, 12])
        // Σ_i y_i = 2·Σ x_i x_{i+1}; ∂/∂x_j = 2(x_{j−1} + x_{j+1}).
        #expect(result.gradients[0].scalars == [4, 8, 12, 6])
    }

    @Test func cumulativeSumValueAndGradient() throws {
        let program = try Program(inputShapes: [[3]], gradientsFor: [0]) { v in v[0].tracer.apply(CumulativeSum(), v) }
        let result = try program.run([TensorValue([1, 2, 3])], seed: TensorValue([1, 10, 100]))
        #expect(result.value.scalars == [1, 3, 6])
        #expect(result.gradients[0].scalars == [111, 110, 100])
    }

    @Test func customElementwiseIsDiagonal() throws {
        let program = try Program(inputShapes: [[3]], options: ProgramOptions(optimizeMemory: false)) { v in v[0].elementwise("cube", { $0 * $0 * $0 }, derivative: { 3 * $0 * $0 }) }
        guard case let .operation(op, _) = program.graph.nodes.last!.kind else { Issue.record("no op"); return }
        #expect(op.derivative(forInput: 0).structureName == "diagonal")
    }
}
