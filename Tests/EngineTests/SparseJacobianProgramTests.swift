import Foundation
@testable import Engine
import SparseJacobian
import Testing

/// A small program whose Jacobians are checked entry by entry.
struct JacobianCase: Sendable, CustomTestStringConvertible {
    let name: String
    let shapes: [[Int]]
    /// Inputs whose Jacobian is checked (and differentiated).
    let inputs: [Int]
    var positive = false
    /// No op with a dense or conservative structure on the path: the pattern is
    /// exactly the numeric nonzeros.
    var exact = true
    let f: @Sendable ([Tensor]) throws -> Tensor

    var testDescription: String { name }
}

private let laplacian = try! SparseMatrix.gridLaplacian(side: 4)

let jacobianCases: [JacobianCase] = [
    JacobianCase(name: "elementwise chain", shapes: [[3, 4]], inputs: [0]) { v in tanh(v[0]) * v[0] + exp(v[0] * 0.5) },
    JacobianCase(name: "1-D stencil from slices", shapes: [[9]], inputs: [0]) { v in
        let x = v[0]
        let second = x.slice(axis: 0, 2..<9) - 2 * x.slice(axis: 0, 1..<8) + x.slice(axis: 0, 0..<7)
        return second + square(x.slice(axis: 0, 1..<8))
    },
    JacobianCase(name: "2-D Laplacian plus cube", shapes: [[16]], inputs: [0]) { v in
        matmul(laplacian, v[0]) + v[0] * v[0] * v[0]
    },
    JacobianCase(name: "sparse product, both operands", shapes: [[laplacian.pattern.nonzeroCount], [16, 2]], inputs: [0, 1]) { v in
        sigmoid(matmul(laplacian.pattern, values: v[0], v[1]))
    },
    JacobianCase(name: "sparse product by rows", shapes: [[rectangular.pattern.nonzeroCount], [4, 2]], inputs: [0, 1]) { v in
        matmul(rectangular.pattern, values: v[0], v[1], byRows: true)
    },
    JacobianCase(name: "two sparse maps in a row", shapes: [[3, 2]], inputs: [0]) { v in
        matmul(rectangular.transposed, matmul(rectangular, v[0]))
    },
    JacobianCase(name: "broadcasting and sums", shapes: [[3, 1], [1, 4]], inputs: [0, 1]) { v in
        (v[0] * v[1] + v[0]).sum(axis: 1)
    },
    JacobianCase(name: "gather, concatenate, transpose", shapes: [[4, 3]], inputs: [0]) { v in
        try Tensor.concatenate([v[0].gathering(rows: [3, 1]), softplus(v[0]).slice(axis: 0, 0..<2)], axis: 1).transposed()
    },
    JacobianCase(name: "custom sparse stencil", shapes: [[7]], inputs: [0]) { v in v[0].tracer.apply(stencil(7), v) * 2 },
    JacobianCase(name: "row max (conservative)", shapes: [[3, 4]], inputs: [0], exact: false) { v in
        v[0].max(axis: 1) + v[0].sum(axis: 1)
    },
    JacobianCase(name: "matrix product (Kronecker blocks)", shapes: [[3, 4], [4, 2]], inputs: [0, 1]) { v in
        tanh(matmul(v[0], v[1]))
    },
    // Softmax is one op, declared block diagonal: exactly its dense blocks per row.
    JacobianCase(name: "softmax rows", shapes: [[3, 4]], inputs: [0]) { v in v[0].softmax(axis: 1) },
    JacobianCase(name: "log-softmax of a product", shapes: [[2, 3, 2]], inputs: [0]) { v in
        (v[0] * v[0]).logSoftmax(axis: 1)
    },
    JacobianCase(name: "dense: cumulative sum", shapes: [[6]], inputs: [0], exact: false) { v in
        v[0].tracer.apply(CumulativeSum(), [v[0]]) * v[0]
    },
    JacobianCase(name: "dense: scalar times a vector", shapes: [[], [5]], inputs: [0, 1]) { v in exp(v[0] * v[1]) },
    JacobianCase(name: "dense: spd solve", shapes: [[9]], inputs: [0], exact: false) { v in
        let values = v[0].tracer.constant(TensorValue(grid.values))
        return solve(grid.pattern, values: values, square(v[0]))
    },
]

