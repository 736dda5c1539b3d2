import SparseJacobian

/// Reductions and shape ops on traced tensors.
extension Tensor {
    /// Σ of all elements (a scalar).
    public func sum() -> Tensor { tracer.apply(Sum(axes: .all, inputShape: shape), [self]) }
    /// Σ along an axis (negative counts from the end).
    public func sum(axis: Int, keepDimension: Bool = false) -> Tensor {
        tracer.apply(Sum(axes: .axis(axis, keepDimension: keepDimension), inputShape: shape), [self])
    }
    /// Mean of all elements: Σx / count, so NaN (0/0) for an empty tensor, as NumPy's.
    public func mean() -> Tensor { sum() * (1 / Double(count)) }
    /// Mean along an axis: NaN for each slice when the axis has length 0.
    public func mean(axis: Int, keepDimension: Bool = false) -> Tensor {
        guard let a = Shape.axis(axis, rank: rank) else {
            tracer.record(.invalidAxis(op: "mean", axis: axis, shape: shape))
            return self
        }
        return sum(axis: a, keepDimension: keepDimension) * (1 / Double(shape[a]))
    }
    /// Maximum of all elements; the gradient goes to the first arg-max (column-major order).
    public func max() -> Tensor { tracer.apply(Max(axes: .all, inputShape: shape), [self]) }
    /// Maximum along an axis; the gradient goes to the first arg-max of each slice.
    public func max(axis: Int, keepDimension: Bool = false) -> Tensor {
        tracer.apply(Max(axes: .axis(axis, keepDimension: keepDimension), inputShape: shape), [self])
    }

    /// The same elements in another shape.
    public func reshaped(_ shape: [Int]) -> Tensor { tracer.apply(Reshape(shape: shape), [self]) }
    /// The transpose of a matrix.
    public func transposed() -> Tensor { tracer.apply(Transpose(), [self]) }
    /// Broadcast to a shape (NumPy rules); no op when the shape is already that.
    public func broadcast(to shape: [Int]) -> Tensor {
        shape == self.shape ? self : tracer.apply(BroadcastTo(shape: shape, inputShape: self.shape), [self])
    }
    /// The elements at `range` along `axis`.
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor { tracer.apply(Slice(axis: axis, range: range), [self]) }

    /// Rows (axis 0) picked by index, repeats allowed: y[k, …] = x[indices[k], …].
    /// Jacobian: sparse, a 0/1 selection, applied through CHOLMOD.
    public func gathering(rows indices: [Int]) -> Tensor {
        let n = shape.first ?? 0
        return tracer.apply({ () throws(EngineError) in
            let s = try Self.selection(rows: indices.count, columns: n, pairs: indices.enumerated().map { ($0.offset, $0.element) },
                                       op: "gather", shape: shape)
            return SparseLinearMap(name: "gather", matrix: s, flattensInput: false, inputShape: shape)
        }, [self], fallback: self)
    }

    /// Rows added into a tensor of `count` rows at `indices` (repeats add):
    /// y[indices[k], …] += x[k, …]. The adjoint of `gathering`; Jacobian sparse.
    public func scatteringRows(into count: Int, at indices: [Int]) -> Tensor {
        tracer.apply({ () throws(EngineError) in
            let s = try Self.selection(rows: count, columns: indices.count,
                                       pairs: indices.enumerated().map { ($0.element, $0.offset) }, op: "scatter", shape: shape)
            return SparseLinearMap(name: "scatter", matrix: s, flattensInput: false, inputShape: shape)
        }, [self], fallback: self)
    }

    /// Tensors joined along an axis. An empty list has no trace to record an
    /// error in, so it throws `EngineError.invalidArgument` here; every other
    /// error is recorded and thrown when the program is built, as for any op.
    public static func concatenate(_ tensors: [Tensor], axis: Int) throws(EngineError) -> Tensor {
        guard let first = tensors.first else {
            throw .invalidArgument(op: "concatenate", shape: [], reason: "nothing to concatenate")
        }
        return first.tracer.apply(Concatenate(axis: axis), tensors)
    }

    /// A rows×columns 0/1 matrix with ones at (row, column) pairs (repeats add).
    static func selection(rows: Int, columns: Int, pairs: [(Int, Int)], op: String,
                          shape: [Int]) throws(EngineError) -> SparseMatrix {
        do {
            return try SparseMatrix(rows: rows, columns: columns, rowIndices: pairs.map(\.0),
                                    columnIndices: pairs.map(\.1), values: [Double](repeating: 1, count: pairs.count))
        } catch {
            throw .invalidArgument(op: op, shape: shape, reason: "\(error)")
        }
    }
}
