import CSuiteSparse

/// Dense products on OpenBLAS's cblas, column-major.
public enum BLAS {
    /// C = α·op(A)·op(B) + β·C with op(A) m×k, op(B) k×n, C m×n (`cblas_dgemm`);
    /// leading dimensions are the stored row counts. With β = 0, C is
    /// overwritten. Cost: 2·m·n·k flops.
    public static func gemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                            alpha: Double = 1, _ a: UnsafePointer<Double>, lda: Int,
                            _ b: UnsafePointer<Double>, ldb: Int, beta: Double = 0,
                            _ c: UnsafeMutablePointer<Double>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            // BLAS leaves C·β alone only for β ≠ 0 in some builds; be explicit.
            for j in 0..<n { for i in 0..<m { c[i + j * ldc] = beta == 0 ? 0 : beta * c[i + j * ldc] } }
            return
        }
        cblas_dgemm(CblasColMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(max(lda, 1)), b, Int32(max(ldb, 1)), beta, c,
                    Int32(max(ldc, 1)))
    }

    /// OpenBLAS's thread count (`openblas_get_num_threads` /
    /// `openblas_set_num_threads`), for the whole process.
    ///
    /// The library leaves it at OpenBLAS's default (one thread per core): BLAS is
    /// called only from the calling thread (CHOLMOD's supernodal factorization and
    /// solves, `gemm`), never from inside a `ParallelLoop` body, so OpenBLAS's
    /// threads and the library's workers take turns rather than compete. See the
    /// README's sparse-bench figures for the measurement behind this.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(newValue, 1))) }
    }
}
