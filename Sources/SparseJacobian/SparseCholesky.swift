import CSuiteSparse
#if canImport(Glibc)
import Glibc
#endif

/// Sparse Cholesky factorization A = P·L·Lᵀ·Pᵀ of a symmetric positive definite
/// matrix, on CHOLMOD.
///
/// The symbolic analysis (fill-reducing ordering, elimination tree, supernodes)
/// runs once, when the factor is made from a pattern (`cholmod_l_analyze`) with
/// the `CholeskyOrdering` asked for; `factorize(values:)` then computes the
/// numeric factor for any values on that pattern (`cholmod_l_factorize`),
/// reusing the analysis. `ordering`, `factorNonzeroCount`, `factorizationFlops`
/// and `factorBytes` say what the analysis chose and what a factorization costs.
///
/// Which triangle is read: the **lower** one (row ≥ column; stype −1 in
/// CHOLMOD's terms). Either the full symmetric matrix or just its lower half can
/// be passed; the values of entries above the diagonal are not read. An entry
/// above the diagonal whose mirror below it is not stored is an error
/// (`SparseError.upperEntryWithoutMirror`): its value would silently be taken
/// as zero.
///
/// A matrix that is not positive definite (indefinite, or singular) throws
/// `SparseError.notPositiveDefinite` with the column where elimination failed;
/// the context's `final_ll = 1` makes CHOLMOD detect it, and both the status and
/// `L->minor` are checked after every factorization. CHOLMOD running out of
/// memory is `outOfMemory` (with the bytes of the factor or of the solve's
/// arrays), an integer overflow inside it (`CHOLMOD_TOO_LARGE`) is
/// `dimensionTooLarge`, any other status `cholmod(call:status:)`
/// (`SparseError.cholmodFailure`).
///
/// Solves reuse CHOLMOD workspaces held by the factor (`cholmod_l_solve2`), so
/// repeated solves with the same number of right-hand sides allocate nothing.
/// Threads: every CHOLMOD call holds the context's lock, so factors sharing a
/// context may be used from different threads; one factor (its numeric values
/// and solve workspaces) must still be used by one thread at a time.
public final class SparseCholesky {
    /// The pattern that was analysed.
    public let pattern: SparsityPattern
    let context: CholmodContext
    /// The CHOLMOD factor (symbolic after `init`, numeric after `factorize`).
    private(set) var factor: UnsafeMutablePointer<cholmod_factor>?
    private var solution: UnsafeMutablePointer<cholmod_dense>?
    private var workY: UnsafeMutablePointer<cholmod_dense>?
    private var workE: UnsafeMutablePointer<cholmod_dense>?
    /// Where each stored entry of the pattern lies in the simplicial copy made by
    /// `selectedInverse` (−1 above the diagonal); made on first use.
    var inversePositions: [Int]?
    /// True once a numeric factorization succeeded (and none has failed since).
    public private(set) var isFactorized = false
    /// The factor kind asked for (nil: CHOLMOD's choice).
    private let supernodal: Bool?

    /// The ordering the analysis used (never `.automatic`).
    public private(set) var ordering: CholeskyOrdering = .amd
    /// Entries of L as the analysis counted them (diagonal included, CHOLMOD's `lnz`).
    public private(set) var factorNonzeroCount = 0
    /// Flops of one numeric factorization as the analysis counted them (CHOLMOD's
    /// `fl`, for a simplicial LLᵀ: Σⱼ cⱼ² over the column counts, roughly).
    public private(set) var factorizationFlops = 0.0

    /// Number of unknowns.
    public var size: Int { pattern.rows }

    /// Checks the pattern (square, every entry above the diagonal mirrored below
    /// it) and analyses it once with `ordering`. Cost: about O(nnz(L)) for the
    /// ordering and symbolic steps (METIS several times more than AMD).
    public convenience init(pattern: SparsityPattern, context: CholmodContext,
                            ordering: CholeskyOrdering = .automatic(expectedRuns: 1)) throws(SparseError) {
        try self.init(pattern: pattern, context: context, ordering: ordering, supernodal: nil)
    }

