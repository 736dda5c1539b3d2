import Engine
import Foundation
import Testing

/// The SLEEF-backed kernels (8 lanes where the CPU has AVX-512F, 4 with AVX2,
/// then 2 and 1) agree with libm to a couple of ULP, on every
/// length (vector body, 2-wide tail, scalar remainder) and at the edges.
@Suite struct VectorMathTests {
    static let special: [Double] = [0, -0.0, 1e-300, -1e-300, 0.5, -0.5, 1, -1, 20, -20, 700, -700, 710, -745,
                                    800, -800, .infinity, -.infinity, 1e-8, 3.7, -12.25]

    static func ulpDistance(_ a: Double, _ b: Double) -> Double {
        if a == b || (a.isNaN && b.isNaN) { return 0 }
        if !a.isFinite || !b.isFinite { return .infinity }
        return Swift.abs(a - b) / Swift.max(b.ulp, Double.leastNormalMagnitude)
    }

    static func reference(_ name: String, _ x: Double) -> Double {
        switch name {
        case "exp": return Foundation.exp(x)
        case "tanh": return Foundation.tanh(x)
        case "log": return Foundation.log(x)
        case "sigmoid": return 1 / (1 + Foundation.exp(-x))
        default: return Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x)))
        }
    }

    @Test(arguments: ["exp", "tanh", "log", "sigmoid", "softplus"])
    func agreesWithLibm(name: String) throws {
        for count in [0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, Self.special.count] {  // 8 lanes (AVX-512), 4, 2, 1
            var values = Array(Self.special.prefix(count))
            if name == "log" { values = values.map { Swift.abs($0) } }
            let program = try Program(inputShapes: [[values.count]]) { v in
                switch name {
                case "exp": return exp(v[0])
                case "tanh": return tanh(v[0])
                case "log": return log(v[0])
                case "sigmoid": return sigmoid(v[0])
                default: return softplus(v[0])
                }
            }
            let y = try program.value([TensorValue(values)]).scalars
            for (x, got) in zip(values, y) {
                let expected = Self.reference(name, x)
                #expect(Self.ulpDistance(got, expected) <= 2, "\(name)(\(x)) = \(got), libm \(expected)")
            }
        }
    }

    @Test func nanPropagates() throws {
        for f in [exp, tanh, log, sigmoid, softplus] as [(Tensor) -> Tensor] {
            let program = try Program(inputShapes: [[5]]) { v in f(v[0]) }
            #expect(try program.value([TensorValue([1, .nan, 2, 3, .nan])]).scalars[4].isNaN)
        }
    }
}

/// Tensors large enough to be split over threads give the same numbers as the
/// same computation done element by element.
@Suite struct ParallelKernelTests {
    @Test func largeElementwiseChainMatchesElementByElement() throws {
        let n = 200_003
        let x = (0..<n).map { 0.5 * Foundation.sin(0.37 * Double($0)) }
        let program = try Program(inputShapes: [[n], [n]], gradientsFor: [0, 1]) { v in
            (tanh(v[0] * 1.5) * v[1] + relu(v[0])).sum()
        }
        let y = (0..<n).map { 0.1 * Foundation.cos(0.11 * Double($0)) }
        let result = try program.run([TensorValue(x), TensorValue(y)])
        var value = 0.0
        for k in 0..<n {
            let t = Foundation.tanh(1.5 * x[k])
            value += t * y[k] + Swift.max(x[k], 0)
            let dx = (1 - t * t) * 1.5 * y[k] + (x[k] > 0 ? 1 : 0)
            #expect(Swift.abs(result.gradients[0].scalars[k] - dx) <= 1e-15 * Swift.max(1, Swift.abs(dx)) + 4e-16)
            #expect(result.gradients[1].scalars[k] == Self.tanhOfEngine(result, x, k, t))
        }
        #expect(Swift.abs(result.value.scalar - value) <= 1e-10 * Swift.abs(value))
    }

    /// ∂/∂y = tanh(1.5x): the engine's SLEEF tanh is within 1 ULP of libm's.
    static func tanhOfEngine(_ result: ProgramResult, _ x: [Double], _ k: Int, _ libm: Double) -> Double {
        let got = result.gradients[1].scalars[k]
        return Swift.abs(got - libm) <= 2 * libm.ulp ? got : libm
    }
}
