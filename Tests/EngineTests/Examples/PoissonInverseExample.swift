import Engine
import Foundation
import SparseJacobian
import Testing

/// A Poisson inverse problem: −∇·(κ∇u) = f on an m×m grid (zero Dirichlet
/// boundary), κ = exp θ per node; recover θ from observations of u for two
/// sources, by Adam through `solve`'s gradient.
///
/// The stiffness matrix is linear in κ: each grid edge (i, j) has conductance
/// (κᵢ + κⱼ)/2 and adds it at (i, i), (j, j) and subtracts it at (i, j), (j, i);
/// a boundary node also conducts κᵢ to the boundary. So A's values are M·κ for
/// a constant sparse M (one row per stored entry, one column per node), and the
/// program is values = M·exp θ, U = A(values)⁻¹·F, loss = ½‖U − U_obs‖²/‖U_obs‖².
@Suite struct PoissonInverseExample {
    static let m = 5

    /// M with rows on A's value positions, and A's pattern.
    static func stiffness() throws -> (pattern: SparsityPattern, m: SparseMatrix) {
        let n = m * m
        var entries: [(row: Int, column: Int, node: Int, weight: Double)] = []
        func conduct(_ i: Int, _ j: Int) {
            for node in [i, j] {
                entries += [(i, i, node, 0.5), (j, j, node, 0.5), (i, j, node, -0.5), (j, i, node, -0.5)]
            }
        }
        for y in 0..<m {
            for x in 0..<m {
                let i = x + m * y
                if x + 1 < m { conduct(i, i + 1) }
                if y + 1 < m { conduct(i, i + m) }
                let boundarySides = (x == 0 ? 1 : 0) + (x == m - 1 ? 1 : 0) + (y == 0 ? 1 : 0) + (y == m - 1 ? 1 : 0)
                if boundarySides > 0 { entries.append((i, i, i, Double(boundarySides))) }
            }
        }
        let pattern = try SparsityPattern(rows: n, columns: n, rowIndices: entries.map(\.row),
                                          columnIndices: entries.map(\.column))
        let positions = try pattern.positions(ofEntries: entries.map { (row: $0.row, column: $0.column) })
        let map = try SparseMatrix(rows: pattern.nonzeroCount, columns: n, rowIndices: positions,
                                   columnIndices: entries.map(\.node), values: entries.map(\.weight))
        return (pattern, map)
    }

    @Test func coefficientIsRecoveredFromObservations() throws {
        let n = Self.m * Self.m
        let (pattern, map) = try Self.stiffness()
        let truth = TensorValue((0..<n).map { (i: Int) -> Double in
            0.6 * sin(Double(i % Self.m) * 0.9) * cos(Double(i / Self.m) * 0.7)
        })
        // Two sources: uniform, and one that varies from node to node.
        let uniform = [Double](repeating: 1, count: n)
        let varied = (0..<n).map { (i: Int) -> Double in Double((i * 7) % 5) }
        let f = try TensorValue(shape: [n, 2], scalars: uniform + varied)
        let forward = try Program(inputShapes: [[n]]) { v in solve(pattern, values: matmul(map, exp(v[0])), f) }
        let observed = try forward.value([truth])
        let scale = 1 / observed.scalars.reduce(0) { $0 + $1 * $1 }
        let misfit = try Program(inputShapes: [[n]], gradientsFor: [0]) { v in
            square(solve(pattern, values: matmul(map, exp(v[0])), f) - observed).sum() * (0.5 * scale)
        }
        // The gradient through the sparse solve matches central differences.
        #expect(try GradientCheck.check(misfit, at: [TensorValue([Double](repeating: 0.1, count: n))]).passed)
        let adam = try Adam(try Parameters(misfit, named: ["theta": 0]), learningRate: 0.05)
        var theta = [try TensorValue(repeating: 0, shape: [n])]
        var result = misfit.makeResult()
        var first = 0.0
        for step in 0..<1500 {
            try misfit.run(theta, into: &result)
            if step == 0 { first = result.value.scalar }
            try adam.step(&theta, gradients: result)
        }
        let error = zip(theta[0].scalars, truth.scalars).map { abs($0 - $1) }.max()!
        #expect(result.value.scalar < 1e-4 * first, "misfit \(first) → \(result.value.scalar)")
        #expect(error < 0.05, "largest error in θ: \(error)")
    }
}
