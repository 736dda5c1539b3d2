import CVectorMath
import SparseJacobian

/// x + s or x ⊙ s for a tensor x and a one-element tensor s (in either operand
/// position), without materializing s broadcast to x's shape.
///
/// Jacobians: for x, identity (add) or diag(s) (multiply, d filled from s);
/// for s, a dense row applied by its rule, Σ g (add) or Σ g ⊙ x (multiply).
/// Saves s for x's gradient and x for s's (multiply only). Cost: one pass each way.
struct ScalarBinary: DifferentiableOperation {
    enum Kind { case add, multiply }
    let kind: Kind
    /// Which operand (0 or 1) is the one-element one.
    let scalarIndex: Int
    var name: String { kind == .add ? "add scalar" : "multiply scalar" }
    private var tensorIndex: Int { 1 - scalarIndex }

    func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] {
        guard Shape.count(inputs[scalarIndex]) == 1 else {
            throw .shapeMismatch(op: name, shapes: inputs, reason: "operand \(scalarIndex) must have one element")
        }
        guard inputs[scalarIndex].count <= inputs[tensorIndex].count else {
            throw .shapeMismatch(op: name, shapes: inputs, reason: "the one-element operand has the larger rank")
        }
        return inputs[tensorIndex]
    }

    func forward(_ a: ForwardArguments) {
        let x = a.input(tensorIndex), s = a.input(scalarIndex)[0], y = a.output
        forEachRange(a.count) { _, r in apply(x + r.lowerBound, s, y + r.lowerBound, r.count) }
    }

    /// y[k] = x[k] + s or x[k]·s for k < count (vector kernels; the same bits as the plain loop).
    private func apply(_ x: UnsafePointer<Double>, _ s: Double, _ y: UnsafeMutablePointer<Double>, _ count: Int) {
        switch kind {
        case .add: vm_shift_into(y, x, s, count)
        case .multiply: vm_scale_into(y, x, s, count, 0)
        }
    }

    func derivative(forInput index: Int) -> Derivative {
        let tensor = tensorIndex
        if index == tensor {
            guard kind == .multiply else { return .identity }
            return .diagonal(DiagonalDerivative(reads: [.input(scalarIndex)]) { o, n, d in
                d.update(repeating: o.scalar(0), count: n)
            })
        }
        let reads: [SavedValue] = kind == .multiply ? [.input(tensor)] : []
        return .dense(DenseDerivative(reads: reads) { [kind] b in
            let g = b.upstream, n = Shape.count(b.outputShape)
            var sum = 0.0
            if kind == .multiply {
                let x = b.saved(.input(tensor))
                for k in 0..<n { sum += g[k] * x[k] }
            } else {
                for k in 0..<n { sum += g[k] }
            }
            if b.accumulate { b.gradient[0] += sum } else { b.gradient[0] = sum }
        })
    }

    /// For x, I or diag(s); for the one-element s, a dense n×1 column (every
    /// output depends on s; Jᵀ is the dense row Σ g or Σ g ⊙ x).
    func jacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        let n = Shape.count(outputShape)
        if index == scalarIndex { return .dense(rows: n, columns: 1) }
        return kind == .add ? .identity(size: n) : .diagonal(size: n)
    }

    var inPlaceInputs: [Int] { [tensorIndex] }

    /// Recomputed freely: one pass, one flop per element.
    func recomputation(inputShapes: [[Int]], outputShape: [Int]) -> Recomputation {
        .streaming(inputShapes: inputShapes, outputShape: outputShape)
    }
}

extension ScalarBinary: ElementwiseKernel {
    var scalarInputs: Set<Int> { [scalarIndex] }

    func evaluate(_ operands: DiagonalOperands, count: Int, into output: UnsafeMutablePointer<Double>) {
        apply(operands[tensorIndex], operands.scalar(scalarIndex), output, count)
    }

    /// Add: 1 for both operands (the scalar's gradient is Σ g). Multiply: the
    /// other operand, x[k] for the scalar (its gradient is Σ g ⊙ x) and s for x.
    func elementSlope(forInput index: Int) -> ElementSlope {
        kind == .add ? .one : .operand(1 - index)
    }
}
