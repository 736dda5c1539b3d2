import CSuiteSparse

extension SparseMatrix {
    /// Y = α·op(A)·X + β·Y with op(A) = A or Aᵀ, through `cholmod_l_sdmult`.
    ///
    /// `x` holds op(A).columns × `columns` doubles and `y` op(A).rows × `columns`,
    /// both column-major and contiguous. With β = 0, Y is overwritten (whatever it
    /// held, NaN included). Neither A's arrays nor X are copied.
    /// Cost: 2·nnz·columns flops; memory-bound, nnz·16 + (rows + columns)·8·columns
    /// bytes at least. From 2^18 multiply-adds on, A·X with several columns and
    /// every Aᵀ·X are split over `ParallelLoop.shared` (see `ProductSplit`), with
    /// the same result bit for bit; the parts run on worker contexts owned by
    /// `context`, which stays locked meanwhile.
    public func multiply(_ x: UnsafePointer<Double>, columns: Int, into y: UnsafeMutablePointer<Double>,
                         transposed: Bool = false, alpha: Double = 1, beta: Double = 0,
                         context: CholmodContext) throws(SparseError) {
        try values.withUnsafeBufferPointer { v throws(SparseError) in
            try pattern.multiply(values: v.baseAddress ?? UnsafePointer(bitPattern: 8)!, x, columns: columns, into: y,
                                 transposed: transposed, alpha: alpha, beta: beta, context: context)
        }
    }

    /// α·op(A)·X + β·Y as a new matrix, for tests and small cases.
    public func multiplied(by x: DenseMatrix, transposed: Bool = false, alpha: Double = 1,
                           adding y: DenseMatrix? = nil, beta: Double = 0,
                           context: CholmodContext) throws(SparseError) -> DenseMatrix {
        let (outRows, inRows) = transposed ? (columns, rows) : (rows, columns)
        guard x.rows == inRows else {
            throw .shapeMismatch(operation: transposed ? "sparse Aᵀ·X" : "sparse A·X",
                                 left: transposed ? [columns, rows] : shape, right: x.shape)
        }
        var result = y ?? .zeros(rows: outRows, columns: x.columns)
        guard result.rows == outRows, result.columns == x.columns else {
            throw .shapeMismatch(operation: "sparse α·A·X + β·Y", left: [outRows, x.columns], right: result.shape)
        }
        var failure: SparseError?
        x.values.withUnsafeBufferPointer { xs in
            result.values.withUnsafeMutableBufferPointer { ys in
                do throws(SparseError) {
                    try multiply(xs.baseAddress ?? UnsafePointer(bitPattern: 8)!, columns: x.columns,
                                 into: ys.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!,
                                 transposed: transposed, alpha: alpha, beta: y == nil ? 0 : beta, context: context)
                } catch { failure = error }
            }
        }
        if let failure { throw failure }
        return result
    }

    /// C = A·B through `cholmod_l_ssmult`, sorted, numeric values kept (entries
    /// that cancel to zero stay in the pattern). Cost: O(flops of the product).
    public func multiplied(by b: SparseMatrix, context: CholmodContext) throws(SparseError) -> SparseMatrix {
        guard columns == b.rows else { throw .shapeMismatch(operation: "sparse A·B", left: shape, right: b.shape) }
        return try SparsityPattern.product(pattern, b.pattern, values: (values, b.values), context: context)
    }
}

extension SparsityPattern {
    /// `SparseMatrix.multiply` for a matrix whose `nonzeroCount` values lie at
    /// `values` (in an arena, say) rather than in a `SparseMatrix`.
    ///
    /// Large products are split over `ParallelLoop.shared` (see `ProductSplit`),
    /// each part a `cholmod_l_sdmult` on zero-copy views with a worker context of
    /// its own; the result is bit for bit the one of a single call.
    public func multiply(values: UnsafePointer<Double>, _ x: UnsafePointer<Double>, columns: Int,
                         into y: UnsafeMutablePointer<Double>, transposed: Bool = false, alpha: Double = 1,
                         beta: Double = 0, context: CholmodContext) throws(SparseError) {
        try multiply(values: values, x, columns: columns, into: y, transposed: transposed, alpha: alpha, beta: beta,
                     context: context, maximumParts: ParallelLoop.shared.width)
    }

