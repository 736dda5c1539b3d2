@testable import Engine
import SparseJacobian
import Testing

/// One row of the gradient table: a traced function of inputs of given shapes.
struct OpCase: Sendable, CustomTestStringConvertible {
    let name: String
    let shapes: [[Int]]
    var positive = false
    /// The function is one op applied to the inputs in order, so its declared
    /// structure can be checked against the numeric Jacobian.
    var singleOp = true
    let f: @Sendable ([Tensor]) throws -> Tensor

    var testDescription: String { "\(name) \(shapes)" }
}

let grid = try! SparseMatrix.gridLaplacian(side: 3, shift: 1)
let rectangular = try! SparseMatrix(rows: 4, columns: 3, rowIndices: [0, 1, 3, 2, 0, 3],
                                    columnIndices: [0, 0, 0, 1, 2, 2], values: [1, -2, 0.5, 3, 1.5, -1])

/// Every op, at several shapes, broadcasting included.
let opCases: [OpCase] = {
    var cases: [OpCase] = []
    let unary: [(String, Bool, @Sendable (Tensor) -> Tensor)] = [
        ("negate", false, { -$0 }), ("exp", false, { exp($0) }), ("log", true, { log($0) }),
        ("sqrt", true, { sqrt($0) }), ("tanh", false, { tanh($0) }), ("sigmoid", false, { sigmoid($0) }),
        ("relu", false, { relu($0) }), ("abs", false, { abs($0) }), ("square", false, { square($0) }),
        ("pow 2.5", true, { pow($0, 2.5) }), ("softplus", false, { softplus($0) }),
        ("add constant", false, { $0 + 3 }), ("scale", false, { $0 * -1.5 }),
        ("custom elementwise", false, { $0.elementwise("cube", { $0 * $0 * $0 }, derivative: { 3 * $0 * $0 }) }),
    ]
    for (name, positive, f) in unary {
        for shape in [[5], [3, 4], [2, 3, 2]] {
            cases.append(OpCase(name: name, shapes: [shape], positive: positive) { f($0[0]) })
        }
    }
    let binary: [(String, Bool, @Sendable (Tensor, Tensor) -> Tensor)] = [
        ("add", false, { $0 + $1 }), ("subtract", false, { $0 - $1 }), ("multiply", false, { $0 * $1 }),
        ("divide", true, { $0 / $1 }), ("maximum", false, { maximum($0, $1) }), ("minimum", false, { minimum($0, $1) }),
    ]
    for (name, positive, f) in binary {
        let direct = name == "add" || name == "multiply" || name == "maximum" || name == "minimum"
        cases.append(OpCase(name: name, shapes: [[3, 4], [3, 4]], positive: positive, singleOp: direct) { f($0[0], $0[1]) })
        for shapes in [[[3, 4], [4]], [[3, 1], [1, 4]], [[], [2, 3]], [[2, 1, 3], [4, 1]]] {
            cases.append(OpCase(name: name + " broadcast", shapes: shapes, positive: positive, singleOp: false) { f($0[0], $0[1]) })
        }
    }
    cases += [
        OpCase(name: "multiply by scalar tensor", shapes: [[3, 4], []]) { $0[0] * $0[1] },
        OpCase(name: "scalar tensor times", shapes: [[1], [5]]) { $0[0] * $0[1] },
        OpCase(name: "add scalar tensor", shapes: [[2, 3], [1, 1]]) { $0[0] + $0[1] },
        OpCase(name: "sum", shapes: [[3, 4]]) { $0[0].sum() },
        OpCase(name: "sum axis 0", shapes: [[3, 4]]) { $0[0].sum(axis: 0) },
        OpCase(name: "sum axis -1 keep", shapes: [[2, 3, 4]]) { $0[0].sum(axis: -1, keepDimension: true) },
        OpCase(name: "mean", shapes: [[3, 4]], singleOp: false) { $0[0].mean() },
        OpCase(name: "mean axis 1", shapes: [[3, 4]], singleOp: false) { $0[0].mean(axis: 1) },
        OpCase(name: "max", shapes: [[3, 4]]) { $0[0].max() },
        OpCase(name: "max axis 0", shapes: [[3, 4]]) { $0[0].max(axis: 0) },
        OpCase(name: "max axis 1", shapes: [[2, 3, 2]]) { $0[0].max(axis: 1) },
        OpCase(name: "reshape", shapes: [[3, 4]]) { $0[0].reshaped([2, 6]) },
        OpCase(name: "transpose", shapes: [[3, 4]]) { $0[0].transposed() },
        OpCase(name: "broadcast", shapes: [[3, 1]]) { $0[0].broadcast(to: [2, 3, 4]) },
        OpCase(name: "slice axis 0", shapes: [[5, 3]]) { $0[0].slice(axis: 0, 1..<4) },
        OpCase(name: "slice axis 1", shapes: [[2, 5, 2]]) { $0[0].slice(axis: 1, 2..<5) },
        OpCase(name: "gather rows", shapes: [[4, 3]]) { $0[0].gathering(rows: [2, 0, 2, 3, 1]) },
        OpCase(name: "gather vector", shapes: [[4]]) { $0[0].gathering(rows: [3, 3, 0]) },
        OpCase(name: "scatter rows", shapes: [[3, 2]]) { $0[0].scatteringRows(into: 5, at: [4, 0, 4]) },
        OpCase(name: "concatenate axis 0", shapes: [[2, 3], [4, 3]]) { try Tensor.concatenate($0, axis: 0) },
        OpCase(name: "concatenate axis 1", shapes: [[2, 3], [2, 1], [2, 2]]) { try Tensor.concatenate($0, axis: 1) },
        OpCase(name: "matmul", shapes: [[3, 4], [4, 2]]) { matmul($0[0], $0[1]) },
        OpCase(name: "matmul vector-like", shapes: [[1, 5], [5, 1]]) { matmul($0[0], $0[1]) },
        OpCase(name: "logsumexp", shapes: [[3, 4]]) { $0[0].logSumExp() },
        OpCase(name: "logsumexp axis 1", shapes: [[3, 4]]) { $0[0].logSumExp(axis: 1) },
        OpCase(name: "softmax axis 1 of 3", shapes: [[2, 3, 2]]) { $0[0].softmax(axis: 1) },
        OpCase(name: "softmax axis 1", shapes: [[3, 4]]) { $0[0].softmax(axis: 1) },
        OpCase(name: "log-softmax axis 0", shapes: [[3, 4]]) { $0[0].logSoftmax(axis: 0) },
        OpCase(name: "cross-entropy", shapes: [[4, 3]], singleOp: false) { crossEntropy(logits: $0[0], labels: [2, 0, 1, 2]) },
        OpCase(name: "mean squared error", shapes: [[3, 2], [3, 2]], singleOp: false) { meanSquaredError($0[0], $0[1]) },
        OpCase(name: "sparse matmul", shapes: [[rectangular.pattern.nonzeroCount], [3, 2]]) {
            matmul(rectangular.pattern, values: $0[0], $0[1])
        },
        OpCase(name: "sparse matmul by rows", shapes: [[rectangular.pattern.nonzeroCount], [4, 2]]) {
            matmul(rectangular.pattern, values: $0[0], $0[1], byRows: true)
        },
        OpCase(name: "sparse matvec", shapes: [[grid.pattern.nonzeroCount], [9]]) { matmul(grid.pattern, values: $0[0], $0[1]) },
        OpCase(name: "constant sparse matmul", shapes: [[3, 2]]) { matmul(rectangular, $0[0]) },
        OpCase(name: "custom sparse stencil", shapes: [[6]]) { $0[0].tracer.apply(stencil(6), $0) },
        OpCase(name: "custom general (cumulative sum)", shapes: [[5]]) { $0[0].tracer.apply(CumulativeSum(), $0) },
    ]
    // SPD solves: A = grid Laplacian values (+ the input's perturbation kept positive definite).
    for bShape in [[9], [9, 2]] {
        cases.append(OpCase(name: "spd solve", shapes: [[grid.pattern.nonzeroCount], bShape], singleOp: false) { v in
            let values = v[0].tracer.constant(TensorValue(grid.values)) + v[0] * 0.1
            return solve(grid.pattern, values: values, v[1])
        })
    }
    return cases
}()

