import Foundation
import SparseJacobian
import Testing

/// Lets the tests hand non-Sendable objects to threads they start themselves.
struct Shared<T>: @unchecked Sendable { let value: T }

/// One `CholmodContext` used from two threads at once.
@Suite struct ContextThreadTests {
    @Test func twoFactorsOnOneContextOnTwoThreads() throws {
        let context = CholmodContext()
        let a = try SparseMatrix.gridLaplacian(side: 40, shift: 0.3)
        let b = try DenseMatrix(rows: a.rows, columns: 2, values: (0..<(2 * a.rows)).map { sin(Double($0)) })
        let expected = try SparseCholesky(a, context: CholmodContext()).solve(b)
        let factors = Shared(value: try (0..<2).map { _ in try SparseCholesky(pattern: a.pattern, context: context) })
        let results = Shared(value: UnsafeMutableBufferPointer<Bool>.allocate(capacity: 2))
        defer { results.value.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 2) { t in
            var good = true
            for round in 0..<30 {
                do {
                    let factor = factors.value[t]
                    try factor.factorize(values: a.values)
                    let x = try factor.solve(b)
                    good = good && x.values == expected.values
                    // Products on the same context meanwhile, split or not.
                    let y = try a.multiplied(by: x, context: context)
                    good = good && zip(y.values, b.values).allSatisfy { abs($0 - $1) < 1e-9 }
                    if round % 10 == 0 { context.releaseWorkspace() }
                } catch { good = false }
            }
            results.value[t] = good
        }
        #expect(results.value.allSatisfy { $0 })
        #expect(context.factorizationCount == 60)
        #expect(context.analysisCount == 2)
    }
}
