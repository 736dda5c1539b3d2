import SparseJacobian

/// g_in (+)= Jᵀ·g_out with J = I_blocks ⊗ S (or ⊗ Sᵀ) through `cholmod_l_sdmult`.
final class SparseStep: BackwardStep {
    enum Values {
        case constant([Double])
        case buffer(Int)
        case computed(buffer: Int, saved: SavedBuffers, fill: (SparseValueArguments, UnsafeMutablePointer<Double>) -> Void)
    }

    let contribution: Contribution
    let node: NodeBinding
    let derivative: SparseDerivative
    var values: Values

    init(_ contribution: Contribution, node: NodeBinding, derivative: SparseDerivative, values: Values) {
        self.contribution = contribution
        self.node = node
        self.derivative = derivative
        self.values = values
    }

    var access: StepAccess {
        switch values {
        case .constant:
            return StepAccess(reads: [contribution.upstream], writes: contribution.destination,
                              accumulates: contribution.accumulate)
        case let .buffer(id):
            return StepAccess(reads: [contribution.upstream, id], writes: contribution.destination,
                              accumulates: contribution.accumulate)
        case let .computed(id, saved, _):
            return StepAccess(reads: [contribution.upstream] + saved.all, writes: contribution.destination,
                              accumulates: contribution.accumulate, scratch: [id])
        }
    }

    func renamed(_ r: BufferRenaming) -> any Step {
        let renamedValues: Values
        switch values {
        case .constant: renamedValues = values
        case let .buffer(id): renamedValues = .buffer(r(id))
        case let .computed(id, saved, fill): renamedValues = .computed(buffer: r(id), saved: saved.renamed(r), fill: fill)
        }
        return SparseStep(contribution.renamed(r), node: node.renamed(r), derivative: derivative, values: renamedValues)
    }

    func run(_ table: BufferTable, _ state: ExecutionState) throws(EngineError) {
        switch values {
        case let .constant(v):
            try v.withUnsafeBufferPointer { (v) throws(EngineError) in try apply(v.baseAddress!, table, state) }
        case let .buffer(id):
            try apply(table[id], table, state)
        case let .computed(id, saved, fill):
            fill(SparseValueArguments(table: table, node: node, savedBuffers: saved), table[id])
            try apply(table[id], table, state)
        }
    }

    /// J's blocks are S (or Sᵀ), so Jᵀ·g is Sᵀ·G (or S·G) with G the upstream
    /// gradient as a matrix of `blocks` columns.
    private func apply(_ v: UnsafePointer<Double>, _ table: BufferTable, _ state: ExecutionState) throws(EngineError) {
        do {
            try derivative.pattern.multiply(values: v, table[contribution.upstream], columns: derivative.blocks,
                                            into: table[contribution.destination], transposed: !derivative.transposed,
                                            beta: contribution.accumulate ? 1 : 0, context: state.context)
        } catch { throw .sparse(op: contribution.label, error) }
    }
}
