/// Runs an op's forward kernel.
final class ForwardStep: Step {
    let op: any DifferentiableOperation
    let node: NodeBinding
    let scratchIDs: [Int]
    init(op: any DifferentiableOperation, node: NodeBinding, scratchIDs: [Int]) {
        self.op = op
        self.node = node
        self.scratchIDs = scratchIDs
    }

    var label: String { op.name }
    var writesKind: String { "value" }

    var access: StepAccess {
        StepAccess(reads: node.inputIDs, writes: [.init(buffer: node.outputID)], scratch: scratchIDs,
                   mayOverwrite: op.inPlaceInputs.map { (node.outputID, node.inputIDs[$0]) })
    }

    func renamed(_ r: BufferRenaming) -> any Step {
        ForwardStep(op: op, node: node.renamed(r), scratchIDs: r(scratchIDs))
    }

    func run(_ table: BufferTable, _ state: ExecutionState) throws(EngineError) {
        try op.forward(ForwardArguments(table: table, node: node, scratchIDs: scratchIDs, context: state.context))
    }
}
