import SparseJacobian

/// C = A·B for A m×k and B k×n, on BLAS (`cblas_dgemm`). Jacobians: Kronecker
/// products with dense blocks (Bᵀ ⊗ I_m, I_n ⊗ A), applied by their rules:
/// ∂L/∂A = G·Bᵀ (saves B) and ∂L/∂B = Aᵀ·G (saves A), each one more dgemm.
/// Cost: 2mnk flops per product.
struct MatrixProduct: DifferentiableOperation {
    var name: String { "matmul" }

    /// Expensive: 2mnk flops (BLAS), recomputed only when memory is what matters.
    func recomputation(inputShapes: [[Int]], outputShape: [Int]) -> Recomputation {
        let (m, k, n) = (inputShapes[0][0], inputShapes[0][1], inputShapes[1][1])
        let streaming = Recomputation.streaming(.expensive, inputShapes: inputShapes, outputShape: outputShape, flopsPerElement: 0)
        return Recomputation(rule: .expensive, flops: (2 * m).multipliedClamped(by: n).multipliedClamped(by: k),
                             bytes: streaming.bytes)
    }

    func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] {
        guard inputs[0].count == 2, inputs[1].count == 2, inputs[0][1] == inputs[1][0] else {
            throw .shapeMismatch(op: name, shapes: inputs, reason: "needs m×k and k×n matrices")
        }
        return try Shape.validated([inputs[0][0], inputs[1][1]], op: name)
    }

    func forward(_ f: ForwardArguments) {
        let (m, k, n) = (f.inputShape(0)[0], f.inputShape(0)[1], f.inputShape(1)[1])
        BLAS.gemm(m: m, n: n, k: k, f.input(0), lda: m, f.input(1), ldb: k, f.output, ldc: m)
    }

    func derivative(forInput index: Int) -> Derivative {
        if index == 0 {
            return .dense(DenseDerivative(reads: [.input(1)]) { b in
                let (m, k, n) = (b.inputShape(0)[0], b.inputShape(0)[1], b.inputShape(1)[1])
                // ∂L/∂A (m×k) = G (m×n) · Bᵀ (n×k)
                BLAS.gemm(transposeB: true, m: m, n: k, k: n, b.upstream, lda: m, b.saved(.input(1)), ldb: k,
                          beta: b.accumulate ? 1 : 0, b.gradient, ldc: m)
            })
        }
        return .dense(DenseDerivative(reads: [.input(0)]) { b in
            let (m, k, n) = (b.inputShape(0)[0], b.inputShape(0)[1], b.inputShape(1)[1])
            // ∂L/∂B (k×n) = Aᵀ (k×m) · G (m×n)
            BLAS.gemm(transposeA: true, m: k, n: n, k: m, b.saved(.input(0)), lda: m, b.upstream, ldb: m,
                      beta: b.accumulate ? 1 : 0, b.gradient, ldc: k)
        })
    }

    /// vec(C) = (Bᵀ ⊗ I_m)·vec(A) = (I_n ⊗ A)·vec(B) in column-major order, so
    /// ∂C/∂A = Bᵀ ⊗ I_m and ∂C/∂B = I_n ⊗ A: Kronecker products with dense blocks
    /// (C[i, j] depends on row i of A and on column j of B only).
    func jacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        let (m, k, n) = (inputShapes[0][0], inputShapes[0][1], inputShapes[1][1])
        if index == 0 { return .kronecker(KroneckerBlocks(denseRows: n, columns: k, inner: m)) }
        return .kronecker(KroneckerBlocks(outer: n, denseRows: m, columns: k))
    }
}
