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
    /// Jacobian: sparse, a 0/1 selection, applied through CHOLMOD. The selection
    /// is stored by rows (as its transpose, one column per index), so it costs
    /// O(indices) whatever the number of rows of x (2^31 rows of width 0 included).
    public func gathering(rows indices: [Int]) -> Tensor {
        let n = shape.first ?? 0
        return tracer.apply({ () throws(EngineError) in
            let s = try Self.onePerColumn(rows: n, at: indices, op: "gather", shape: shape)
            return SparseLinearMap(name: "gather", matrix: s, flattensInput: false, inputShape: shape, byRows: true)
        }, [self], fallback: self)
    }

    /// Rows added into a tensor of `count` rows at `indices` (repeats add):
    /// y[indices[k], …] += x[k, …]. The adjoint of `gathering`; Jacobian sparse.
    /// The matrix has one column per index: O(indices) to build.
    public func scatteringRows(into count: Int, at indices: [Int]) -> Tensor {
        tracer.apply({ () throws(EngineError) in
            let s = try Self.onePerColumn(rows: count, at: indices, op: "scatter", shape: shape)
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

    /// The rows × indices.count 0/1 matrix whose column k is e_{indices[k]},
    /// built directly in compressed columns. Cost: O(indices), none per row.
    static func onePerColumn(rows: Int, at indices: [Int], op: String, shape: [Int]) throws(EngineError) -> SparseMatrix {
        if let k = indices.firstIndex(where: { $0 < 0 || $0 >= rows }) {
            throw .invalidArgument(op: op, shape: shape, reason: "index \(indices[k]) at position \(k) outside 0..<\(rows)")
        }
        do {
            let pattern = try SparsityPattern(rows: rows, columns: indices.count, columnPointers: Array(0...indices.count),
                                              rowIndices: indices)
            return try SparseMatrix(pattern: pattern, values: [Double](repeating: 1, count: indices.count))
        } catch {
            throw .invalidArgument(op: op, shape: shape, reason: "\(error)")
        }
    }
}
