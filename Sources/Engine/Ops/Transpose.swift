import SparseJacobian

/// The transpose of a matrix. Jacobian: a permutation, applied by its rule (the
/// gradient transposed back). Saves nothing. Cost: one strided pass.
struct Transpose: DifferentiableOperation {
    var name: String { "transpose" }

    /// Recomputed freely: one strided pass.
    func recomputation(inputShapes: [[Int]], outputShape: [Int]) -> Recomputation {
        .streaming(inputShapes: inputShapes, outputShape: outputShape, flopsPerElement: 0)
    }

    func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] {
        guard inputs[0].count == 2 else {
            throw .invalidArgument(op: name, shape: inputs[0], reason: "transpose takes a matrix (rank 2)")
        }
        return [inputs[0][1], inputs[0][0]]
    }

    func forward(_ a: ForwardArguments) {
        let shape = a.inputShape(0)
        Self.transpose(a.input(0), rows: shape[0], columns: shape[1], into: a.output, accumulate: false)
    }

    func derivative(forInput index: Int) -> Derivative {
        .dense(DenseDerivative(reads: []) { b in
            let shape = b.outputShape
            Self.transpose(b.upstream, rows: shape[0], columns: shape[1], into: b.gradient, accumulate: b.accumulate)
        })
    }

    /// J: the permutation taking element (i, j) of x to (j, i) of y.
    func jacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        let (rows, columns) = (inputShapes[0][0], inputShapes[0][1])
        var sources = [Int](repeating: 0, count: rows * columns)
        if rows > 0 { for j in 0..<columns { for i in 0..<rows { sources[j + i * columns] = i + j * rows } } }
        return .selection(Selection(uncheckedColumns: rows * columns, sources: sources))
    }

    /// out (+)= xᵀ for a column-major rows×columns x. An empty matrix visits
    /// nothing (not its 2^56 empty columns).
    static func transpose(_ x: UnsafePointer<Double>, rows: Int, columns: Int, into out: UnsafeMutablePointer<Double>,
                          accumulate: Bool) {
        guard rows > 0 else { return }
        for j in 0..<columns {
            for i in 0..<rows {
                let v = x[i + j * rows]
                if accumulate { out[j + i * columns] += v } else { out[j + i * columns] = v }
            }
        }
    }
}
