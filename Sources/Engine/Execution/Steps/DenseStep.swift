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
