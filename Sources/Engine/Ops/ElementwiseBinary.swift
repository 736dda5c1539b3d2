import SparseJacobian

/// z = f(x, y) elementwise on equal shapes (broadcasting is made explicit by the
/// tracer before the op, so the gradient of a broadcast input is summed back in
/// one place: `BroadcastTo`). Jacobians: identity or diagonal per input.
struct ElementwiseBinary: DifferentiableOperation {
    let name: String
    let value: (_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ z: UnsafeMutablePointer<Double>, _ count: Int) -> Void
    let derivatives: [Derivative]
    /// The scalar form of this op when one operand has one element, if it has one.
    var scalarKind: ScalarBinary.Kind? = nil

    func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] {
        guard inputs[0] == inputs[1] else {
            throw .shapeMismatch(op: name, shapes: inputs, reason: "elementwise operands must have equal shapes")
        }
        return inputs[0]
    }

    func forward(_ a: ForwardArguments) {
        let x = a.input(0), y = a.input(1), z = a.output
        forEachRange(a.count) { _, r in value(x + r.lowerBound, y + r.lowerBound, z + r.lowerBound, r.count) }
    }

    func derivative(forInput index: Int) -> Derivative { derivatives[index] }

    /// J per input: I (add) or diagonal.
    func jacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        if case .identity = derivatives[index] { return .identity(size: Shape.count(outputShape)) }
        return .diagonal(size: Shape.count(outputShape))
    }

    var inPlaceInputs: [Int] { [0, 1] }

    /// Recomputed freely: one pass, one flop per element.
    func recomputation(inputShapes: [[Int]], outputShape: [Int]) -> Recomputation {
        .streaming(inputShapes: inputShapes, outputShape: outputShape)
    }
}

extension ElementwiseBinary: ElementwiseKernel {
    func evaluate(_ operands: DiagonalOperands, count: Int, into output: UnsafeMutablePointer<Double>) {
        value(operands[0], operands[1], output, count)
    }

    /// The product's slope for each operand is the other operand.
    func elementSlope(forInput index: Int) -> ElementSlope {
        scalarKind == .multiply ? .operand(1 - index) : derivedElementSlope(forInput: index)
    }
}

/// z[k] = f(x[k], y[k]); inlined so each op's loop is specialized.
@inline(__always)
func zipMap(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ z: UnsafeMutablePointer<Double>, _ count: Int,
            _ f: (Double, Double) -> Double) {
    for k in 0..<count { z[k] = f(x[k], y[k]) }
}

/// The elementwise binary ops, one declaration each. Subtraction and division
/// are composed (x + (−y), x·y⁻¹), as the design asks.
extension ElementwiseBinary {
    /// x + y. The add gate distributes: both Jacobians are the identity. Saves nothing.
    static var add: ElementwiseBinary { ElementwiseBinary(name: "add", value: { x, y, z, n in zipMap(x, y, z, n, +) },
                                       derivatives: [.identity, .identity], scalarKind: .add) }

    /// x ⊙ y. The multiply gate swaps: ∂z/∂x = diag(y), ∂z/∂y = diag(x). Saves both inputs.
    static var multiply: ElementwiseBinary { ElementwiseBinary(
        name: "multiply", value: { x, y, z, n in zipMap(x, y, z, n, *) },
        derivatives: [
            .diagonal(DiagonalDerivative(reads: [.input(1)]) { o, n, d in d.update(from: o[0], count: n) }),
            .diagonal(DiagonalDerivative(reads: [.input(0)]) { o, n, d in d.update(from: o[0], count: n) }),
        ], scalarKind: .multiply) }

    /// max(x, y). The max gate routes: the larger input gets the gradient; on a
    /// tie, x does. Saves both inputs.
    static var maximum: ElementwiseBinary { ElementwiseBinary(
        name: "maximum", value: { x, y, z, n in zipMap(x, y, z, n) { $0 >= $1 || $0.isNaN ? $0 : $1 } },
        derivatives: routing { $0 >= $1 || $0.isNaN }) }

    /// min(x, y): the smaller input gets the gradient; on a tie, x does. Saves both inputs.
    static var minimum: ElementwiseBinary { ElementwiseBinary(
        name: "minimum", value: { x, y, z, n in zipMap(x, y, z, n) { $0 <= $1 || $0.isNaN ? $0 : $1 } },
        derivatives: routing { $0 <= $1 || $0.isNaN }) }

    /// Diagonal 0/1 Jacobians that send the gradient to x where `xWins(x, y)`, else to y.
    private static func routing(_ xWins: @escaping (Double, Double) -> Bool) -> [Derivative] {
        [
            .diagonal(DiagonalDerivative(reads: [.input(0), .input(1)]) { o, n, d in
                zipMap(o[0], o[1], d, n) { xWins($0, $1) ? 1 : 0 }
            }),
            .diagonal(DiagonalDerivative(reads: [.input(0), .input(1)]) { o, n, d in
                zipMap(o[0], o[1], d, n) { xWins($0, $1) ? 0 : 1 }
            }),
        ]
    }
}
