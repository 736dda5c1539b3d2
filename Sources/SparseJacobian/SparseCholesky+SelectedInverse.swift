import CSuiteSparse

extension SparseCholesky {
    /// (A⁻¹)ᵢⱼ for every stored entry p = (i, j) of the pattern on or below the
    /// diagonal, into `out[p]`; entries above the diagonal get 0 (only the lower
    /// triangle is read, see the type). Never forms the dense inverse.
    ///
    /// Selected inversion by the Takahashi equations, in one of two forms:
    ///
    /// - a supernodal factor (CHOLMOD's choice for large, dense-enough factors)
    ///   is inverted by blocks on BLAS in its own layout, with no copy
    ///   (`SupernodalInverse`: the same equations, a supernode at a time);
    /// - a simplicial one is copied and turned into a simplicial LDLᵀ
    ///   (`cholmod_l_change_factor`), then inverted column by column:
    ///
    /// With P·A·Pᵀ = L·D·Lᵀ, L unit lower triangular, Z = (P·A·Pᵀ)⁻¹ = L⁻ᵀD⁻¹L⁻¹
    /// satisfies Z·L = L⁻ᵀ·D⁻¹, an upper triangular matrix, whose lower part
    /// gives, column j from n − 1 down to 0, with S = struct(L₍:,ⱼ₎) below j:
    ///
    ///     Zᵢⱼ = − Σ_{k ∈ S} Zᵢₖ·Lₖⱼ        (i ∈ S)
    ///     Zⱼⱼ = 1/dⱼ − Σ_{k ∈ S} Lₖⱼ·Zₖⱼ
    ///
    /// Every Zᵢₖ needed (i, k ∈ S) lies in column min(i, k) of L's pattern (S
    /// minus the rows up to k is contained in struct(L₍:,ₖ₎), the elimination
    /// tree's closure), so only the entries of Z on L's pattern are computed,
    /// and only its lower half: Z is symmetric and each stored Zᵢₖ serves both
    /// Zᵢₖ·Lₖⱼ and Zₖᵢ·Lᵢⱼ. (A⁻¹)ᵢⱼ is then Z at (pinv i, pinv j).
    ///
    /// Cost: about two numeric factorizations' flops. Supernodal: BLAS-3 on
    /// OpenBLAS's threads plus the gathers of each Z_RR; Z takes as many doubles
    /// as L for the call's length. Simplicial: a copy of the factor (nnz(L)·16
    /// bytes, freed on return) and Σⱼ Σ_{k ∈ S} |struct(L₍:,ₖ₎)| multiply-add
    /// pairs, scalar on one thread (simplicial factors are the sparse ones).
    public func selectedInverse(into out: UnsafeMutablePointer<Double>) throws(SparseError) {
        try withSelectedInverse { z, positions in
            for p in 0..<positions.count { out[p] = positions[p] < 0 ? 0 : z[positions[p]] }
        }
    }

    /// `selectedInverse(into:)` as a new array of `pattern.nonzeroCount` values.
    public func selectedInverse() throws(SparseError) -> [Double] {
        var out = [Double](repeating: 0, count: pattern.nonzeroCount)
        try out.withUnsafeMutableBufferPointer { o throws(SparseError) in
            if let base = o.baseAddress { try selectedInverse(into: base) } else { try withSelectedInverse { _, _ in } }
        }
        return out
    }

    /// `scale`·∂ log det A / ∂(stored values), written or added into `out`: a
    /// stored entry (i, j) below the diagonal stands for both A[i, j] and
    /// A[j, i], so it gets 2·(A⁻¹)ᵢⱼ; a diagonal one (A⁻¹)ᵢᵢ; one above the
    /// diagonal is not read and gets 0. Cost: `selectedInverse`'s.
    public func logDeterminantGradient(scale: Double, into out: UnsafeMutablePointer<Double>,
                                       accumulate: Bool) throws(SparseError) {
        try withSelectedInverse { z, positions in
            for j in 0..<pattern.columns {
                for p in pattern.positions(ofColumn: j) {
                    let i = pattern.rowIndices[p]
                    let value = i < j ? 0 : (i == j ? scale : 2 * scale) * z[positions[p]]
                    if accumulate { out[p] += value } else { out[p] = value }
                }
            }
        }
    }

    /// Runs `body` with Z on the factor's layout (the supernodal factor's own,
    /// or a simplicial LDLᵀ copy's) and the position in it of every stored
    /// entry of the pattern (−1 above the diagonal).
    private func withSelectedInverse(_ body: (UnsafePointer<Double>, [Int]) -> Void) throws(SparseError) {
        guard isFactorized else { throw .notFactorized }
        guard let factor else { body(UnsafePointer(bitPattern: 8)!, []); return }
        if factor.pointee.is_super != 0 {
            try invert(SupernodalInverse(factor.pointee), body)
            return
        }
        let (made, status) = context.withCommon { common -> (UnsafeMutablePointer<cholmod_factor>?, Int32) in
            guard let copy = cholmod_l_copy_factor(factor, common) else { return (nil, common.pointee.status) }
            guard cholmod_l_change_factor(CHOLMOD_REAL, 0, 0, 1, 1, copy, common) != 0,
                  copy.pointee.is_ll == 0, copy.pointee.is_super == 0 else {
                let status = common.pointee.status
                var owned: UnsafeMutablePointer<cholmod_factor>? = copy
                cholmod_l_free_factor(&owned, common)
                return (nil, status < CHOLMOD_OK ? status : CHOLMOD_INVALID)
            }
            return (copy, CHOLMOD_OK)
        }
        guard let made else { throw .cholmod(call: "cholmod_l_change_factor", status: Int(status)) }
        defer {
            var owned: UnsafeMutablePointer<cholmod_factor>? = made
            context.withCommon { _ = cholmod_l_free_factor(&owned, $0) }
        }
        try invert(SimplicialInverse(made.pointee), body)
    }