/// Counts kernel calls (tests run kernels on one thread per program).
final class Counter: @unchecked Sendable {
    private(set) var count = 0
    func add() { count += 1 }
}

@Suite struct SparseJacobianProgramTests {
    /// The pattern holds every numeric nonzero (and only those when exact), J
    /// matches central differences and, to rounding, one dense VJP per row.
    @Test(arguments: jacobianCases)
    func jacobianMatchesNumericAndDenseProducts(_ c: JacobianCase) throws {
        let program = try Program(inputShapes: c.shapes, gradientsFor: c.inputs) { try c.f($0) }
        let inputs = c.shapes.enumerated().map { testInput(shape: $0.element, salt: $0.offset, positive: c.positive) }
        let outputs = Shape.count(program.outputShape)
        for (slot, k) in c.inputs.enumerated() {
            let pattern = try program.jacobianPattern(input: k)
            let numeric = try GradientCheck.numericJacobian(program, at: inputs, input: k)
            #expect(pattern.shape == [numeric.rows, numeric.columns])
            for i in 0..<numeric.rows {
                for j in 0..<numeric.columns {
                    let stored = pattern.position(row: i, column: j) != nil
                    if Swift.abs(numeric[i, j]) > 1e-9 {
                        #expect(stored, "\(c.name) input \(k): numeric nonzero (\(i), \(j)) missing from the pattern")
                    } else if c.exact {
                        #expect(!stored, "\(c.name) input \(k): (\(i), \(j)) is in the pattern but zero")
                    }
                }
            }
            let jacobian = try program.sparseJacobian(at: inputs, input: k)
            #expect(jacobian.pattern == pattern)
            let dense = jacobian.dense()
            for i in 0..<numeric.rows {
                for j in 0..<numeric.columns {
                    #expect(Swift.abs(dense[i, j] - numeric[i, j]) < 1e-6 * (1 + Swift.abs(numeric[i, j])),
                            "\(c.name) input \(k): (\(i), \(j)) is \(dense[i, j]), numerically \(numeric[i, j])")
                }
            }
            var seed = try TensorValue(repeating: 0, shape: program.outputShape)
            for i in 0..<outputs {
                seed.scalars[i] = 1
                let row = try program.run(inputs, seed: seed).gradients[slot]
                seed.scalars[i] = 0
                for j in 0..<row.scalars.count {
                    #expect(Swift.abs(dense[i, j] - row.scalars[j]) <= 1e-12 * (1 + Swift.abs(row.scalars[j])),
                            "\(c.name) input \(k): (\(i), \(j)) is \(dense[i, j]), row VJP \(row.scalars[j])")
                }
            }
            let products = try program.jacobianProductCount(input: k)
            #expect(products <= outputs)
            #expect(products == RowColoring(pattern: pattern).colorCount)
        }
    }

    @Test func stencilsNeedFewProducts() throws {
        let side = 12
        let l = try SparseMatrix.gridLaplacian(side: side)
        let program = try Program(inputShapes: [[side * side]], gradientsFor: [0]) { v in matmul(l, v[0]) + square(v[0]) }
        #expect(try program.jacobianPattern(input: 0) == l.pattern)
        #expect(try program.jacobianProductCount(input: 0) <= 6)
        let dense = try Program(inputShapes: [[6]], gradientsFor: [0]) { v in v[0].tracer.apply(CumulativeSum(), v) }
        #expect(try dense.jacobianProductCount(input: 0) == 6)
    }

    @Test func anIndependentOutputHasAnEmptyJacobianAndNoProducts() throws {
        let program = try Program(inputShapes: [[3], [2]], gradientsFor: [0, 1]) { v in exp(v[1]) }
        #expect(try program.jacobianProductCount(input: 0) == 0)
        let j = try program.sparseJacobian(at: [TensorValue([1, 2, 3]), TensorValue([0, 1])], input: 0)
        #expect(j.shape == [2, 3] && j.pattern.nonzeroCount == 0)
        #expect(throws: EngineError.inputCount(expected: 2, actual: 1)) {
            try program.sparseJacobian(at: [TensorValue([1, 2, 3])], input: 0)
        }
    }

    @Test func errorsAreTyped() throws {
        let program = try Program(inputShapes: [[3], [3]], gradientsFor: [1]) { v in v[0] * v[1] }
        let inputs = [TensorValue([1, 2, 3]), TensorValue([4, 5, 6])]
        #expect(throws: EngineError.jacobianInputNotDifferentiated(input: 0, gradientInputs: [1])) {
            try program.sparseJacobian(at: inputs, input: 0)
        }
        #expect(throws: EngineError.invalidGradientRequest(input: 2, inputCount: 2)) { try program.jacobianPattern(input: 2) }
        // The pattern needs no gradient: input 0's is the diagonal.
        #expect(try program.jacobianPattern(input: 0) == .diagonal(3))
        let a = try SparseMatrix.gridLaplacian(side: 2, shift: 1)
        let logdet = try Program(inputShapes: [[a.pattern.nonzeroCount]]) { v in logDeterminant(a.pattern, values: v[0]) }
        // logdet's gradient is A⁻¹ on the pattern: its Jacobian is one dense row.
        let row = try logdet.jacobianPattern(input: 0)
        #expect(row.rows == 1 && row.columns == a.pattern.nonzeroCount && row.nonzeroCount == a.pattern.nonzeroCount)
    }

    /// A dense Jacobian of 19,000 × 20,000 entries (more than
    /// `maximumJacobianEntries`) is refused with a typed error, not built.
    @Test func aTooLargeDenseJacobianIsRefused() throws {
        let program = try Program(inputShapes: [[20_000]]) { v in
            tanh(v[0].tracer.apply(CumulativeSum(), [v[0]]).slice(axis: 0, 0..<19_000))
        }
        #expect {
            try program.jacobianPattern(input: 0)
        } throws: { error in
            if case EngineError.invalidArgument(op: "jacobianPattern", shape: [19_000, 20_000], reason: _) = error { return true }
            return false
        }
    }

    /// The pattern comes from the declarations alone: no kernel runs.
    @Test func thePatternComputesNoNumbers() throws {
        let runs = Counter()
        let op = CustomSparseOperation(name: "counted", pattern: tridiagonalPattern(5), forward: { _, _ in runs.add() },
                                       jacobianValues: { _, _ in runs.add() })
        let program = try Program(inputShapes: [[5]], gradientsFor: [0]) { v in exp(v[0].tracer.apply(op, v)) }
        #expect(try program.jacobianPattern(input: 0) == tridiagonalPattern(5))
        #expect(try program.jacobianProductCount(input: 0) == 3)
        #expect(runs.count == 0)
        _ = try program.sparseJacobian(at: [TensorValue([1, 2, 3, 4, 5])], input: 0)
        #expect(runs.count == 6)  // three products, each one forward and one values kernel
    }

    @Test func theCacheBelongsToItsProgram() throws {
        // Programs made and dropped in turn may reuse an address: each must see its own pattern.
        for n in 2...6 {
            let program = try Program(inputShapes: [[n]], gradientsFor: [0]) { v in v[0].sum(axis: 0, keepDimension: true) }
            #expect(try program.jacobianPattern(input: 0) == .full(rows: 1, columns: n))
        }
    }
}
