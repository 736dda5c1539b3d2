import SparseJacobian

/// Inputs joined along one axis (other extents equal). Jacobian per input: a
/// 0/1 selection, applied by its rule (the matching slice of the gradient).
/// Saves nothing. Cost: one pass over the output each way.
struct Concatenate: DifferentiableOperation {
    let axis: Int
    var name: String { "concatenate" }

    /// Recomputed freely: one pass over the output.
    func recomputation(inputShapes: [[Int]], outputShape: [Int]) -> Recomputation {
        .streaming(inputShapes: inputShapes, outputShape: outputShape, flopsPerElement: 0)
    }

    func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] {
        guard let first = inputs.first else {
            throw .invalidArgument(op: name, shape: [], reason: "nothing to concatenate")
        }
        guard let a = Shape.axis(axis, rank: first.count) else { throw .invalidAxis(op: name, axis: axis, shape: first) }
        var shape = first
        shape[a] = 0
        for input in inputs {
            var other = input
            guard other.count == first.count else {
                throw .shapeMismatch(op: name, shapes: inputs, reason: "ranks differ")
            }
            other[a] = 0
            guard other == shape.enumerated().map({ $0.offset == a ? 0 : $0.element }) else {
                throw .shapeMismatch(op: name, shapes: inputs, reason: "extents differ off axis \(a)")
            }
            let (extent, overflow) = shape[a].addingReportingOverflow(input[a])
            guard !overflow else { throw .sizeOverflow(op: name, shape: shape) }
            shape[a] = extent
        }
        return try Shape.validated(shape, op: name)
    }

    func forward(_ f: ForwardArguments) {
        let a = Shape.axis(axis, rank: f.outputShape.count)!
        let out = AxisBlocks(shape: f.outputShape, axis: a)
        var offset = 0
        for k in f.node.inputShapes.indices {
            let blocks = AxisBlocks(shape: f.inputShape(k), axis: a)
            AxisBlocks.copy(f.input(k), blocks, from: 0, to: f.output, out, at: offset, count: blocks.length,
                            accumulate: false)
            offset += blocks.length
        }
    }

    func derivative(forInput index: Int) -> Derivative {
        .dense(DenseDerivative(reads: []) { b in
            let a = Shape.axis(axis, rank: b.outputShape.count)!
            let offset = (0..<index).reduce(0) { $0 + b.inputShape($1)[a] }
            let blocks = AxisBlocks(shape: b.inputShape(index), axis: a)
            AxisBlocks.copy(b.upstream, AxisBlocks(shape: b.outputShape, axis: a), from: offset, to: b.gradient, blocks,
                            at: 0, count: blocks.length, accumulate: b.accumulate)
        })
    }

    /// J for operand `index`: the selection of its elements into its range along
    /// the axis; rows of the other operands are zero.
    func jacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        let a = Shape.axis(axis, rank: outputShape.count)!
        let offset = inputShapes[..<index].reduce(0) { $0 + $1[a] }
        let blocks = AxisBlocks(shape: inputShapes[index], axis: a)
        return .selection(AxisBlocks.selection(into: AxisBlocks(shape: outputShape, axis: a), at: offset, from: blocks, at: 0,
                                     count: blocks.length))
    }
}