    /// Z by `inversion` into a fresh buffer, the positions cached, then `body`.
    private func invert(_ inversion: some SelectedInversion,
                        _ body: (UnsafePointer<Double>, [Int]) -> Void) throws(SparseError) {
        let positions: [Int]
        if let known = inversePositions { positions = known } else { positions = try inversion.positions(of: pattern) }
        inversePositions = positions
        let z = UnsafeMutablePointer<Double>.allocate(capacity: max(inversion.storage, 1))
        defer { z.deallocate() }
        guard inversion.invert(into: z) else {
            throw .cholmod(call: "selected inverse: L's pattern is not closed", status: Int(CHOLMOD_INVALID))
        }
        body(z, positions)
    }
}

/// A way to compute Z = (P·A·Pᵀ)⁻¹ on the pattern of a factor's L.
protocol SelectedInversion {
    /// The permutation: row k of L is row perm[k] of A.
    var perm: UnsafePointer<Int> { get }
    var n: Int { get }
    /// Doubles of Z's storage (the factor's value array's size).
    var storage: Int { get }
    /// Where Z(row, column), row ≥ column (permuted indices), is stored; nil if
    /// outside L's pattern.
    func locate(row: Int, column: Int) -> Int?
    /// Z on L's pattern; false if a needed entry is missing from it.
    func invert(into z: UnsafeMutablePointer<Double>) -> Bool
}

extension SelectedInversion {
    /// Position in Z of every stored entry (r, c) of `pattern` with r ≥ c, at
    /// (max, min) of (pinv r, pinv c); −1 above the diagonal.
    func positions(of pattern: SparsityPattern) throws(SparseError) -> [Int] {
        var inverse = [Int](repeating: 0, count: n)
        for k in 0..<n { inverse[perm[k]] = k }
        var result = [Int](repeating: -1, count: pattern.nonzeroCount)
        for column in 0..<pattern.columns {
            for q in pattern.positions(ofColumn: column) where pattern.rowIndices[q] >= column {
                let a = inverse[pattern.rowIndices[q]], b = inverse[column]
                guard let position = locate(row: max(a, b), column: min(a, b)) else {
                    throw .cholmod(call: "selected inverse: entry (\(pattern.rowIndices[q]), \(column)) outside L",
                                   status: Int(CHOLMOD_INVALID))
                }
                result[q] = position
            }
        }
        return result
    }
}

/// Z on the pattern of a simplicial LDLᵀ factor (unit L, D on its diagonal,
/// which comes first in each column; rows sorted) by the Takahashi equations.
struct SimplicialInverse: SelectedInversion {
    let n: Int
    /// Column starts, row indices and entry counts of L's columns (CHOLMOD's p, i, nz).
    let p, i, count: UnsafePointer<Int>
    /// L's values, D on the diagonals.
    let x: UnsafePointer<Double>
    let perm: UnsafePointer<Int>
    /// Doubles of the value array (the largest position + 1).
    let storage: Int

    init(_ f: cholmod_factor) {
        n = Int(f.n)
        (p, i, count, x, perm, storage) = (f.p.array(), f.i.array(), f.nz.array(), f.x.array(), f.Perm.array(),
                                           Int(f.nzmax))
    }

    func locate(row: Int, column: Int) -> Int? {
        var low = p[column], high = p[column] + count[column]
        while low < high {
            let mid = (low + high) / 2
            if i[mid] < row { low = mid + 1 } else { high = mid }
        }
        return low < p[column] + count[column] && i[low] == row ? low : nil
    }

    /// Z on L's pattern by the Takahashi equations (see `selectedInverse`);
    /// false if a needed entry is missing from L's pattern (never for CHOLMOD's).
    func invert(into z: UnsafeMutablePointer<Double>) -> Bool {
        var largest = 1
        for j in 0..<n { largest = max(largest, count[j]) }
        let work = UnsafeMutablePointer<Double>.allocate(capacity: largest)
        defer { work.deallocate() }
        for j in stride(from: n - 1, through: 0, by: -1) {
            let s = p[j], c = count[j]
            for t in 1..<max(c, 1) { work[t] = 0 }
            for t in 1..<max(c, 1) {
                let k = i[s + t], lkj = x[s + t], sk = p[k], end = sk + count[k]
                var sum = work[t] - z[sk] * lkj
                var q = sk + 1
                for u in (t + 1)..<max(c, t + 1) {
                    let row = i[s + u]
                    while q < end && i[q] != row { q += 1 }
                    if q == end { return false }
                    let zik = z[q]
                    work[u] -= zik * lkj
                    sum -= zik * x[s + u]
                }
                work[t] = sum
            }
            var diagonal = 1 / x[s]
            for t in 1..<max(c, 1) {
                z[s + t] = work[t]
                diagonal -= x[s + t] * work[t]
            }
            z[s] = diagonal
        }
        return true
    }
}

extension UnsafeMutableRawPointer {
    /// A factor's array (CHOLMOD's `void *` fields), typed.
    func array<T>() -> UnsafePointer<T> { UnsafePointer(assumingMemoryBound(to: T.self)) }
}