    /// The same, with the factor's kind forced (`supernodal` true or false)
    /// rather than chosen by CHOLMOD (nil), for tests of both kinds.
    init(pattern: SparsityPattern, context: CholmodContext, ordering: CholeskyOrdering,
         supernodal: Bool?) throws(SparseError) {
        self.supernodal = supernodal
        guard pattern.rows == pattern.columns else { throw .notSquare(rows: pattern.rows, columns: pattern.columns) }
        try Self.checkMirrored(pattern)
        self.pattern = pattern
        self.context = context
        if pattern.rows == 0 { return }
        switch ordering {
        case .amd, .metis, .nestedDissection:
            try analyse(ordering)
        case let .automatic(runs):
            try analyse(.amd)
            if Double(max(runs, 0)) * factorizationFlops >= CholeskyOrdering.metisBreakEven * Double(pattern.nonzeroCount) {
                let amd = (factor, factorNonzeroCount, factorizationFlops)
                factor = nil
                let metisFailed: Bool
                do { try analyse(.metis); metisFailed = false } catch { metisFailed = true }
                if metisFailed || amd.2 <= factorizationFlops {
                    context.withCommon { _ = cholmod_l_free_factor(&factor, $0) }
                    (factor, factorNonzeroCount, factorizationFlops, self.ordering) = (amd.0, amd.1, amd.2, .amd)
                } else {
                    var unused = amd.0
                    context.withCommon { _ = cholmod_l_free_factor(&unused, $0) }
                }
            }
        }
    }

    /// One `cholmod_l_analyze` with a single ordering method; sets `factor` and the counts.
    private func analyse(_ method: CholeskyOrdering) throws(SparseError) {
        let code: Int32 = switch method {
        case .metis: CHOLMOD_METIS
        case .nestedDissection: CHOLMOD_NESDIS
        default: CHOLMOD_AMD
        }
        let (analysed, status, lnz, fl) = context.withCommon { common in
            let saved = (common.pointee.nmethods, common.pointee.method.0.ordering, common.pointee.postorder,
                         common.pointee.supernodal)
            common.pointee.nmethods = 1
            common.pointee.method.0.ordering = code
            common.pointee.postorder = 1
            if let supernodal { common.pointee.supernodal = supernodal ? CHOLMOD_SUPERNODAL : CHOLMOD_SIMPLICIAL }
            defer {
                (common.pointee.nmethods, common.pointee.method.0.ordering, common.pointee.postorder,
                 common.pointee.supernodal) = saved
            }
            let analysed = pattern.withCholmodSparse(values: nil, stype: -1) { cholmod_l_analyze($0, common) }
            return (analysed, common.pointee.status, common.pointee.lnz, common.pointee.fl)
        }
        guard let analysed else { throw .cholmodFailure(call: "cholmod_l_analyze", status: status, shape: (size, size)) }
        factor = analysed
        ordering = method
        factorNonzeroCount = Int(lnz)
        factorizationFlops = fl
        context.count(analysis: true)
    }

    /// Throws when an entry above the diagonal has no stored mirror below it.
    /// Cost: O(nnz·log) over the upper entries.
    private static func checkMirrored(_ pattern: SparsityPattern) throws(SparseError) {
        for j in 0..<pattern.columns {
            for p in pattern.positions(ofColumn: j) {
                let i = pattern.rowIndices[p]
                if i >= j { break }  // rows are sorted: the rest are on or below the diagonal
                if pattern.position(row: j, column: i) == nil { throw .upperEntryWithoutMirror(row: i, column: j) }
            }
        }
    }

    /// Analyses and factorizes a matrix.
    public convenience init(_ matrix: SparseMatrix, context: CholmodContext,
                            ordering: CholeskyOrdering = .automatic(expectedRuns: 1)) throws(SparseError) {
        try self.init(pattern: matrix.pattern, context: context, ordering: ordering)
        try factorize(values: matrix.values)
    }

    deinit {
        context.withCommon { common in
            if factor != nil { cholmod_l_free_factor(&factor, common) }
            if solution != nil { cholmod_l_free_dense(&solution, common) }
            if workY != nil { cholmod_l_free_dense(&workY, common) }
            if workE != nil { cholmod_l_free_dense(&workE, common) }
        }
    }

    /// Computes the numeric factor of the matrix with these values on the analysed
    /// pattern. Cost: the factorization's flops (Σ over columns of the squared
    /// column counts of L), no new analysis.
    public func factorize(values: [Double]) throws(SparseError) {
        guard values.count == pattern.nonzeroCount else {
            throw .valueCountMismatch(expected: pattern.nonzeroCount, actual: values.count)
        }
        if values.isEmpty {
            let dummy = 0.0
            try withUnsafePointer(to: dummy) { v throws(SparseError) in try factorize(values: v) }
            return
        }
        try values.withUnsafeBufferPointer { v throws(SparseError) in try factorize(values: v.baseAddress!) }
    }

    /// `factorize(values:)` with the pattern's `nonzeroCount` values at a raw
    /// location (an arena, say).
    public func factorize(values: UnsafePointer<Double>) throws(SparseError) {
        isFactorized = false
        guard let factor else { isFactorized = true; return }
        let (ok, status) = context.withCommon { common in
            let ok = pattern.withCholmodSparse(valuePointer: UnsafeMutableRawPointer(mutating: values), stype: -1) {
                cholmod_l_factorize($0, factor, common)
            }
            return (ok, common.pointee.status)
        }
        context.count(analysis: false)
        if status == CHOLMOD_NOT_POSDEF || factor.pointee.minor < factor.pointee.n {
            throw .notPositiveDefinite(column: Int(factor.pointee.minor))
        }
        guard ok != 0, status >= CHOLMOD_OK else {
            throw .cholmodFailure(call: "cholmod_l_factorize", status: status, bytes: numericFactorBytes,
                                  shape: (size, size))
        }
        isFactorized = true
    }

