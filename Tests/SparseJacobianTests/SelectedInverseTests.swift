@testable import SparseJacobian
import Testing

/// The inverse of a small SPD dense matrix by Gauss–Jordan elimination: the reference.
func denseInverse(_ a: DenseMatrix) -> DenseMatrix {
    let n = a.rows
    var m = a, inverse = DenseMatrix.zeros(rows: n, columns: n)
    for i in 0..<n { inverse[i, i] = 1 }
    for c in 0..<n {
        let pivot = m[c, c]
        for j in 0..<n { m[c, j] /= pivot; inverse[c, j] /= pivot }
        for r in 0..<n where r != c {
            let f = m[r, c]
            if f == 0 { continue }
            for j in 0..<n { m[r, j] -= f * m[c, j]; inverse[r, j] -= f * inverse[c, j] }
        }
    }
    return inverse
}

/// A random symmetric positive definite matrix (full pattern, both triangles)
/// with about `density`·n² off-diagonal entries, diagonally dominant.
func randomSPD(_ n: Int, density: Double, _ rng: inout SeededGenerator) -> SparseMatrix {
    var entries = [Int: Double]()
    for j in 0..<n {
        for i in (j + 1)..<max(n, j + 1) where Double.random(in: 0..<1, using: &rng) < density {
            let v = Double.random(in: -1...1, using: &rng)
            entries[i * n + j] = v
            entries[j * n + i] = v
        }
    }
    var rowSums = [Double](repeating: 0, count: n)
    for (key, v) in entries { rowSums[key / n] += abs(v) }
    for i in 0..<n { entries[i * n + i] = rowSums[i] + 0.5 + Double.random(in: 0..<1, using: &rng) }
    let keys = entries.keys.sorted { ($0 % n, $0 / n) < ($1 % n, $1 / n) }
    return try! SparseMatrix(rows: n, columns: n, rowIndices: keys.map { $0 / n }, columnIndices: keys.map { $0 % n },
                             values: keys.map { entries[$0]! })
}

@Suite struct SelectedInverseTests {
    let context = CholmodContext()

    /// Checks selectedInverse and logDeterminantGradient against the dense inverse.
    private func check(_ a: SparseMatrix, expectSupernodal: Bool? = nil) throws {
        try expectNoCholmodLeak(context) {
            let factor = try SparseCholesky(a, context: context)
            if let expectSupernodal { #expect(factor.isSupernodal == expectSupernodal) }
            let z = try factor.selectedInverse()
            let reference = denseInverse(a.dense())
            let scale = reference.values.map(abs).max() ?? 1
            let columns = a.pattern.columnIndices
            var gradient = [Double](repeating: .nan, count: a.pattern.nonzeroCount)
            try gradient.withUnsafeMutableBufferPointer { g in
                try factor.logDeterminantGradient(scale: 1, into: g.baseAddress!, accumulate: false)
            }
            for p in 0..<a.pattern.nonzeroCount {
                let i = a.pattern.rowIndices[p], j = columns[p]
                let expected = i >= j ? reference[i, j] : 0
                #expect(abs(z[p] - expected) <= 1e-12 * scale, "entry (\(i), \(j))")
                let weight = i > j ? 2.0 : (i == j ? 1.0 : 0.0)
                #expect(abs(gradient[p] - weight * expected) <= 2e-12 * scale)
            }
        }
    }

    @Test(arguments: [(12, 0.3), (40, 0.1), (60, 0.05), (30, 0.0)])
    func randomPatternsMatchTheDenseInverse(n: Int, density: Double) throws {
        var rng = SeededGenerator(seed: UInt64(n))
        try check(randomSPD(n, density: density, &rng))
    }

    @Test(arguments: [1, 2, 7, 12])
    func gridsMatchTheDenseInverse(side: Int) throws {
        try check(.gridLaplacian(side: side, shift: 0.25))
    }

    /// A full 80×80 pattern makes CHOLMOD choose a supernodal factor; the copy
    /// is made simplicial LDLᵀ either way.
    @Test func supernodalFactorMatchesTheDenseInverse() throws {
        var rng = SeededGenerator(seed: 80)
        try check(randomSPD(80, density: 1, &rng), expectSupernodal: true)
        try check(randomSPD(150, density: 0.3, &rng), expectSupernodal: true)
        try check(.gridLaplacian(side: 3, shift: 1), expectSupernodal: false)
    }

    /// The supernodal (blocked, BLAS) and simplicial (Takahashi on an LDLᵀ copy)
    /// selected inversions agree, on grids and random patterns, every ordering.
    @Test(arguments: [CholeskyOrdering.amd, .metis])
    func supernodalAndSimplicialInversionsAgree(ordering: CholeskyOrdering) throws {
        var rng = SeededGenerator(seed: 17)
        for a in [try SparseMatrix.gridLaplacian(side: 45, shift: 0.1), randomSPD(300, density: 0.02, &rng)] {
            try expectNoCholmodLeak(context) {
                let blocked = try SparseCholesky(pattern: a.pattern, context: context, ordering: ordering, supernodal: true)
                let columns = try SparseCholesky(pattern: a.pattern, context: context, ordering: ordering, supernodal: false)
                try blocked.factorize(values: a.values)
                try columns.factorize(values: a.values)
                #expect(blocked.isSupernodal && !columns.isSupernodal)
                let zb = try blocked.selectedInverse(), zc = try columns.selectedInverse()
                let scale = zc.map(abs).max() ?? 1
                #expect(zip(zb, zc).allSatisfy { abs($0 - $1) <= 1e-11 * scale })
                // Again on the same factors (the cached positions) after new values.
                let shifted = a.values.enumerated().map { a.pattern.rowIndices[$0.offset] == a.pattern.columnIndices[$0.offset] ? $0.element + 1 : $0.element }
                try blocked.factorize(values: shifted)
                try columns.factorize(values: shifted)
                let zb2 = try blocked.selectedInverse(), zc2 = try columns.selectedInverse()
                #expect(zip(zb2, zc2).allSatisfy { abs($0 - $1) <= 1e-11 * scale })
                #expect(zb2 != zb)
            }
        }
    }

    @Test func lowerHalfOnlyGivesTheSameInverse() throws {
        var rng = SeededGenerator(seed: 5)
        let full = randomSPD(25, density: 0.2, &rng)
        let columns = full.pattern.columnIndices
        let lower = (0..<full.pattern.nonzeroCount).filter { full.pattern.rowIndices[$0] >= columns[$0] }
        let half = try SparseMatrix(rows: 25, columns: 25, rowIndices: lower.map { full.pattern.rowIndices[$0] },
                                    columnIndices: lower.map { columns[$0] }, values: lower.map { full.values[$0] })
        let fromFull = try SparseCholesky(full, context: context).selectedInverse()
        let fromHalf = try SparseCholesky(half, context: context).selectedInverse()
        #expect(lower.map { fromFull[$0] } == fromHalf)
    }

    @Test func notPositiveDefiniteIsATypedError() throws {
        let a = try SparseMatrix.gridLaplacian(side: 4, shift: -1)   // smallest eigenvalue < 0
        let factor = try SparseCholesky(pattern: a.pattern, context: context)
        #expect(throws: SparseError.self) { try factor.factorize(values: a.values) }
        #expect(throws: SparseError.notFactorized) { try factor.selectedInverse() }
    }
}
