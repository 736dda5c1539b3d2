import Engine
import Foundation
import Testing

/// The SLEEF-backed kernels agree with libm to a couple of ULP, on every
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
        for count in [0, 1, 2, 3, 4, 5, 7, 9, Self.special.count] {
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
