import CSuiteSparse

/// The selected inverse Z = (P·A·Pᵀ)⁻¹ on the pattern of a supernodal LLᵀ
/// factor, by blocks and BLAS, in the factor's own layout (no copy of L).
///
/// For a supernode with columns S (width w, its diagonal block L_SS) and the
/// rows R below it (L_RS, r rows), Z·L = L⁻ᵀ (an upper triangular matrix)
/// restricted to the columns S gives, with U = L_RS·L_SS⁻¹:
///
///     Z_RS = − Z_RR·U
///     Z_SS = L_SS⁻ᵀ·L_SS⁻¹ − Z_RSᵀ·U
///
/// Z_RR lies on the pattern of the later supernodes (R is closed under the
/// elimination tree), so going from the last supernode to the first, Z_RR is
/// gathered from what was computed (its lower half, for `dsymm`), then `dtrsm`,
/// `dsymm`, `dtrsm` on the identity, `dsyrk` and `dgemm` do the rest, on
/// OpenBLAS's threads. Cost: about twice a numeric factorization's flops at
/// BLAS-3 speed, plus the gathers (Σ over supernodes of r·(rows of the
/// supernodes R meets)).
struct SupernodalInverse: SelectedInversion {
    let n: Int, nsuper: Int
    /// Per supernode (nsuper + 1 entries): its first column, where its row
    /// indices start in `rows`, where its h×w value block starts in `x`
    /// (CHOLMOD's super, pi, px).
    let first, rowStart, valueStart: UnsafePointer<Int>
    /// The supernodes' row indices (CHOLMOD's s), sorted within each.
    let rows: UnsafePointer<Int>
    let x: UnsafePointer<Double>
    let perm: UnsafePointer<Int>
    let storage: Int
    /// The supernode of each column.
    private let owner: [Int]

    init(_ f: cholmod_factor) {
        n = Int(f.n)
        nsuper = Int(f.nsuper)
        (first, rowStart, valueStart, rows) = (f.super.array(), f.pi.array(), f.px.array(), f.s.array())
        (x, perm, storage) = (f.x.array(), f.Perm.array(), Int(f.xsize))
        var owner = [Int](repeating: 0, count: n)
        for s in 0..<nsuper { for j in first[s]..<first[s + 1] { owner[j] = s } }
        self.owner = owner
    }

    func locate(row: Int, column: Int) -> Int? {
        let s = owner[column], height = rowStart[s + 1] - rowStart[s]
        var low = rowStart[s] + (column - first[s]), high = rowStart[s + 1]
        while low < high {
            let mid = (low + high) / 2
            if rows[mid] < row { low = mid + 1 } else { high = mid }
        }
        guard low < rowStart[s + 1], rows[low] == row else { return nil }
        return valueStart[s] + (column - first[s]) * height + (low - rowStart[s])
    }

    func invert(into z: UnsafeMutablePointer<Double>) -> Bool {
        var maxBelow = 0, maxWidth = 0
        for s in 0..<nsuper {
            let w = first[s + 1] - first[s]
            maxWidth = max(maxWidth, w)
            maxBelow = max(maxBelow, rowStart[s + 1] - rowStart[s] - w)
        }
        let zrr = UnsafeMutablePointer<Double>.allocate(capacity: max(maxBelow * maxBelow, 1))
        let u = UnsafeMutablePointer<Double>.allocate(capacity: max(maxBelow * maxWidth, 1))
        let m = UnsafeMutablePointer<Double>.allocate(capacity: max(maxWidth * maxWidth, 1))
        defer { zrr.deallocate(); u.deallocate(); m.deallocate() }
        for s in stride(from: nsuper - 1, through: 0, by: -1) {
            let w = first[s + 1] - first[s], h = rowStart[s + 1] - rowStart[s], r = h - w
            let l = x + valueStart[s], zs = z + valueStart[s]
            let below = rows + rowStart[s] + w
            let (hh, ww, rr) = (Int32(h), Int32(w), Int32(max(r, 1)))
            if r > 0 {
                guard gather(below, count: r, into: zrr, z: z) else { return false }
                // U = L_RS·L_SS⁻¹ (r×w).
                for c in 0..<w { (u + c * r).update(from: l + c * h + w, count: r) }
                cblas_dtrsm(CblasColMajor, CblasRight, CblasLower, CblasNoTrans, CblasNonUnit, Int32(r), ww, 1,
                            l, hh, u, rr)
                // Z_RS = −Z_RR·U, into rows w..<h of the supernode's block.
                cblas_dsymm(CblasColMajor, CblasLeft, CblasLower, Int32(r), ww, -1, zrr, rr, u, rr, 0, zs + w, hh)
            }
            // M = L_SS⁻¹, then Z_SS = Mᵀ·M − Z_RSᵀ·U (lower half used).
            for c in 0..<w {
                for i in 0..<w { m[i + c * w] = i == c ? 1 : 0 }
            }
            cblas_dtrsm(CblasColMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, ww, ww, 1, l, hh, m, ww)
            cblas_dsyrk(CblasColMajor, CblasLower, CblasTrans, ww, ww, 1, m, ww, 0, zs, hh)
            if r > 0 {
                cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, ww, ww, Int32(r), -1, zs + w, hh, u, rr, 1, zs, hh)
            }
        }
        return true
    }

    /// The lower half of Z restricted to the sorted rows `set` (count r), into
    /// the r×r column-major `out`: column b of Z lies in its supernode, whose
    /// rows from b on contain every later row of `set`.
    private func gather(_ set: UnsafePointer<Int>, count r: Int, into out: UnsafeMutablePointer<Double>,
                        z: UnsafePointer<Double>) -> Bool {
        for cb in 0..<r {
            let b = set[cb], t = owner[b], height = rowStart[t + 1] - rowStart[t]
            let column = z + valueStart[t] + (b - first[t]) * height
            var q = rowStart[t] + (b - first[t])
            let end = rowStart[t + 1]
            for ca in cb..<r {
                let a = set[ca]
                while q < end && rows[q] != a { q += 1 }
                if q == end { return false }
                out[ca + cb * r] = column[q - rowStart[t]]
            }
        }
        return true
    }
}
