extension SparsityPattern {
    /// The sampled dense-dense product (SDDMM) on this pattern:
    /// `out[p] (+)= Σ_k G[i, k]·X[j, k]` for every stored entry `p = (i, j)`.
    ///
    /// With G = ∂L/∂Y of Y = A·X it is ∂L/∂(values of A): the gradient keeps A's
    /// pattern and never forms the dense rows×columns matrix G·Xᵀ. CHOLMOD has no
    /// such kernel, so it is written here.
    ///
    /// `g` is rows × `inner` and `x` columns × `inner`, column-major and contiguous.
    ///
    /// Cost: 2·nnz·inner flops, memory-bound. The columns are taken in tiles of
    /// `sampledProductTile` (16,384) and, within a tile, four inner columns of G
    /// and X at a time: few enough concurrent memory streams (3 row regions of
    /// 4 columns of G on a grid, 4 of X, the row indices, `out`) for the hardware
    /// prefetchers, which wider blocks of 8 or 16 overwhelm (measured 1.3–1.5×
    /// slower), while the tile's row indices and `out` stay in cache between its
    /// ⌈inner/4⌉ passes. So the pattern and `out` come from memory about once,
    /// G and X once (G's rows are gathered, but a column of a banded or grid
    /// pattern touches nearby rows): the minimum traffic nnz·(8 + 8) +
    /// (columns + 1)·8 + (rows + columns)·inner·8 bytes. Large problems split
    /// their columns over the threads of `ParallelLoop.shared`, in ranges of
    /// equal nonzero counts.
    public func sampledProduct(_ g: UnsafePointer<Double>, _ x: UnsafePointer<Double>, inner: Int,
                               into out: UnsafeMutablePointer<Double>, accumulate: Bool = false) {
        precondition(inner >= 0, "negative inner dimension")
        if nonzeroCount == 0 { return }
        if inner == 0 {
            if !accumulate { out.update(repeating: 0, count: nonzeroCount) }
            return
        }
        let chunks = Self.chunkCount(work: nonzeroCount * inner, columns: columns)
        columnPointers.withUnsafeBufferPointer { pointers in
            rowIndices.withUnsafeBufferPointer { indices in
                let kernel = SampledProductKernel(pointers: pointers, rows: indices, g: g, gStride: rows,
                                                  x: x, xStride: columns, inner: inner, out: out,
                                                  accumulate: accumulate)
                ParallelLoop.shared.run(parts: chunks) { c in
                    kernel.run(columns: balancedColumns(part: c, of: chunks))
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

/// Inner columns of G and X per pass of the SDDMM over a tile of the pattern.
let sampledProductBlock = 4
/// Columns of the pattern per tile of the SDDMM.
let sampledProductTile = 16_384

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
    let accumulate: Bool

    /// The columns in tiles of `sampledProductTile`.
    func run(columns: Range<Int>) {
        var start = columns.lowerBound
        while start < columns.upperBound {
            let end = min(start + sampledProductTile, columns.upperBound)
            run(tile: start..<end)
            start = end
        }
    }

    /// One pass over the tile per block of inner columns: for each column j,
    /// X[j, block] is copied to a small local buffer, then every entry (i, j)
    /// gets Σ over the block of G[i, k]·X[j, k] (four partial sums).
    private func run(tile columns: Range<Int>) {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: sampledProductBlock) { xs in
            var k0 = 0
            while k0 < inner {
                let width = min(sampledProductBlock, inner - k0)
                let add = accumulate || k0 > 0
                let gBlock = g + k0 * gStride, xBlock = x + k0 * xStride
                for j in columns {
                    for k in 0..<width { xs[k] = xBlock[j + k * xStride] }
                    for p in pointers[j]..<pointers[j + 1] {
                        let gi = gBlock + rows[p]
                        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                        var k = 0
                        while k + 4 <= width {
                            s0 += gi[k * gStride] * xs[k]
                            s1 += gi[(k + 1) * gStride] * xs[k + 1]
                            s2 += gi[(k + 2) * gStride] * xs[k + 2]
                            s3 += gi[(k + 3) * gStride] * xs[k + 3]
                            k += 4
                        }
                        while k < width { s0 += gi[k * gStride] * xs[k]; k += 1 }
                        let sum = (s0 + s1) + (s2 + s3)
                        out[p] = add ? out[p] + sum : sum
                    }
                }
                k0 += width
            }
        }
    }
}
