import SparseJacobian

/// y = x broadcast to `shape` (NumPy rules: axes aligned at the end, extent 1
/// repeated). Jacobian: a 0/1 matrix with one 1 per row; applied by its rule, the
/// sum of the gradient back over the repeated axes, which is the one place where
/// the gradient of a broadcast operand is reduced. Saves nothing. Cost: one pass
/// over the output each way.
struct BroadcastTo: DifferentiableOperation {
    let shape: [Int]
    /// The map between the output and the traced input, fixed at trace time.
    let map: BroadcastMap
    var name: String { "broadcast" }

    /// Recomputed freely: one pass over the output.
    func recomputation(inputShapes: [[Int]], outputShape: [Int]) -> Recomputation {
        .streaming(inputShapes: inputShapes, outputShape: outputShape, flopsPerElement: 0)
    }

    init(shape: [Int], inputShape: [Int]) {
        self.shape = shape
        guard Shape.checkedCount(shape) != nil else {
            // `outputShape(for:)` reports the shape; the map is never used.
            map = BroadcastMap(shape: inputShape, small: inputShape)
            return
        }
        let aligned = inputShape.count <= shape.count ? BroadcastMap.aligned(inputShape, toRank: shape.count) : shape
        map = BroadcastMap(shape: shape, small: Shape.broadcast(inputShape, shape) == shape ? aligned : shape)
    }

    func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] {
        try Shape.validate(shape, op: name)
        guard inputs[0].count <= shape.count, Shape.broadcast(inputs[0], shape) == shape else {
            throw .shapeMismatch(op: name, shapes: [inputs[0], shape], reason: "cannot broadcast")
        }
        return shape
    }

    func forward(_ a: ForwardArguments) { map.expand(a.input(0), into: a.output, accumulate: false) }

    func derivative(forInput index: Int) -> Derivative {
        .dense(DenseDerivative(reads: []) { [map] b in map.reduce(b.upstream, into: b.gradient, accumulate: b.accumulate) })
    }

    /// J: the selection of map(i) for each output element i.
    func jacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        .selection(map.selection)
    }
}
