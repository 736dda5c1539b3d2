import CSuiteSparse

/// A pointer CHOLMOD accepts for an array that may be empty: CHOLMOD rejects a
/// null `x` or `i` even when there are no entries, so an empty array is given a
/// one-element dummy.
@inline(__always)
func withNonNullPointer<T, R>(_ array: [T], dummy: T, _ body: (UnsafeMutableRawPointer) throws -> R) rethrows -> R {
    if array.isEmpty {
        var one = dummy
        return try withUnsafeMutablePointer(to: &one) { try body(UnsafeMutableRawPointer($0)) }
    }
    return try array.withUnsafeBufferPointer { try body(UnsafeMutableRawPointer(mutating: $0.baseAddress!)) }
}

extension SparsityPattern {
    /// Calls `body` with a `cholmod_sparse` header that points into this pattern's
    /// arrays (no copy) and into `values` if given (a pattern-only matrix if not).
    /// `stype` 0 is unsymmetric, −1 reads only the lower triangle. CHOLMOD must
    /// only read through the header: the arrays are shared copy-on-write.
    func withCholmodSparse<R>(values: [Double]?, stype: Int32 = 0,
                              _ body: (UnsafeMutablePointer<cholmod_sparse>) throws -> R) rethrows -> R {
        guard let values else { return try withCholmodSparse(valuePointer: nil, stype: stype, body) }
        return try withNonNullPointer(values, dummy: 0.0) { try withCholmodSparse(valuePointer: $0, stype: stype, body) }
    }

    /// The same with values at a raw location (`nonzeroCount` doubles), for
    /// values that live in an arena rather than a Swift array.
    func withCholmodSparse<R>(valuePointer x: UnsafeMutableRawPointer?, stype: Int32 = 0,
                              _ body: (UnsafeMutablePointer<cholmod_sparse>) throws -> R) rethrows -> R {
        try withNonNullPointer(columnPointers, dummy: 0) { p in
            try withNonNullPointer(rowIndices, dummy: 0) { i in
                var header = cholmod_sparse()
                header.nrow = rows
                header.ncol = columns
                header.nzmax = max(nonzeroCount, 1)
                header.p = p
                header.i = i
                header.x = x
                header.stype = stype
                header.itype = CHOLMOD_LONG
                header.xtype = x == nil ? CHOLMOD_PATTERN : CHOLMOD_REAL
                header.dtype = CHOLMOD_DOUBLE
                header.sorted = 1
                header.packed = 1
                return try withUnsafeMutablePointer(to: &header) { try body($0) }
            }
        }
    }
}

extension SparseMatrix {
    /// `SparsityPattern.withCholmodSparse` with this matrix's values.
    func withCholmodSparse<R>(stype: Int32 = 0, _ body: (UnsafeMutablePointer<cholmod_sparse>) throws -> R) rethrows -> R {
        try pattern.withCholmodSparse(values: values, stype: stype, body)
    }

    /// A matrix copied out of a CHOLMOD sparse matrix (64-bit indices, packed,
    /// sorted, real or pattern-only); `values` is all ones for a pattern-only one.
    init(copying a: UnsafePointer<cholmod_sparse>) {
        let m = a.pointee
        let columns = Int(m.ncol)
        let pointers = Array(UnsafeBufferPointer(start: m.p.assumingMemoryBound(to: Int.self), count: columns + 1))
        let nnz = pointers[columns]
        let indices = Array(UnsafeBufferPointer(start: m.i.assumingMemoryBound(to: Int.self), count: nnz))
        let values = m.xtype == CHOLMOD_REAL
            ? Array(UnsafeBufferPointer(start: m.x.assumingMemoryBound(to: Double.self), count: nnz))
            : [Double](repeating: 1, count: nnz)
        self.init(trusted: SparsityPattern(uncheckedRows: Int(m.nrow), columns: columns,
                                           columnPointers: pointers, rowIndices: indices),
                  values: values)
    }
}

/// A `cholmod_dense` header over `rows`×`columns` column-major doubles at `x`
/// with leading dimension `leadingDimension` (`rows` if not given); no copy.
func cholmodDenseHeader(_ x: UnsafeMutablePointer<Double>, rows: Int, columns: Int,
                        leadingDimension: Int? = nil) -> cholmod_dense {
    let d = max(leadingDimension ?? rows, 1)
    var header = cholmod_dense()
    header.nrow = rows
    header.ncol = columns
    header.nzmax = max(d * columns, 1)
    header.d = d
    header.x = UnsafeMutableRawPointer(x)
    header.xtype = CHOLMOD_REAL
    header.dtype = CHOLMOD_DOUBLE
    return header
}
