/// Runs an op's own backward rule.
final class DenseStep: BackwardStep {
    let contribution: Contribution
    let derivative: DenseDerivative
    let node: NodeBinding
    let input: Int
    var saved: SavedBuffers
    let scratchIDs: [Int]

    init(_ contribution: Contribution, derivative: DenseDerivative, node: NodeBinding, input: Int, scratchIDs: [Int]) {
        self.contribution = contribution
        self.derivative = derivative
        self.node = node
        self.input = input
        self.saved = SavedBuffers(derivative.reads, binding: node)
        self.scratchIDs = scratchIDs
    }

    var access: StepAccess {
        StepAccess(reads: [contribution.upstream] + saved.all, writes: contribution.destination,
                   accumulates: contribution.accumulate, scratch: scratchIDs)
    }

    func run(_ table: BufferTable, _ state: ExecutionState) throws(EngineError) {
        try derivative.rule(BackwardArguments(table: table, node: node, savedBuffers: saved, upstreamID: contribution.upstream,
                                              destinationID: contribution.destination, scratchIDs: scratchIDs,
                                              input: input, accumulate: contribution.accumulate, context: state.context))
    }
}
