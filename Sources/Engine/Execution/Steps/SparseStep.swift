import SparseJacobian

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
