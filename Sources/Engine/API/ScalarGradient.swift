/// Value and gradient of a scalar function of scalars, for small examples:
///
/// ```swift
/// let (f, df) = try valueAndGradient(at: [-2, 5, -4]) { v in (v[0] + v[1]) * v[2] }
/// // f == -12, df == [-4, -4, 3]
/// ```
///
/// Traces `f` once on scalar tensors and runs it; for repeated runs compile a
/// `Program` instead.
public func valueAndGradient(at point: [Double], _ f: ([Tensor]) throws -> Tensor) throws -> (value: Double, gradient: [Double]) {
    let program = try Program(inputShapes: point.map { _ in [] }, gradientsFor: Array(point.indices), f)
    guard program.outputShape.isEmpty || Shape.count(program.outputShape) == 1 else {
        throw EngineError.seedMismatch(outputShape: program.outputShape, seedShape: nil)
    }
    let result = try program.run(point.map { TensorValue($0) })
    return (result.value.scalar, result.gradients.map(\.scalar))
}