    /// X = A⁻¹·B for `columns` right-hand sides, column-major `size`×`columns`,
    /// into `x` (which may be `b`). Cost: 4·nnz(L)·columns flops.
    public func solve(_ b: UnsafePointer<Double>, columns: Int, into x: UnsafeMutablePointer<Double>) throws(SparseError) {
        guard isFactorized else { throw .notFactorized }
        precondition(columns >= 0, "negative column count")
        guard let factor, columns > 0 else { return }
        var bHeader = cholmodDenseHeader(UnsafeMutablePointer(mutating: b), rows: size, columns: columns)
        let (ok, status) = context.withCommon { common in
            (cholmod_l_solve2(CHOLMOD_A, factor, &bHeader, nil, &solution, nil, &workY, &workE, common),
             common.pointee.status)
        }
        guard ok != 0, let solution else {
            // The solution and the two workspaces, size × columns doubles each.
            let perColumn = SystemAllocation.bytes(count: size, stride: 3 * 8)
            let bytes = perColumn.flatMap { SystemAllocation.bytes(count: columns, stride: $0) }
            throw .cholmodFailure(call: "cholmod_l_solve2", status: status, bytes: bytes, shape: (size, columns))
        }
        context.countSolve()
        x.update(from: solution.pointee.x.assumingMemoryBound(to: Double.self), count: size * columns)
    }

    /// A⁻¹·B as a new matrix.
    public func solve(_ b: DenseMatrix) throws(SparseError) -> DenseMatrix {
        guard b.rows == size else { throw .shapeMismatch(operation: "Cholesky solve A⁻¹·B", left: [size, size], right: b.shape) }
        var x = b
        var failure: SparseError?
        b.values.withUnsafeBufferPointer { bs in
            x.values.withUnsafeMutableBufferPointer { xs in
                guard let bp = bs.baseAddress, let xp = xs.baseAddress else { return }
                do throws(SparseError) { try solve(bp, columns: b.columns, into: xp) } catch { failure = error }
            }
        }
        if let failure { throw failure }
        return x
    }

    /// log det A = 2·Σ log L_jj. Cost: O(n).
    public func logDeterminant() throws(SparseError) -> Double {
        guard isFactorized else { throw .notFactorized }
        guard let f = factor?.pointee else { return 0 }
        var sum = 0.0
        let x = f.x.assumingMemoryBound(to: Double.self)
        if f.is_super != 0 {
            let first = f.super.assumingMemoryBound(to: Int.self)
            let rowStart = f.pi.assumingMemoryBound(to: Int.self)
            let valueStart = f.px.assumingMemoryBound(to: Int.self)
            for s in 0..<Int(f.nsuper) {
                let width = first[s + 1] - first[s], height = rowStart[s + 1] - rowStart[s]
                for jj in 0..<width { sum += log(x[valueStart[s] + jj * height + jj]) }
            }
        } else {
            let p = f.p.assumingMemoryBound(to: Int.self)
            for j in 0..<Int(f.n) { sum += log(x[p[j]]) }
        }
        return 2 * sum
    }


    /// Whether CHOLMOD chose a supernodal factor (it does when the factor is
    /// dense enough for BLAS to pay off) rather than a simplicial one.
    public var isSupernodal: Bool { factor.map { $0.pointee.is_super != 0 } ?? false }

    /// Bytes a numeric factorization needs for L as the analysis counted it
    /// (`factorNonzeroCount` values and row indices, or the supernodal arrays),
    /// named by an out-of-memory error of `cholmod_l_factorize`.
    public var numericFactorBytes: Int {
        let word = MemoryLayout<Int>.size
        let (simplicial, overflow) = factorNonzeroCount.multipliedReportingOverflow(by: 8 + word)
        return overflow ? .max : Swift.max(simplicial, factorBytes)
    }

    /// Bytes of the factor's numeric and integer arrays.
    public var factorBytes: Int {
        guard let f = factor?.pointee else { return 0 }
        let n = Int(f.n), word = MemoryLayout<Int>.size
        if f.is_super != 0 {
            return Int(f.xsize) * 8 + Int(f.ssize) * word + 3 * (Int(f.nsuper) + 1) * word + 2 * n * word
        }
        return Int(f.nzmax) * (8 + word) + (n + 1) * word + 5 * n * word
    }
}
