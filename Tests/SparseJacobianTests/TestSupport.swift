import SparseJacobian
import Testing

/// SplitMix64: a small deterministic generator, so every test sees the same numbers.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A random rows×columns dense matrix with entries in [−1, 1].
func randomDense(_ rows: Int, _ columns: Int, _ rng: inout SeededGenerator) -> DenseMatrix {
    try! DenseMatrix(rows: rows, columns: columns,
                     values: (0..<(rows * columns)).map { _ in Double.random(in: -1...1, using: &rng) })
}

/// A random sparse matrix with about `density`·rows·columns entries.
func randomSparse(_ rows: Int, _ columns: Int, density: Double, _ rng: inout SeededGenerator) -> SparseMatrix {
    var r = [Int](), c = [Int](), v = [Double]()
    for j in 0..<columns {
        for i in 0..<rows where Double.random(in: 0..<1, using: &rng) < density {
            r.append(i); c.append(j); v.append(Double.random(in: -1...1, using: &rng))
        }
    }
    return try! SparseMatrix(rows: rows, columns: columns, rowIndices: r, columnIndices: c, values: v)
}

/// A·B with plain loops: the reference every product is checked against.
func referenceProduct(_ a: DenseMatrix, _ b: DenseMatrix) -> DenseMatrix {
    precondition(a.columns == b.rows)
    var c = DenseMatrix.zeros(rows: a.rows, columns: b.columns)
    for i in 0..<a.rows { for j in 0..<b.columns {
        var s = 0.0
        for k in 0..<a.columns { s += a[i, k] * b[k, j] }
        c[i, j] = s
    } }
    return c
}

/// Largest |a − b| over all entries, relative to max(1, largest |b|).
func relativeError(_ a: DenseMatrix, _ b: DenseMatrix) -> Double {
    #expect(a.shape == b.shape)
    let scale = max(1, b.values.map(abs).max() ?? 0)
    return zip(a.values, b.values).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
}

/// Runs `body` and expects CHOLMOD's allocation count, workspace released, to come
/// back to where it was: every object made inside has been freed.
func expectNoCholmodLeak(_ context: CholmodContext, _ body: () throws -> Void) rethrows {
    let before = context.allocationCount
    try body()
    context.releaseWorkspace()
    #expect(context.allocationCount == before, "CHOLMOD objects leaked")
}
