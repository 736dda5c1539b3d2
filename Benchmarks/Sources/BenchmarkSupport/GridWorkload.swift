import SparseJacobian

/// The operands of the sparse kernels on a `side`×`side` grid, built once and
/// reused by every measurement so that only the kernels themselves are timed.
///
/// The matrix is the 5-point Laplacian plus the identity
/// (`try SparseMatrix.gridLaplacian(side:shift: 1)`), n = side², symmetric positive
/// definite. The dense operands are column-major n×`columns` with fixed
/// pseudo-random entries in [−1, 1), so runs are reproducible.
///
/// A class so that the benchmark closures share one set of buffers; like the
/// `CholmodContext` it holds, it must be used by one thread at a time.
public final class GridWorkload {
    /// Grid side; the matrix is side²×side².
    public let side: Int
    /// Columns of the dense operands X, G and Y (the inner dimension of the SDDMM).
    public let columns: Int
    /// The shifted grid Laplacian.
    public let matrix: SparseMatrix
    /// The context every library call of the workload goes through.
    public let context = CholmodContext()

    /// X, n×`columns`: the right operand of A·X and Aᵀ·X and the X of the SDDMM.
    public var x: [Double]
    /// G, n×`columns`: the left operand of the SDDMM.
    public var g: [Double]
    /// Y, n×`columns`: where A·X and Aᵀ·X are written.
    public var y: [Double]
    /// One value per stored entry of A: where the SDDMM is written.
    public var sampled: [Double]
    /// b, length n: the right-hand side of the Cholesky solve.
    public var rhs: [Double]
    /// x = A⁻¹·b, length n: where the solve is written.
    public var solution: [Double]

    /// Number of unknowns, side².
    public var size: Int { matrix.rows }

    /// Builds the matrix and fills the operands. Cost: O(n·columns).
    public init(side: Int, columns: Int) {
        self.side = side
        self.columns = columns
        matrix = try! .gridLaplacian(side: side, shift: 1)  // benchmark sides are small and fixed
        let n = side * side
        var random = SplitMix64(seed: 0x5EED)
        x = random.uniformValues(count: n * columns)
        g = random.uniformValues(count: n * columns)
        rhs = random.uniformValues(count: n)
        y = [Double](repeating: 0, count: n * columns)
        sampled = [Double](repeating: 0, count: matrix.pattern.nonzeroCount)
        solution = [Double](repeating: 0, count: n)
    }

    /// Y = A·X (or Aᵀ·X) through the library's `SparseMatrix.multiply`.
    public func multiply(transposed: Bool = false) throws {
        try x.withUnsafeBufferPointer { xs in
            try y.withUnsafeMutableBufferPointer { ys in
                try matrix.multiply(xs.baseAddress!, columns: columns, into: ys.baseAddress!,
                                    transposed: transposed, context: context)
            }
        }
    }

    /// sampled[p] = Σ_k G[i, k]·X[j, k] for every stored (i, j), through
    /// `SparsityPattern.sampledProduct` (the SDDMM).
    public func sampledProduct() {
        g.withUnsafeBufferPointer { gs in
            x.withUnsafeBufferPointer { xs in
                sampled.withUnsafeMutableBufferPointer { out in
                    matrix.pattern.sampledProduct(gs.baseAddress!, xs.baseAddress!, inner: columns,
                                                  into: out.baseAddress!)
                }
            }
        }
    }

    /// The symbolic analysis of A's pattern with `ordering` (no numeric factor yet).
    public func analyse(ordering: CholeskyOrdering = .automatic(expectedRuns: 1)) throws -> SparseCholesky {
        try SparseCholesky(pattern: matrix.pattern, context: context, ordering: ordering)
    }

    /// sampled = ∂ log det A / ∂(A's values), by selected inversion on a factorized `factor`.
    public func logDeterminantGradient(_ factor: SparseCholesky) throws {
        try sampled.withUnsafeMutableBufferPointer { out in
            try factor.logDeterminantGradient(scale: 1, into: out.baseAddress!, accumulate: false)
        }
    }

    /// Y = X, a plain copy of n·columns doubles: the memory bandwidth yardstick.
    public func copy() {
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in ys.baseAddress!.update(from: xs.baseAddress!, count: xs.count) }
        }
    }

    /// The numeric factorization of A on an analysed `factor`.
    public func factorize(_ factor: SparseCholesky) throws {
        try factor.factorize(values: matrix.values)
    }

    /// solution = A⁻¹·rhs with a factorized `factor`.
    public func solve(_ factor: SparseCholesky) throws {
        try rhs.withUnsafeBufferPointer { b in
            try solution.withUnsafeMutableBufferPointer { s in
                try factor.solve(b.baseAddress!, columns: 1, into: s.baseAddress!)
            }
        }
    }

    /// ‖A·solution − rhs‖∞ / ‖rhs‖∞, to check a solve. Cost: one sparse A·x.
    public func relativeResidual() throws -> Double {
        let product = try matrix.multiplied(by: DenseMatrix(rows: size, columns: 1, values: solution),
                                            context: context)
        var worst = 0.0, scale = 0.0
        for i in 0..<size {
            worst = max(worst, abs(product.values[i] - rhs[i]))
            scale = max(scale, abs(rhs[i]))
        }
        return scale == 0 ? worst : worst / scale
    }
}
