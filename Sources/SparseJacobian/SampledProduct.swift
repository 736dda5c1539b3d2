extension SparsityPattern {
    /// The sampled dense-dense product (SDDMM) on this pattern:
    /// `out[p] (+)= Σ_k G[i, k]·X[j, k]` for every stored entry `p = (i, j)`.
    ///
    /// With G = ∂L/∂Y of Y = A·X it is ∂L/∂(values of A): the gradient keeps A's
    /// pattern and never forms the dense rows×columns matrix G·Xᵀ. CHOLMOD has no
    /// such kernel, so it is written here.
    ///
    /// `g` is rows × `inner` and `x` columns × `inner`, column-major and contiguous.
    /// Cost: 2·nnz·inner flops; the pattern is read ⌈inner/4⌉ times (four columns
    /// of G and X at a time), and large problems split their columns over threads.
    public func sampledProduct(_ g: UnsafePointer<Double>, _ x: UnsafePointer<Double>, inner: Int,
                               into out: UnsafeMutablePointer<Double>, accumulate: Bool = false) {
        precondition(inner >= 0, "negative inner dimension")
        if !accumulate { out.update(repeating: 0, count: nonzeroCount) }
        if nonzeroCount == 0 || inner == 0 { return }
        let chunks = Self.chunkCount(work: nonzeroCount * inner, columns: columns)
        columnPointers.withUnsafeBufferPointer { pointers in
            rowIndices.withUnsafeBufferPointer { indices in
                let kernel = SampledProductKernel(pointers: pointers, rows: indices, g: g, gStride: rows,
                                                  x: x, xStride: columns, inner: inner, out: out)
                ParallelLoop.shared.run(parts: chunks) { c in
                    kernel.run(columns: (columns * c / chunks)..<(columns * (c + 1) / chunks))
                }
            }
        }
    }

    /// The SDDMM with dense matrices, for tests and small cases.
    public func sampledProduct(_ g: DenseMatrix, _ x: DenseMatrix) throws(SparseError) -> [Double] {
        guard g.rows == rows, x.rows == columns, g.columns == x.columns else {
            throw .shapeMismatch(operation: "sampled product G·Xᵀ on a \(rows)×\(columns) pattern",
                                 left: g.shape, right: x.shape)
        }
        var out = [Double](repeating: 0, count: nonzeroCount)
        g.values.withUnsafeBufferPointer { gs in
            x.values.withUnsafeBufferPointer { xs in
                out.withUnsafeMutableBufferPointer { os in
                    sampledProduct(gs.baseAddress!, xs.baseAddress!, inner: g.columns, into: os.baseAddress!)
                }
            }
        }
        return out
    }

    /// One chunk per thread once the work is worth a thread (2^18 multiply-adds).
    static func chunkCount(work: Int, columns: Int) -> Int {
        let width = ParallelLoop.shared.width
        guard work >= 1 << 18, width > 1 else { return 1 }
        return max(1, min(width, columns))
    }
}

/// The SDDMM inner loops over a range of columns; chunks write disjoint entries.
private struct SampledProductKernel: @unchecked Sendable {
    let pointers: UnsafeBufferPointer<Int>
    let rows: UnsafeBufferPointer<Int>
    let g: UnsafePointer<Double>
    let gStride: Int
    let x: UnsafePointer<Double>
    let xStride: Int
    let inner: Int
    let out: UnsafeMutablePointer<Double>

    func run(columns: Range<Int>) {
        var k = 0
        while k + 4 <= inner {
            let g0 = g + k * gStride, g1 = g0 + gStride, g2 = g1 + gStride, g3 = g2 + gStride
            for j in columns {
                let base = x + j + k * xStride
                let x0 = base[0], x1 = base[xStride], x2 = base[2 * xStride], x3 = base[3 * xStride]
                for p in pointers[j]..<pointers[j + 1] {
                    let i = rows[p]
                    out[p] += (g0[i] * x0 + g1[i] * x1) + (g2[i] * x2 + g3[i] * x3)
                }
            }
            k += 4
        }
        while k < inner {
            let gk = g + k * gStride
            for j in columns {
                let xjk = x[j + k * xStride]
                for p in pointers[j]..<pointers[j + 1] { out[p] += gk[rows[p]] * xjk }
            }
            k += 1
        }
    }
}