@Suite struct GradientTableTests {
    @Test(arguments: opCases)
    func gradientsMatchFiniteDifferences(_ c: OpCase) throws {
        let inputs = c.shapes.enumerated().map { testInput(shape: $0.element, salt: $0.offset, positive: c.positive) }
        // Fused with saved values chosen by liveness (the default), and the baseline schedule.
        for optimize in [true, false] {
            let program = try Program(inputShapes: c.shapes, gradientsFor: Array(c.shapes.indices),
                                      options: ProgramOptions(optimizeMemory: optimize)) { try c.f($0) }
            let report = try GradientCheck.check(program, at: inputs)
            #expect(report.passed, "\(c.name) (optimizeMemory: \(optimize)): \(report)")
        }
    }

    /// Entries outside the declared diagonal or pattern are exactly zero, and an
    /// identity is the identity.
    @Test(arguments: opCases.filter(\.singleOp))
    func jacobianHasTheDeclaredStructure(_ c: OpCase) throws {
        // Unfused, so that the graph's last node is the op itself.
        let program = try Program(inputShapes: c.shapes, options: ProgramOptions(optimizeMemory: false)) { try c.f($0) }
        guard case let .operation(op, _) = program.graph.nodes.last!.kind else {
            Issue.record("\(c.name) is not a single op"); return
        }
        let inputs = c.shapes.enumerated().map { testInput(shape: $0.element, salt: $0.offset, positive: c.positive) }
        for k in c.shapes.indices {
            let jacobian = try GradientCheck.numericJacobian(program, at: inputs, input: k)
            switch op.derivative(forInput: k) {
            case .identity:
                for o in 0..<jacobian.rows { for i in 0..<jacobian.columns {
                    #expect(Swift.abs(jacobian[o, i] - (o == i ? 1 : 0)) < 1e-8, "\(c.name) input \(k)")
                } }
            case .diagonal:
                for o in 0..<jacobian.rows { for i in 0..<jacobian.columns where o != i {
                    #expect(jacobian[o, i] == 0, "\(c.name) input \(k): (\(o), \(i)) off the diagonal")
                } }
            case let .sparse(s):
                let (blockRows, blockColumns) = s.transposed ? (s.pattern.columns, s.pattern.rows)
                                                             : (s.pattern.rows, s.pattern.columns)
                for o in 0..<jacobian.rows { for i in 0..<jacobian.columns {
                    let sameBlock = o / blockRows == i / blockColumns
                    let (row, column) = s.transposed ? (i % blockColumns, o % blockRows) : (o % blockRows, i % blockColumns)
                    let stored = sameBlock && s.pattern.position(row: row, column: column) != nil
                    if !stored { #expect(jacobian[o, i] == 0, "\(c.name) input \(k): (\(o), \(i)) off the pattern") }
                } }
            case .dense, .none, .notDifferentiable:
                break
            }
        }
    }

    @Test func everyStructureIsExercised() throws {
        var seen = Set<String>()
        for c in opCases where c.singleOp {
            let program = try Program(inputShapes: c.shapes, options: ProgramOptions(optimizeMemory: false)) { try c.f($0) }
            if case let .operation(op, _) = program.graph.nodes.last!.kind {
                for k in c.shapes.indices { seen.insert(op.derivative(forInput: k).structureName) }
            }
        }
        #expect(seen.isSuperset(of: ["identity", "diagonal", "sparse", "dense"]))
    }
}
