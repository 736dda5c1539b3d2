import Engine
import Testing

/// The seed's worked examples, exactly.
@Suite struct SeedExampleTests {
    @Test func addThenMultiply() throws {
        let (value, gradient) = try valueAndGradient(at: [-2, 5, -4]) { v in (v[0] + v[1]) * v[2] }
        #expect(value == -12)
        #expect(gradient == [-4, -4, 3])
    }

    /// f = 1/(1 + exp(−(w0·x0 + w1·x1 + w2))) from primitive ops.
    static func neuronFromPrimitives(_ v: [Tensor]) -> Tensor {
        let (w0, w1, w2, x0, x1) = (v[0], v[1], v[2], v[3], v[4])
        return 1 / (1 + exp(-(w0 * x0 + w1 * x1 + w2)))
    }

    /// The same neuron with one custom sigmoid node: f from σ, f′ = σ(1 − σ).
    static func neuronWithCustomSigmoid(_ v: [Tensor]) -> Tensor {
        let (w0, w1, w2, x0, x1) = (v[0], v[1], v[2], v[3], v[4])
        let s = w0 * x0 + w1 * x1 + w2
        return s.elementwise("my sigmoid", { 1 / (1 + _exp(-$0)) }, derivative: { x in
            let y = 1 / (1 + _exp(-x))
            return y * (1 - y)
        })
    }

    @Test(arguments: [neuronFromPrimitives, neuronWithCustomSigmoid] as [@Sendable ([Tensor]) -> Tensor])
    func sigmoidNeuron(_ f: @Sendable ([Tensor]) -> Tensor) throws {
        let (value, g) = try valueAndGradient(at: [2, -3, -3, -1, -2], f)
        #expect(abs(value - 0.73106) < 5e-6)
        let expected = [-0.19661, -0.39322, 0.19661, 0.39322, -0.58984]
        for (a, b) in zip(g, expected) { #expect(abs(a - b) < 5e-6) }
    }

    @Test func primitiveAndCustomNeuronsAgreeToRounding() throws {
        let a = try valueAndGradient(at: [2, -3, -3, -1, -2], Self.neuronFromPrimitives)
        let b = try valueAndGradient(at: [2, -3, -3, -1, -2], Self.neuronWithCustomSigmoid)
        #expect(abs(a.value - b.value) < 1e-15)
        for (x, y) in zip(a.gradient, b.gradient) { #expect(abs(x - y) < 1e-15) }
    }

    @Test func addGateDistributes() throws {
        let (_, g) = try valueAndGradient(at: [3, 7]) { v in (v[0] + v[1]) * 5 }
        #expect(g == [5, 5])
    }

    @Test func copyGateAdds() throws {
        // x used twice: x·y + x, ∂/∂x = y + 1.
        let (_, g) = try valueAndGradient(at: [3, 7]) { v in v[0] * v[1] + v[0] }
        #expect(g == [8, 3])
    }

    @Test func multiplyGateSwaps() throws {
        let (_, g) = try valueAndGradient(at: [3, 7]) { v in v[0] * v[1] }
        #expect(g == [7, 3])
    }

    @Test func maxGateRoutes() throws {
        let (_, g) = try valueAndGradient(at: [3, 7]) { v in maximum(v[0], v[1]) * 2 }
        #expect(g == [0, 2])
        let (_, h) = try valueAndGradient(at: [9, 7]) { v in maximum(v[0], v[1]) * 2 }
        #expect(h == [2, 0])
    }

    @Test func reluOnAVector() throws {
        let program = try Program(inputShapes: [[4]], gradientsFor: [0]) { v in relu(v[0]) }
        let result = try program.run([TensorValue([1, -2, 3, -1])], seed: TensorValue([4, -1, 5, 9]))
        #expect(result.value.scalars == [1, 0, 3, 0])
        #expect(result.gradients[0].scalars == [4, 0, 5, 0])
    }

    @Test func matrixProduct() throws {
        let x = try TensorValue(rows: [[2, 1, -3], [-3, 4, 2]])
        let w = try TensorValue(rows: [[3, 2, 1, -1], [2, 1, 3, 2], [3, 2, 1, -2]])
        let upstream = try TensorValue(rows: [[2, 3, -3, 9], [-8, 1, 4, 6]])
        let program = try Program(inputShapes: [[2, 3], [3, 4]], gradientsFor: [0, 1]) { v in matmul(v[0], v[1]) }
        let result = try program.run([x, w], seed: upstream)
        #expect(result.gradients[0] == (try TensorValue(rows: [[0, 16, -9], [-24, 9, -30]])))
        // ∂L/∂W = Xᵀ·upstream
        var expected = [Double](repeating: 0, count: 12)
        for i in 0..<3 { for j in 0..<4 { for k in 0..<2 { expected[i * 4 + j] += x[k, i] * upstream[k, j] } } }
        #expect(result.gradients[1] == (try TensorValue(shape: [3, 4], rowMajor: expected)))
    }
}

private func _exp(_ x: Double) -> Double { Foundation.exp(x) }
import Foundation
