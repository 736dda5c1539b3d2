import CVectorMath
import Foundation

/// The elementwise unary ops, one declaration each: f′ (and what it reads), then f.
/// Each is diagonal; cost is one evaluation of f (forward) and of f′ (backward)
/// per element.
extension ElementwiseUnary {
    /// −x; d = −1, reads nothing.
    static var negate: ElementwiseUnary { ElementwiseUnary(name: "negate", slope: .constant(-1)) { x, y, n in map(x, y, n) { -$0 } } }
    /// eˣ (SLEEF, vectorized); d = y, saves the output.
    static var exp: ElementwiseUnary { ElementwiseUnary(name: "exp", slope: .from(.output) { y, d, n in d.update(from: y, count: n) }) {
        x, y, n in vm_exp(x, y, n)
    } }
    /// ln x (SLEEF, vectorized); d = 1/x, saves the input.
    static var log: ElementwiseUnary { ElementwiseUnary(name: "log", slope: .from(.input(0)) { x, d, n in map(x, d, n) { 1 / $0 } }) {
        x, y, n in vm_log(x, y, n)
    } }
    /// √x; d = 1/(2y), saves the output.
    static var sqrt: ElementwiseUnary { ElementwiseUnary(name: "sqrt", slope: .from(.output) { y, d, n in map(y, d, n) { 0.5 / $0 } }) {
        x, y, n in map(x, y, n) { $0.squareRoot() }
    } }
    /// tanh x (SLEEF, vectorized); d = 1 − y², saves the output.
    static var tanh: ElementwiseUnary { ElementwiseUnary(name: "tanh", slope: .from(.output) { y, d, n in map(y, d, n) { 1 - $0 * $0 } }) {
        x, y, n in vm_tanh(x, y, n)
    } }
    /// 1/(1 + e⁻ˣ) from e^−|x| (SLEEF, vectorized); d = y(1 − y), saves the output.
    static var sigmoid: ElementwiseUnary { ElementwiseUnary(name: "sigmoid",
                                          slope: .from(.output) { y, d, n in map(y, d, n) { $0 * (1 - $0) } }) {
        x, y, n in vm_sigmoid(x, y, n)
    } }
    /// max(x, 0), NaN for NaN (NaN propagates); d = 1 where x > 0 else 0 (0 at x = 0).
    /// d reads the output (y > 0 exactly where x > 0, NaN in neither) or the
    /// input, whichever the schedule keeps anyway: after a matrix product only
    /// y is kept, written over x.
    static var relu: ElementwiseUnary { ElementwiseUnary(
        name: "relu",
        slope: .fromEither(.output, positiveIndicator, or: .input(0), positiveIndicator)) {
        x, y, n in map(x, y, n) { $0 <= 0 ? 0 : $0 }  // NaN propagates
    } }
    /// |x|; d = sign x (0 at x = 0), saves the input.
    static var abs: ElementwiseUnary { ElementwiseUnary(name: "abs",
                                      slope: .from(.input(0)) { x, d, n in map(x, d, n) { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) } }) {
        x, y, n in map(x, y, n) { Swift.abs($0) }
    } }
    /// x²; d = 2x, saves the input.
    static var square: ElementwiseUnary { ElementwiseUnary(name: "square", slope: .from(.input(0)) { x, d, n in map(x, d, n) { 2 * $0 } }) {
        x, y, n in map(x, y, n) { $0 * $0 }
    } }
    /// ln(1 + eˣ) = max(x, 0) + ln(1 + e^−|x|), without overflow (SLEEF); d = sigmoid(x)
    /// from the input, or d = 1 − e^−y = −expm1(−y) from the output (the same
    /// number: e^−y = 1/(1 + eˣ)), whichever the schedule keeps anyway.
    static var softplus: ElementwiseUnary { ElementwiseUnary(
        name: "softplus",
        slope: .fromEither(.input(0), sigmoidOfInput, or: .output, sigmoidFromSoftplus)) {
        x, y, n in vm_softplus(x, y, n)
    } }

    /// xᶜ for a constant c; d = c·xᶜ⁻¹ (0 for c = 0, also at x = 0 where xᶜ⁻¹ is ∞), saves the input.
    static func power(_ c: Double) -> ElementwiseUnary {
        ElementwiseUnary(name: "pow(\(c))", slope: .from(.input(0)) { x, d, n in map(x, d, n) { c == 0 ? 0 : c * Foundation.pow($0, c - 1) } }) {
            x, y, n in map(x, y, n) { Foundation.pow($0, c) }
        }
    }

    /// c·x for a constant c; d = c, reads nothing.
    static func scale(_ c: Double) -> ElementwiseUnary {
        ElementwiseUnary(name: "scale(\(c))", slope: .constant(c)) { x, y, n in map(x, y, n) { c * $0 } }
    }

    /// x + c for a constant c; identity Jacobian.
    static func shift(_ c: Double) -> ElementwiseUnary {
        ElementwiseUnary(name: "add(\(c))", slope: .constant(1)) { x, y, n in map(x, y, n) { $0 + c } }
    }
}

/// d[k] = 1 where v[k] > 0, else 0 (relu's slope from its input or its output).
private func positiveIndicator(_ v: UnsafePointer<Double>, _ d: UnsafeMutablePointer<Double>, _ n: Int) {
    for k in 0..<n { d[k] = v[k] > 0 ? 1 : 0 }
}

/// d = sigmoid(x) (softplus's slope from its input; SLEEF).
private func sigmoidOfInput(_ x: UnsafePointer<Double>, _ d: UnsafeMutablePointer<Double>, _ n: Int) {
    vm_sigmoid(x, d, n)
}

/// d = 1 − e^−y = −expm1(−y) (softplus's slope from its output y = ln(1 + eˣ)).
private func sigmoidFromSoftplus(_ y: UnsafePointer<Double>, _ d: UnsafeMutablePointer<Double>, _ n: Int) {
    for k in 0..<n { d[k] = -Foundation.expm1(-y[k]) }
}
