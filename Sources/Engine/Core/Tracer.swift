import SparseJacobian

/// Records the user's function as a graph while it runs once on symbolic tensors.
///
/// Shape errors do not interrupt the user's code: the first one is kept, later
/// ops on its result are recorded as usual, and compiling the program throws it.
/// That keeps traced code free of `try` (`(x + y) * z` reads as on paper) while
/// every mismatch still surfaces as a typed error naming the op and the shapes.
public final class Tracer {
    var graph = Graph()
    private(set) var firstError: EngineError?
    var inputCount = 0
    /// The program's CHOLMOD context: sparse factorizations are analysed in it while tracing.
    public let context: CholmodContext

    init(context: CholmodContext) { self.context = context }

    func input(shape: [Int]) -> Tensor {
        defer { inputCount += 1 }
        return Tensor(id: graph.append(.input(index: inputCount), shape: shape), shape: shape, tracer: self)
    }

    /// A constant tensor in the traced function.
    public func constant(_ value: TensorValue) -> Tensor {
        Tensor(id: graph.append(.constant(value), shape: value.shape), shape: value.shape, tracer: self)
    }

    /// Records `op` applied to `inputs`; on a shape error, keeps the error and
    /// returns a tensor shaped like the first input so that tracing can go on.
    public func apply(_ op: any DifferentiableOperation, _ inputs: [Tensor]) -> Tensor {
        guard inputs.allSatisfy({ $0.tracer === self }) else {
            record(.mixedTraces(op: op.name))
            return constant(TensorValue(0))
        }
        let shape: [Int]
        do {
            shape = try op.outputShape(for: inputs.map(\.shape))
        } catch {
            record(error)
            shape = inputs.first?.shape ?? []
        }
        let id = graph.append(.operation(op, inputs: inputs.map(\.id)), shape: shape)
        return Tensor(id: id, shape: shape, tracer: self)
    }

    /// Keeps the first error of the trace.
    func record(_ error: EngineError) {
        if firstError == nil { firstError = error }
    }

    /// Applies an op whose construction may fail (it validates arguments or
    /// analyses a matrix); on failure the error is kept and `fallback` returned.
    func apply(_ make: () throws(EngineError) -> any DifferentiableOperation, _ inputs: [Tensor], fallback: Tensor) -> Tensor {
        do {
            return apply(try make(), inputs)
        } catch {
            record(error)
            return fallback
        }
    }

    /// An elementwise binary op with NumPy broadcasting made explicit: operands
    /// of another shape are broadcast first, so the op's Jacobians stay diagonal
    /// and the broadcast's rule sums the gradient back.
    func broadcasting(_ op: ElementwiseBinary, _ a: Tensor, _ b: Tensor) -> Tensor {
        guard let shape = Shape.broadcast(a.shape, b.shape) else {
            record(.shapeMismatch(op: op.name, shapes: [a.shape, b.shape], reason: "cannot broadcast"))
            return a
        }
        // A one-element operand of add or multiply is read as a scalar, not broadcast.
        if a.shape != b.shape, let kind = op.scalarKind {
            if b.count == 1, a.shape == shape { return apply(ScalarBinary(kind: kind, scalarIndex: 1), [a, b]) }
            if a.count == 1, b.shape == shape { return apply(ScalarBinary(kind: kind, scalarIndex: 0), [a, b]) }
        }
        return apply(op, [a.broadcast(to: shape), b.broadcast(to: shape)])
    }
}

/// A symbolic tensor: a node of the graph being traced, with its shape.
/// Arithmetic on it records ops (see the `Tensor+…` files).
public struct Tensor {
    let id: Int
    /// The shape, known at trace time.
    public let shape: [Int]
    /// The trace it belongs to; use it for constants.
    public let tracer: Tracer

    /// Number of elements.
    public var count: Int { Shape.count(shape) }
    /// Number of axes.
    public var rank: Int { shape.count }
}
