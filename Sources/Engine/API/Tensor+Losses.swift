/// Softmax family and losses, composed from primitives except the stable
/// log-sum-exp.
extension Tensor {
    /// log Σ exp over all elements, stable.
    public func logSumExp() -> Tensor { tracer.apply(LogSumExp(axes: .all, inputShape: shape), [self]) }
    /// log Σ exp along an axis, stable.
    public func logSumExp(axis: Int, keepDimension: Bool = false) -> Tensor {
        tracer.apply(LogSumExp(axes: .axis(axis, keepDimension: keepDimension), inputShape: shape), [self])
    }
    /// (x − m) − log Σ exp(x − m) along an axis, m the maximum (one op, `LogSoftmax`).
    public func logSoftmax(axis: Int) -> Tensor { tracer.apply(LogSoftmax(axis: axis, inputShape: shape), [self]) }
    /// exp(x − m)/Σ exp(x − m) along an axis, m the maximum (one op, `Softmax`).
    public func softmax(axis: Int) -> Tensor { tracer.apply(Softmax(axis: axis, inputShape: shape), [self]) }
}

/// Mean over rows of −log softmax(logits)[i, labels[i]] for logits of shape
/// [batch, classes] and integer labels, as logsumexp(row) − logits[i, label]:
/// the picked entries are a sparse selection (one 1 per row).
public func crossEntropy(logits: Tensor, labels: [Int]) -> Tensor {
    let shape = logits.shape
    guard shape.count == 2, labels.count == shape[0] else {
        logits.tracer.record(.shapeMismatch(op: "cross-entropy", shapes: [shape, [labels.count]],
                                            reason: "needs [batch, classes] logits and one label per row"))
        return logits
    }
    let (batch, classes) = (shape[0], shape[1])
    if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= classes }) {
        logits.tracer.record(.invalidArgument(op: "cross-entropy", shape: shape,
                                              reason: "label \(labels[bad]) of row \(bad) is outside 0..<\(classes)"))
        return logits
    }
    let picked = logits.tracer.apply({ () throws(EngineError) in
        // Stored by rows: column k of Mᵀ picks element (k, labels[k]).
        let s = try Tensor.onePerColumn(rows: batch * classes, at: labels.enumerated().map { $0.offset + $0.element * batch },
                                        op: "pick", shape: shape)
        return SparseLinearMap(name: "pick", matrix: s, flattensInput: true, inputShape: shape, byRows: true)
    }, [logits], fallback: logits)
    return (logits.logSumExp(axis: 1) - picked).mean()
}

/// Mean of (prediction − target)².
public func meanSquaredError(_ prediction: Tensor, _ target: Tensor) -> Tensor {
    square(prediction - target).mean()
}
