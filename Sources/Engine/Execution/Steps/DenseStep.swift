/// Runs an op's own backward rule.
final class DenseStep: BackwardStep {
    let contribution: Contribution
    let derivative: DenseDerivative
    let node: NodeBinding
    let input: Int
    var saved: SavedBuffers
    let scratchIDs: [Int]
    /// The rules of one node whose op may hold state the engine cannot see (its
    /// recomputation rule is `.never`: a factor, a user's op) keep their order:
    /// the node's binding as the schedule built it, kept alive by renamed copies.
    private let anchor: NodeBinding?
    var orderKey: ObjectIdentifier? { anchor.map(ObjectIdentifier.init) }

    init(_ contribution: Contribution, derivative: DenseDerivative, node: NodeBinding, input: Int, scratchIDs: [Int],
         anchor: NodeBinding?) {
        self.anchor = anchor
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


    func renamed(_ r: BufferRenaming) -> any Step {
        let step = DenseStep(contribution.renamed(r), derivative: derivative, node: node.renamed(r), input: input,
                             scratchIDs: r(scratchIDs), anchor: anchor)
        step.saved = saved.renamed(r)
        return step
    }

    func run(_ table: BufferTable, _ state: ExecutionState) throws(EngineError) {
        try derivative.rule(BackwardArguments(table: table, node: node, savedBuffers: saved, upstreamID: contribution.upstream,
                                              destinationID: contribution.destination, scratchIDs: scratchIDs,
                                              input: input, accumulate: contribution.accumulate, context: state.context))
    }
}
