import SparseJacobian

/// x[…, start..<end, …] along one axis. Jacobian: a 0/1 selection, applied by its
/// rule (the gradient placed back, zeros elsewhere). Saves nothing.
/// Cost: one pass over the output each way.
struct Slice: DifferentiableOperation {
    let axis: Int
    let range: Range<Int>
    var name: String { "slice" }

    /// Recomputed freely: a selection, one pass over the output.
    func recomputation(inputShapes: [[Int]], outputShape: [Int]) -> Recomputation {
        .streaming(inputShapes: inputShapes, outputShape: outputShape, flopsPerElement: 0)
    }

    func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] {
        guard let a = Shape.axis(axis, rank: inputs[0].count) else {
            throw .invalidAxis(op: name, axis: axis, shape: inputs[0])
        }
        guard range.lowerBound >= 0, range.upperBound <= inputs[0][a] else {
            throw .invalidArgument(op: name, shape: inputs[0], reason: "range \(range) outside axis \(a)")
        }
        var shape = inputs[0]
        shape[a] = range.count
        return shape
    }

    func forward(_ f: ForwardArguments) {
        let a = Shape.axis(axis, rank: f.outputShape.count)!
        AxisBlocks.copy(f.input(0), AxisBlocks(shape: f.inputShape(0), axis: a), from: range.lowerBound,
                        to: f.output, AxisBlocks(shape: f.outputShape, axis: a), at: 0, count: range.count,
                        accumulate: false)
    }

    func derivative(forInput index: Int) -> Derivative {
        .dense(DenseDerivative(reads: []) { b in
            let a = Shape.axis(axis, rank: b.outputShape.count)!
            let inputShape = b.inputShape(0)
            if !b.accumulate { b.gradient.update(repeating: 0, count: Shape.count(inputShape)) }
            AxisBlocks.copy(b.upstream, AxisBlocks(shape: b.outputShape, axis: a), from: 0,
                            to: b.gradient, AxisBlocks(shape: inputShape, axis: a), at: range.lowerBound,
                            count: range.count, accumulate: true)
        })
    }

    /// J: the selection of the sliced range.
    func jacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        let a = Shape.axis(axis, rank: outputShape.count)!
        return .selection(AxisBlocks.selection(into: AxisBlocks(shape: outputShape, axis: a), at: 0,
                                     from: AxisBlocks(shape: inputShapes[0], axis: a), at: range.lowerBound,
                                     count: range.count))
    }
}
