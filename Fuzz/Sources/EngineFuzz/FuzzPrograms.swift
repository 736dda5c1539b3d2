import Engine
import SparseJacobian

/// A small program from bytes: inputs of random shapes, a stack of random ops
/// (elementwise, broadcasting, reductions, shape ops, softmax family, losses,
/// dense and sparse products, solves, custom ops, constants), random options,
/// then runs with random values, seeds and misuse (wrong inputs, wrong seeds).
enum FuzzPrograms {
    /// Arena bytes a fuzzed program may plan: keeps runs fast and memory small
    /// (a shape that needs more is refused by the budget, a typed error).
    static let budgets = [-1, 0, 1 << 10, 1 << 16, 1 << 20]

    static func run(_ r: inout ByteReader) throws {
        let shapes = (0..<(1 + r.int(below: 3))).map { _ in r.shape() }
        let gradients = shapes.indices.filter { _ in r.bool() } + (r.int(below: 16) == 0 ? [shapes.count] : [])
        // Program.init validates the shapes; the options the budget (a negative one is a typed error).
        let budget = budgets[r.int(below: budgets.count)]
        let options = try ProgramOptions(checkNumerics: r.bool(), memory: r.bool() ? .planned : .eager, memoryBudget: budget)
        let auxiliary = (0..<r.int(below: 3)).map { "auxiliary \($0)" }
        let program = try Program(inputShapes: shapes, gradientsFor: gradients, options: options,
                                  auxiliary: auxiliary) { v in
            var stack = v
            for _ in 0..<r.int(below: 8) { stack.append(try FuzzOps.apply(&r, stack)) }
            return (stack[stack.count - 1 - r.int(below: stack.count)],
                    auxiliary.map { _ in stack[stack.count - 1 - r.int(below: stack.count)] })
        }
        _ = program.memoryReport(name: "fuzz").markdown()

        // An input the output does not read is not in the arena, so the budget
        // does not bound it: keep the values the fuzzer fills small (a [2^30]
        // input would be 8 GiB, written element by element).
        // The same for the seed the harness fills (an output broadcast to 2^40
        // elements from small inputs is a valid program, but not a seed to write).
        guard shapes.reduce(0, { $0 + Shape.count($1) }) <= FuzzTensors.fillLimit,
              ([program.outputShape] + program.auxiliaryShapes).allSatisfy({ Shape.count($0) < FuzzTensors.fillLimit })
        else { return }
        let inputs = try shapes.map { try TensorValue(shape: $0, scalars: r.doubles(Shape.count($0))) }
        let outputCount = Shape.count(program.outputShape)
        let seed: TensorValue?
        switch r.int(below: 4) {
        case 0: seed = nil
        case 1: seed = try TensorValue(shape: [outputCount + 1], scalars: r.doubles(outputCount + 1))
        default: seed = try TensorValue(shape: program.outputShape, scalars: r.doubles(outputCount))
        }
        let result = try program.run(inputs, seed: seed)
        precondition(result.value.shape == program.outputShape, "output shape")
        precondition(zip(result.gradients, gradients).allSatisfy { $0.shape == shapes[$1] }, "gradient shapes")
        var reused = program.makeResult()
        try program.run(inputs, seed: seed, into: &reused)
        precondition(reused.value.scalars.elementsEqual(result.value.scalars, by: sameValue), "a second run differs")
        precondition(zip(reused.auxiliary, result.auxiliary).allSatisfy { $0.scalars.elementsEqual($1.scalars, by: sameValue) },
                     "a second run's auxiliary outputs differ")
        _ = try program.value(inputs)
        if r.bool() { _ = try program.value(Array(inputs.dropLast())) }
        if r.bool(), let first = inputs.first {
            _ = try program.value([try TensorValue(shape: [first.scalars.count + 1], scalars: r.doubles(first.scalars.count + 1))]
                                  + inputs.dropFirst())
        }
        if inputs.allSatisfy({ $0.scalars.count <= 8 }), outputCount <= 8, r.bool() {
            _ = try GradientCheck.numericJacobian(program, at: inputs, input: r.index())
            if !gradients.isEmpty { _ = try GradientCheck.check(program, at: inputs) }
        }
    }

    /// Equal, or both NaN.
    static func sameValue(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }
}

