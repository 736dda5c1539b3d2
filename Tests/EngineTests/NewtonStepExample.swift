import Engine
import Foundation
import SparseJacobian
import Testing

/// A documented example: Newton's method on a discretized nonlinear PDE with
/// the Jacobian from `sparseJacobian`.
///
/// On an m × m grid, solve r(u) = L·u + u³ − f = 0, where L is the 5-point
/// Laplacian with Dirichlet boundary, taken positive (−Δ: 4 on the diagonal,
/// −1 per neighbour; `SparseMatrix.gridLaplacian`), a constant sparse matrix in
/// the program (`matmul(l, u)`). One Newton step solves J·δ = r(u) and sets
/// u ← u − δ with
///
///     J = ∂r/∂u = L + diag(3u²).
///
/// L is symmetric positive definite and diag(3u²) is positive semidefinite, so
/// J is symmetric positive definite for every u (for u ≥ 0 in particular, the
/// physical case), and the library's CHOLMOD Cholesky (`SparseCholesky`)
/// solves it. The program's pattern is L's (the cube only adds the diagonal),
/// its row coloring has 5 colors, so J costs 5 vector-Jacobian products
/// whatever m is.
@Suite struct NewtonStepExample {
    @Test func newtonStepsOnTheGridDropTheResidual() throws {
        let m = 24, n = m * m
        let l = try SparseMatrix.gridLaplacian(side: m)
        // r(u) = L·u + u³ − f, f an input so the same program serves any right-hand side.
        let residual = try Program(inputShapes: [[n], [n]], gradientsFor: [0]) { v in
            let (u, f) = (v[0], v[1])
            return matmul(l, u) + u * u * u - f
        }
        // f from a known positive solution u*(x, y) = 1 + sin(πx)·sin(πy), so r(u*) = 0.
        let exact = (0..<n).map { k -> Double in
            let x = Double(k % m + 1) / Double(m + 1), y = Double(k / m + 1) / Double(m + 1)
            return 1 + sin(.pi * x) * sin(.pi * y)
        }
        let lu = try l.multiplied(by: DenseMatrix(rows: n, columns: 1, values: exact), context: CholmodContext())
        let f = TensorValue((0..<n).map { lu.values[$0] + pow(exact[$0], 3) })

        // Start near it (Newton's basin): u₀ = u* + 0.2·cos(k), positive.
        var u = TensorValue((0..<n).map { exact[$0] + 0.2 * cos(Double($0)) })
        var norms = [norm(try residual.value([u, f]))]
        for _ in 0..<4 {
            let r = try residual.value([u, f])
            let jacobian = try residual.sparseJacobian(at: [u, f], input: 0)   // L + diag(3u²), 5 VJPs
            let delta = try SparseCholesky(jacobian, context: CholmodContext())
                .solve(DenseMatrix(rows: n, columns: 1, values: r.scalars))
            for k in 0..<n { u.scalars[k] -= delta.values[k] }
            norms.append(norm(try residual.value([u, f])))
        }
        #expect(try residual.jacobianProductCount(input: 0) == 5)
        #expect(try residual.jacobianPattern(input: 0) == l.pattern)
        // One step gains a factor of more than 10 (30.5 → 2.65 here); the next ones
        // are quadratic (‖r_{k+1}‖ ≤ ‖r_k‖², 2.65 → 0.027 → ~1e-5 → ~1e-11) up to rounding.
        #expect(norms[1] < 0.1 * norms[0], "\(norms)")
        #expect(norms[2] < norms[1] * norms[1] && norms[3] < norms[2] * norms[2], "\(norms)")
        #expect(zip(u.scalars, exact).allSatisfy { Swift.abs($0 - $1) < 1e-9 })
    }

    /// J from the coloring is L + diag(3u²), entry by entry.
    @Test func theJacobianIsTheLaplacianPlusThreeUSquared() throws {
        let m = 6, n = m * m
        let l = try SparseMatrix.gridLaplacian(side: m)
        let residual = try Program(inputShapes: [[n]], gradientsFor: [0]) { v in matmul(l, v[0]) + v[0] * v[0] * v[0] }
        let u = TensorValue((0..<n).map { 0.2 + 0.05 * Double($0) })
        let jacobian = try residual.sparseJacobian(at: [u], input: 0)
        let expected = try l.multiplied(by: .identity(n), context: CholmodContext()).dense()
        let dense = jacobian.dense()
        for i in 0..<n {
            for j in 0..<n {
                let value = expected[i, j] + (i == j ? 3 * u.scalars[i] * u.scalars[i] : 0)
                #expect(Swift.abs(dense[i, j] - value) < 1e-12)
            }
        }
    }
}

private func norm(_ t: TensorValue) -> Double { t.scalars.reduce(0) { $0 + $1 * $1 }.squareRoot() }
