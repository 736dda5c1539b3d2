/// y = x broadcast to `shape` (NumPy rules: axes aligned at the end, extent 1
/// repeated). Jacobian: a 0/1 matrix with one 1 per row; applied by its rule, the
/// sum of the gradient back over the repeated axes, which is the one place where
/// the gradient of a broadcast operand is reduced. Saves nothing. Cost: one pass
/// over the output each way.
struct BroadcastTo: Operation {
    let shape: [Int]
    var name: String { "broadcast" }

    func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] {
        guard inputs[0].count <= shape.count, Shape.broadcast(inputs[0], shape) == shape else {
            throw .shapeMismatch(op: name, shapes: [inputs[0], shape], reason: "cannot broadcast")
        }
        return shape
    }

    func forward(_ a: ForwardArguments) {
        map(a.inputShape(0)).expand(a.input(0), into: a.output, accumulate: false)
    }

    func derivative(forInput index: Int) -> Derivative {
        .dense(DenseDerivative(reads: []) { b in
            map(b.inputShape(0)).reduce(b.upstream, into: b.gradient, accumulate: b.accumulate)
        })
    }

    private func map(_ input: [Int]) -> BroadcastMap {
        BroadcastMap(shape: shape, small: BroadcastMap.aligned(input, toRank: shape.count))
    }
}