/// One op on tensors of the stack, chosen and parameterized by bytes.
enum FuzzOps {
    static func apply(_ r: inout ByteReader, _ stack: [Tensor]) throws -> Tensor {
        let a = stack[r.int(below: stack.count)], b = stack[r.int(below: stack.count)]
        switch r.int(below: 17) {
        case 0: return unary(&r, a)
        case 1:
            switch r.int(below: 6) {
            case 0: return a + b
            case 1: return a - b
            case 2: return a * b
            case 3: return a / b
            case 4: return maximum(a, b)
            default: return minimum(a, b)
            }
        case 2:
            let c = r.double()
            switch r.int(below: 4) {
            case 0: return a + c
            case 1: return a * c
            case 2: return c / a
            default: return c - a
            }
        case 3:
            let axis = r.index(), keep = r.bool()
            switch r.int(below: 6) {
            case 0: return a.sum()
            case 1: return a.sum(axis: axis, keepDimension: keep)
            case 2: return a.mean()
            case 3: return a.mean(axis: axis, keepDimension: keep)
            case 4: return a.max()
            default: return a.max(axis: axis, keepDimension: keep)
            }
        case 4:
            let axis = r.index()
            switch r.int(below: 4) {
            case 0: return a.logSumExp()
            case 1: return a.logSumExp(axis: axis, keepDimension: r.bool())
            case 2: return a.softmax(axis: axis)
            default: return a.logSoftmax(axis: axis)
            }
        case 5: return a.reshaped(r.bool() ? r.shape() : [a.count])
        case 6: return a.transposed()
        case 7: return a.broadcast(to: r.shape())
        case 8:
            let (lo, hi) = (r.index(), r.index())
            return a.slice(axis: r.index(), Swift.min(lo, hi)..<Swift.max(lo, hi))
        case 9:
            let indices = (0..<r.int(below: 6)).map { _ in r.index() }
            return r.bool() ? a.gathering(rows: indices) : a.scatteringRows(into: r.dimension(), at: indices)
        case 10: return try Tensor.concatenate(Array(stack.shuffled(by: &r).prefix(r.int(below: 4))), axis: r.index())
        case 11: return matmul(a, b)
        case 12: return crossEntropy(logits: a, labels: (0..<r.int(below: 5)).map { _ in r.index() })
        case 13: return meanSquaredError(a, b)
        case 14: return try sparse(&r, a, b)
        case 15:
            let c = r.double()
            return a.elementwise("fuzz", { x in x * x + c }, derivative: { x in 2 * x })
        default:
            let shape = r.shape()
            guard let count = Shape.checkedCount(shape), count <= 64 else { return a }
            return a.tracer.constant(try TensorValue(shape: shape, scalars: r.doubles(count)))
        }
    }

    static func unary(_ r: inout ByteReader, _ a: Tensor) -> Tensor {
        switch r.int(below: 11) {
        case 0: return exp(a)
        case 1: return log(a)
        case 2: return sqrt(a)
        case 3: return tanh(a)
        case 4: return sigmoid(a)
        case 5: return relu(a)
        case 6: return abs(a)
        case 7: return square(a)
        case 8: return softplus(a)
        case 9: return -a
        default: return pow(a, r.double())
        }
    }

    /// Sparse products, solves and determinants with a small matrix from bytes.
    static func sparse(_ r: inout ByteReader, _ values: Tensor, _ x: Tensor) throws -> Tensor {
        let matrix = try FuzzPatterns.makeMatrix(&r)
        switch r.int(below: 5) {
        case 0: return matmul(matrix, x)
        case 1: return matmul(matrix.pattern, values: values, x, byRows: r.bool())
        case 2: return solve(matrix.pattern, values: values, x)
        case 3: return logDeterminant(matrix.pattern, values: values)
        default:
            let spd = try SparseMatrix.gridLaplacian(side: 1 + r.int(below: 3), shift: 1)
            return solve(spd.pattern, values: values.tracer.constant(TensorValue(spd.values)), x)
        }
    }
}

extension Array {
    /// The elements in an order chosen by bytes.
    func shuffled(by r: inout ByteReader) -> [Element] {
        var result = self
        for i in result.indices.reversed() where i > 0 { result.swapAt(i, r.int(below: i + 1)) }
        return result
    }
}