    /// `multiply` split into at most `maximumParts` parts (1: one CHOLMOD call).
    func multiply(values: UnsafePointer<Double>, _ x: UnsafePointer<Double>, columns: Int,
                  into y: UnsafeMutablePointer<Double>, transposed: Bool, alpha: Double, beta: Double,
                  context: CholmodContext, maximumParts: Int) throws(SparseError) {
        let (outRows, inRows) = transposed ? (self.columns, rows) : (rows, self.columns)
        precondition(columns >= 0, "negative column count")
        if outRows == 0 || columns == 0 { return }
        if inRows == 0 || nonzeroCount == 0 {
            scale(y, count: outRows * columns, by: beta)
            return
        }
        let split = ProductSplit(pattern: self, columns: columns, transposed: transposed,
                                 width: maximumParts)
        let call = SdmultCall(x: x, y: y, inRows: inRows, outRows: outRows, columns: columns,
                              transposed: transposed, alpha: alpha, beta: beta)
        let failed: Int32? = withCholmodSparse(valuePointer: UnsafeMutableRawPointer(mutating: values)) { a in
            if split.parts == 1 {
                return context.withCommon { common in
                    call.run(a.pointee, part: split.whole, common: common) ? nil : common.pointee.status
                }
            }
            return context.withWorkerCommons(split.parts) { commons in
                ParallelLoop.shared.run(parts: split.parts) { k in
                    _ = call.run(a.pointee, part: split.part(k), common: commons[k])
                }
                return (0..<split.parts).lazy.map { commons[$0].pointee.status }.first { $0 < CHOLMOD_OK }
            }
        }
        if let failed { throw .cholmodFailure(call: "cholmod_l_sdmult", status: failed) }
    }

    /// The pattern of A·B for any values (structural product), through
    /// `cholmod_l_ssmult` without values.
    public func multiplied(by b: SparsityPattern, context: CholmodContext) throws(SparseError) -> SparsityPattern {
        guard columns == b.rows else { throw .shapeMismatch(operation: "pattern A·B", left: shape, right: b.shape) }
        return try SparsityPattern.product(self, b, values: nil, context: context).pattern
    }

    /// Shared by the valued and structural products.
    fileprivate static func product(_ a: SparsityPattern, _ b: SparsityPattern, values: ([Double], [Double])?,
                                    context: CholmodContext) throws(SparseError) -> SparseMatrix {
        if a.rows == 0 || b.columns == 0 || a.columns == 0 {
            let empty = SparsityPattern(uncheckedRows: a.rows, columns: b.columns,
                                        columnPointers: [Int](repeating: 0, count: b.columns + 1), rowIndices: [])
            return SparseMatrix(trusted: empty, values: [])
        }
        let (result, status) = context.withCommon { common -> (SparseMatrix?, Int32) in
            let product = a.withCholmodSparse(values: values?.0) { ah in
                b.withCholmodSparse(values: values?.1) { bh in
                    cholmod_l_ssmult(ah, bh, 0, values == nil ? 0 : 1, 1, common)
                }
            }
            guard let product else { return (nil, common.pointee.status) }
            let result = SparseMatrix(copying: product)
            var owned: UnsafeMutablePointer<cholmod_sparse>? = product
            cholmod_l_free_sparse(&owned, common)
            return (result, CHOLMOD_OK)
        }
        guard let result else { throw .cholmodFailure(call: "cholmod_l_ssmult", status: status) }
        return result
    }
}

/// y[0..<count] *= beta, with β = 0 writing zeros (NaN in y does not survive).
func scale(_ y: UnsafeMutablePointer<Double>, count: Int, by beta: Double) {
    if beta == 0 {
        y.update(repeating: 0, count: count)
    } else if beta != 1 {
        for k in 0..<count { y[k] *= beta }
    }
}
