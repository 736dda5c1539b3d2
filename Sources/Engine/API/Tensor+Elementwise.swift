/// Elementwise functions of traced tensors; each is one op with a diagonal
/// Jacobian (see `ElementwiseUnary` for f′ and what it saves).
public func exp(_ x: Tensor) -> Tensor { x.tracer.apply(ElementwiseUnary.exp, [x]) }
public func log(_ x: Tensor) -> Tensor { x.tracer.apply(ElementwiseUnary.log, [x]) }
public func sqrt(_ x: Tensor) -> Tensor { x.tracer.apply(ElementwiseUnary.sqrt, [x]) }
public func tanh(_ x: Tensor) -> Tensor { x.tracer.apply(ElementwiseUnary.tanh, [x]) }
public func sigmoid(_ x: Tensor) -> Tensor { x.tracer.apply(ElementwiseUnary.sigmoid, [x]) }
public func relu(_ x: Tensor) -> Tensor { x.tracer.apply(ElementwiseUnary.relu, [x]) }
public func abs(_ x: Tensor) -> Tensor { x.tracer.apply(ElementwiseUnary.abs, [x]) }
public func square(_ x: Tensor) -> Tensor { x.tracer.apply(ElementwiseUnary.square, [x]) }
public func softplus(_ x: Tensor) -> Tensor { x.tracer.apply(ElementwiseUnary.softplus, [x]) }
/// xᶜ for a constant exponent c.
public func pow(_ x: Tensor, _ c: Double) -> Tensor { x.tracer.apply(ElementwiseUnary.power(c), [x]) }

extension Tensor {
    /// A custom elementwise op from f and its derivative f′ (a diagonal Jacobian);
    /// it saves its input. Cost: one closure call per element each way.
    ///
    /// Both closures must be `@Sendable`: on tensors of more than 32768
    /// elements the engine calls them from several threads at once, on disjoint
    /// chunks, in no set order. Keep them pure functions of their argument; a
    /// closure with mutable state must protect it itself (a lock or an atomic).
    public func elementwise(_ name: String, _ f: @escaping @Sendable (Double) -> Double,
                            derivative: @escaping @Sendable (Double) -> Double) -> Tensor {
        tracer.apply(ElementwiseUnary(name: name, f, derivative: derivative), [self])
    }
}
