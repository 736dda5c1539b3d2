import SparseJacobian

/// y = f(x) elementwise. Jacobian: diagonal, d = f′ computed from the one saved
/// value it needs (the input or the output); identity when f′ is constantly 1.
/// The output may take the input's buffer when the input dies here.
public struct ElementwiseUnary: DifferentiableOperation {
    /// An array kernel writing d[0..<count] from one saved value.
    public typealias SlopeKernel = (_ saved: UnsafePointer<Double>, _ d: UnsafeMutablePointer<Double>, _ count: Int) -> Void

    /// f′: a constant, or computed from one saved value by an array kernel, or
    /// from either of two saved values (the input or the output), whichever the
    /// schedule keeps anyway.
    public enum Slope {
        case constant(Double)
        case from(SavedValue, SlopeKernel)
        case fromEither(SavedValue, SlopeKernel, or: SavedValue, SlopeKernel)
    }

    public let name: String
    let value: (_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ count: Int) -> Void
    let slope: Slope

    /// An elementwise op from an array kernel `value` writing y = f(x) and its slope.
    public init(name: String, slope: Slope,
                value: @escaping (_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ count: Int) -> Void) {
        self.name = name
        self.value = value
        self.slope = slope
    }

    /// A custom elementwise op from scalar functions f and f′(x) (users' ops).
    /// Cost: one call of each closure per element.
    public init(name: String, _ f: @escaping @Sendable (Double) -> Double, derivative: @escaping @Sendable (Double) -> Double) {
        self.init(name: name, slope: .from(.input(0)) { x, d, n in map(x, d, n, derivative) }) { x, y, n in map(x, y, n, f) }
    }

    public func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] { inputs[0] }

    public func forward(_ a: ForwardArguments) {
        let x = a.input(0), y = a.output
        forEachRange(a.count) { _, r in value(x + r.lowerBound, y + r.lowerBound, r.count) }
    }

    public func derivative(forInput index: Int) -> Derivative {
        switch slope {
        case .constant(1):
            return .identity
        case let .constant(c):
            return .diagonal(DiagonalDerivative(reads: []) { _, n, d in d.update(repeating: c, count: n) })
        case let .from(saved, kernel):
            return .diagonal(DiagonalDerivative(reads: [saved]) { operands, n, d in kernel(operands[0], d, n) })
        case let .fromEither(first, kernel, second, otherKernel):
            return .diagonal(DiagonalDerivative(
                forms: .init(reads: [first]) { operands, n, d in kernel(operands[0], d, n) },
                .init(reads: [second]) { operands, n, d in otherKernel(operands[0], d, n) }))
        }
    }

    /// J = diag(f′(x)), or I when f′ ≡ 1.
    public func jacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        if case .constant(1) = slope { return .identity(size: Shape.count(outputShape)) }
        return .diagonal(size: Shape.count(outputShape))
    }

    public var inPlaceInputs: [Int] { [0] }

    /// Recomputed freely: one pass, about 10 flops per element (a transcendental function).
    public func recomputation(inputShapes: [[Int]], outputShape: [Int]) -> Recomputation {
        .streaming(inputShapes: inputShapes, outputShape: outputShape, flopsPerElement: 10)
    }
}

extension ElementwiseUnary: ElementwiseKernel {
    func evaluate(_ operands: DiagonalOperands, count: Int, into output: UnsafeMutablePointer<Double>) {
        value(operands[0], output, count)
    }
}

/// y[k] = f(x[k]) for k < count; inlined so that each op's loop is specialized.
@inline(__always)
func map(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ count: Int, _ f: (Double) -> Double) {
    for k in 0..<count { y[k] = f(x[k]) }
}
