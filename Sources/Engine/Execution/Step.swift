import SparseJacobian

/// One step of the schedule: a forward kernel or one backward contribution.
protocol Step: AnyObject {
    /// What the step does, for errors and reports ("tanh", "∂tanh/∂input 0").
    var label: String { get }
    /// The buffer it writes and the shape it has (checked when numeric checking is on).
    var writes: (buffer: Int, shape: [Int], what: String) { get }
    func run(_ table: BufferTable, _ state: ExecutionState) throws(EngineError)
}

/// Per-program state shared by the steps of one run.
final class ExecutionState {
    let context: CholmodContext
    /// Scratch for diagonal factors, `DiagonalStep.chunk` doubles, allocated once.
    let diagonalScratch: UnsafeMutablePointer<Double>

    init(context: CholmodContext) {
        self.context = context
        diagonalScratch = .allocate(capacity: DiagonalStep.chunk)
    }

    deinit { diagonalScratch.deallocate() }
}

/// Runs an op's forward kernel.
final class ForwardStep: Step {
    let op: any Operation
    let node: NodeBinding
    let scratchIDs: [Int]
    init(op: any Operation, node: NodeBinding, scratchIDs: [Int]) {
        self.op = op
        self.node = node
        self.scratchIDs = scratchIDs
    }

    var label: String { op.name }
    var writes: (buffer: Int, shape: [Int], what: String) { (node.outputID, node.outputShape, "value") }

    func run(_ table: BufferTable, _ state: ExecutionState) throws(EngineError) {
        try op.forward(ForwardArguments(table: table, node: node, scratchIDs: scratchIDs, context: state.context))
    }
}

/// g_in = g_out or g_in += g_out.
final class IdentityStep: Step {
    let label: String
    let upstream: Int, destination: Int, count: Int, accumulate: Bool
    let shape: [Int]
    init(label: String, upstream: Int, destination: Int, shape: [Int], accumulate: Bool) {
        self.label = label
        self.upstream = upstream
        self.destination = destination
        self.shape = shape
        self.count = Shape.count(shape)
        self.accumulate = accumulate
    }

    var writes: (buffer: Int, shape: [Int], what: String) { (destination, shape, "gradient") }

    func run(_ table: BufferTable, _ state: ExecutionState) {
        let g = table[upstream], out = table[destination]
        if accumulate {
            for k in 0..<count { out[k] += g[k] }
        } else if g != out {
            out.update(from: g, count: count)
        }
    }
}

/// g_in (+)= g_out ⊙ d with d computed chunk by chunk into a small scratch, so the
/// diagonal Jacobian is never stored whole. Cost: one pass over g_out, g_in and
/// the saved operands.
final class DiagonalStep: Step {
    static let chunk = 2048
    let label: String
    let derivative: DiagonalDerivative
    let readIDs: [Int]
    let upstream: Int, destination: Int, count: Int, accumulate: Bool
    let shape: [Int]

    init(label: String, derivative: DiagonalDerivative, readIDs: [Int], upstream: Int, destination: Int,
         shape: [Int], accumulate: Bool) {
        self.label = label
        self.derivative = derivative
        self.readIDs = readIDs
        self.upstream = upstream
        self.destination = destination
        self.shape = shape
        self.count = Shape.count(shape)
        self.accumulate = accumulate
    }

    var writes: (buffer: Int, shape: [Int], what: String) { (destination, shape, "gradient") }

    func run(_ table: BufferTable, _ state: ExecutionState) {
        let d = state.diagonalScratch
        var start = 0
        while start < count {
            let n = min(Self.chunk, count - start)
            derivative.factor(DiagonalOperands(table: table, readIDs: readIDs, offset: start), n, d)
            let g = table[upstream] + start, out = table[destination] + start
            if accumulate {
                for k in 0..<n { out[k] += g[k] * d[k] }
            } else {
                for k in 0..<n { out[k] = g[k] * d[k] }
            }
            start += n
        }
    }
}

/// g_in (+)= Jᵀ·g_out with J = I_blocks ⊗ S (or ⊗ Sᵀ) through `cholmod_l_sdmult`.
final class SparseStep: Step {
    enum Values {
        case constant([Double])
        case buffer(Int)
        case computed(buffer: Int, fill: (SparseValueArguments, UnsafeMutablePointer<Double>) -> Void)
    }

    let label: String
    let node: NodeBinding
    let pattern: SparsityPattern
    let blocks: Int
    let values: Values
    /// J's blocks are Sᵀ: Jᵀ·g = S·g.
    let transposed: Bool
    let upstream: Int, destination: Int, accumulate: Bool
    let shape: [Int]

    init(label: String, node: NodeBinding, pattern: SparsityPattern, blocks: Int, values: Values, transposed: Bool,
         upstream: Int, destination: Int, shape: [Int], accumulate: Bool) {
        self.transposed = transposed
        self.label = label
        self.node = node
        self.pattern = pattern
        self.blocks = blocks
        self.values = values
        self.upstream = upstream
        self.destination = destination
        self.shape = shape
        self.accumulate = accumulate
    }

    var writes: (buffer: Int, shape: [Int], what: String) { (destination, shape, "gradient") }

    func run(_ table: BufferTable, _ state: ExecutionState) throws(EngineError) {
        switch values {
        case let .constant(v):
            try v.withUnsafeBufferPointer { (v) throws(EngineError) in try apply(v.baseAddress!, table, state) }
        case let .buffer(id):
            try apply(table[id], table, state)
        case let .computed(id, fill):
            fill(SparseValueArguments(table: table, node: node), table[id])
            try apply(table[id], table, state)
        }
    }

    private func apply(_ v: UnsafePointer<Double>, _ table: BufferTable, _ state: ExecutionState) throws(EngineError) {
        do {
            try pattern.multiply(values: v, table[upstream], columns: blocks, into: table[destination],
                                 transposed: !transposed, beta: accumulate ? 1 : 0, context: state.context)
        } catch { throw .sparse(op: label, error) }
    }
}

/// Runs an op's own backward rule.
final class DenseStep: Step {
    let label: String
    let derivative: DenseDerivative
    let node: NodeBinding
    let input: Int
    let upstream: Int, destination: Int, scratchIDs: [Int], accumulate: Bool

    init(label: String, derivative: DenseDerivative, node: NodeBinding, input: Int, upstream: Int,
         destination: Int, scratchIDs: [Int], accumulate: Bool) {
        self.label = label
        self.derivative = derivative
        self.node = node
        self.input = input
        self.upstream = upstream
        self.destination = destination
        self.scratchIDs = scratchIDs
        self.accumulate = accumulate
    }

    var writes: (buffer: Int, shape: [Int], what: String) { (destination, node.inputShapes[input], "gradient") }

    func run(_ table: BufferTable, _ state: ExecutionState) throws(EngineError) {
        try derivative.rule(BackwardArguments(table: table, node: node, upstreamID: upstream, destinationID: destination,
                                              scratchIDs: scratchIDs, input: input, accumulate: accumulate,
                                              context: state.context))
    }
}

/// Zeros the gradient of a requested input that the output does not depend on.
final class ZeroStep: Step {
    let destination: Int
    let shape: [Int]
    init(destination: Int, shape: [Int]) { self.destination = destination; self.shape = shape }

    var label: String { "zero gradient" }
    var writes: (buffer: Int, shape: [Int], what: String) { (destination, shape, "gradient") }

    func run(_ table: BufferTable, _ state: ExecutionState) {
        table[destination].update(repeating: 0, count: Shape.count(shape))
    }
}
