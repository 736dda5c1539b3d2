/// Arithmetic on traced tensors, with NumPy broadcasting. Each operator records
/// one op (subtraction and division are composed: x + (−y), x·y⁻¹).
extension Tensor {
    /// x + y. Jacobians: identity, identity (after broadcasting).
    public static func + (x: Tensor, y: Tensor) -> Tensor { x.tracer.broadcasting(.add, x, y) }
    /// x − y = x + (−y).
    public static func - (x: Tensor, y: Tensor) -> Tensor { x + (-y) }
    /// x ⊙ y. Jacobians: diag(y), diag(x).
    public static func * (x: Tensor, y: Tensor) -> Tensor { x.tracer.broadcasting(.multiply, x, y) }
    /// x / y = x ⊙ y⁻¹.
    public static func / (x: Tensor, y: Tensor) -> Tensor { x * pow(y, -1) }
    /// −x. Jacobian: diag(−1).
    public static prefix func - (x: Tensor) -> Tensor { x.tracer.apply(ElementwiseUnary.negate, [x]) }

    /// x + c. Jacobian: identity.
    public static func + (x: Tensor, c: Double) -> Tensor { x.tracer.apply(ElementwiseUnary.shift(c), [x]) }
    public static func + (c: Double, x: Tensor) -> Tensor { x + c }
    public static func - (x: Tensor, c: Double) -> Tensor { x + (-c) }
    public static func - (c: Double, x: Tensor) -> Tensor { -x + c }
    /// c·x. Jacobian: diag(c).
    public static func * (x: Tensor, c: Double) -> Tensor { x.tracer.apply(ElementwiseUnary.scale(c), [x]) }
    public static func * (c: Double, x: Tensor) -> Tensor { x * c }
    public static func / (x: Tensor, c: Double) -> Tensor { x * (1 / c) }
    /// c / x = c·x⁻¹.
    public static func / (c: Double, x: Tensor) -> Tensor { pow(x, -1) * c }
}

/// max(x, y) elementwise, with broadcasting; the gradient goes to the larger (x on ties).
public func maximum(_ x: Tensor, _ y: Tensor) -> Tensor { x.tracer.broadcasting(.maximum, x, y) }
/// min(x, y) elementwise, with broadcasting; the gradient goes to the smaller (x on ties).
public func minimum(_ x: Tensor, _ y: Tensor) -> Tensor { x.tracer.broadcasting(.minimum, x, y) }
