import SparseJacobian

/// The same elements under another shape of the same count. Jacobian: identity.
/// Saves nothing. Cost: one copy (the planner may alias it away).
struct Reshape: DifferentiableOperation {
    let shape: [Int]
    var name: String { "reshape" }

    func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] {
        guard try Shape.validate(shape, op: name) == Shape.count(inputs[0]) else {
            throw .shapeMismatch(op: name, shapes: [inputs[0], shape], reason: "element counts differ")
        }
        return shape
    }

    func forward(_ a: ForwardArguments) {
        if a.output != UnsafeMutablePointer(mutating: a.input(0)) { a.output.update(from: a.input(0), count: a.count) }
    }

    func derivative(forInput index: Int) -> Derivative { .identity }

    /// J = I (the same elements in the same storage order).
    func jacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        .identity(size: Shape.count(outputShape))
    }

    var inPlaceInputs: [Int] { [0] }

    /// Recomputed freely: one copy.
    func recomputation(inputShapes: [[Int]], outputShape: [Int]) -> Recomputation {
        .streaming(inputShapes: inputShapes, outputShape: outputShape, flopsPerElement: 0)
    }
}
