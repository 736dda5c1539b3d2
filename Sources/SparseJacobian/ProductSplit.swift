import CSuiteSparse

/// How a sparse·dense product Y = α·op(A)·X + β·Y is split over threads so that
/// every part writes its own entries of Y and computes them exactly as one
/// `cholmod_l_sdmult` over the whole would (same operations in the same order,
/// hence bit-for-bit the same Y).
///
/// - A·X with several columns: X's and Y's columns are split into contiguous
///   ranges (multiples of 4 when there are enough, CHOLMOD's own grouping);
///   each part is a product of the whole A with a column view of X into a column
///   view of Y. CHOLMOD reads A once per four columns, so the parts together
///   read it ⌈k/4⌉ times, as one call does (when k < 4·parts, a few times more).
/// - Aᵀ·X (any number of columns, one included): row j of Y is the dot product
///   of A's column j with X, so A's columns are split into ranges of equal
///   nonzero counts; each part is a zero-copy view of a column range of A
///   (CHOLMOD's column pointers offset, the row and value arrays shared) times
///   the whole X, into the matching rows of Y (a view with Y's leading dimension).
/// - A·x with one column stays one call: in compressed columns, A·x scatters
///   into all of y, and splitting it would make threads add into the same
///   entries (or change the order of the additions). (For a symmetric A,
///   `transposed: true` computes the same product and is split.)
///
/// A product is split only once it is worth a thread: 2^18 multiply-adds or more.
struct ProductSplit {
    /// Number of parts (1: one call on the caller's thread).
    let parts: Int
    let transposed: Bool
    private let pattern: SparsityPattern
    private let columns: Int
    /// A·X: columns of X and Y are split in units of this many.
    private let unit: Int
    /// The whole product as one part.
    let whole: SdmultPart

    /// Multiply-adds below which a product is not split.
    static let minimumWork = 1 << 18

    init(pattern: SparsityPattern, columns: Int, transposed: Bool, width: Int) {
        self.transposed = transposed
        self.pattern = pattern
        self.columns = columns
        whole = SdmultPart(columns: 0..<columns, matrixColumns: 0..<pattern.columns)
        let work = pattern.nonzeroCount * columns
        parts = work < Self.minimumWork ? 1 : max(1, min(width, transposed ? pattern.columns : columns))
        unit = columns >= 4 * parts ? 4 : 1
    }

    /// The part `k` of `parts` (no allocation: the boundaries are computed).
    func part(_ k: Int) -> SdmultPart {
        if transposed { return SdmultPart(columns: whole.columns, matrixColumns: pattern.balancedColumns(part: k, of: parts)) }
        let groups = (columns + unit - 1) / unit
        let bound = { (k: Int) in min(self.columns, self.unit * (groups * k / self.parts)) }
        return SdmultPart(columns: bound(k)..<bound(k + 1), matrixColumns: whole.matrixColumns)
    }
}

/// One part of a split product: the columns of X and Y it covers and the
/// columns of A it reads.
struct SdmultPart {
    let columns: Range<Int>
    let matrixColumns: Range<Int>
}

/// The operands of one `cholmod_l_sdmult`, as raw pointers, so that its parts
/// can be called from any thread.
struct SdmultCall: @unchecked Sendable {
    let x: UnsafePointer<Double>
    let y: UnsafeMutablePointer<Double>
    /// Rows of X and of Y (op(A)'s columns and rows).
    let inRows: Int
    let outRows: Int
    let columns: Int
    let transposed: Bool
    let alpha: Double
    let beta: Double

    /// Runs `part` of the product on `common`: A's column range as a view of
    /// `matrix`; for Aᵀ·X that range is also Y's row range. Returns CHOLMOD's
    /// success flag (the status is in the common).
    func run(_ matrix: cholmod_sparse, part: SdmultPart, common: UnsafeMutablePointer<cholmod_common>) -> Bool {
        var a = matrix
        a.ncol = part.matrixColumns.count
        a.p = matrix.p + part.matrixColumns.lowerBound * MemoryLayout<Int>.stride
        let first = part.columns.lowerBound, k = part.columns.count
        var xHeader = cholmodDenseHeader(UnsafeMutablePointer(mutating: x) + first * inRows,
                                         rows: transposed ? inRows : a.ncol, columns: k, leadingDimension: inRows)
        let yRows = transposed ? a.ncol : outRows
        let yStart = transposed ? part.matrixColumns.lowerBound : 0
        var yHeader = cholmodDenseHeader(y + first * outRows + yStart, rows: yRows, columns: k,
                                         leadingDimension: outRows)
        var alphaPair = (alpha, 0.0), betaPair = (beta, 0.0)
        return withUnsafeMutableBytes(of: &alphaPair) { al in
            withUnsafeMutableBytes(of: &betaPair) { be in
                cholmod_l_sdmult(&a, transposed ? 1 : 0, al.baseAddress!.assumingMemoryBound(to: Double.self),
                                 be.baseAddress!.assumingMemoryBound(to: Double.self), &xHeader, &yHeader, common)
            }
        } != 0
    }
}
