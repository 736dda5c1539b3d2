import Engine
import Foundation
import SparseJacobian
import Testing

/// Lets a test hand programs to the threads it starts.
private struct Unchecked<T>: @unchecked Sendable { let value: T }

/// Two programs that share one CholmodContext, run on two threads at once
/// (issue 12: this crashed inside CHOLMOD before the context had a lock).
@Suite struct SharedContextTests {
    @Test func twoProgramsOnOneContextOnTwoThreads() throws {
        let context = CholmodContext()
        let a = try SparseMatrix.gridLaplacian(side: 30, shift: 0.5)
        let n = a.rows
        func makeProgram() throws -> Program {
            try Program(inputShapes: [[a.pattern.nonzeroCount], [n, 3]], gradientsFor: [0, 1], context: context) { v in
                let x = solve(a.pattern, values: v[0], v[1])
                return (matmul(a.pattern, values: v[0], x) * x).sum() + logDeterminant(a.pattern, values: v[0])
            }
        }
        let inputs = [TensorValue(a.values), testInput(shape: [n, 3], salt: 5)]
        let expected = try makeProgram().run(inputs)
        let programs = Unchecked(value: try [makeProgram(), makeProgram()])
        let agreed = Unchecked(value: UnsafeMutableBufferPointer<Bool>.allocate(capacity: 2))
        defer { agreed.value.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 2) { t in
            var same = true
            for _ in 0..<25 {
                guard let result = try? programs.value[t].run(inputs) else { same = false; break }
                same = same && result.value.scalars == expected.value.scalars
                    && result.gradients.map(\.scalars) == expected.gradients.map(\.scalars)
            }
            agreed.value[t] = same
        }
        #expect(agreed.value.allSatisfy { $0 })
    }
}
