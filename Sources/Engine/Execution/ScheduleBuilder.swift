/// Turns a traced graph into a schedule: the forward steps the output needs, then
/// the backward steps over the part of the graph between the requested inputs and
/// the output, each chosen by the structure its op declares for that input.
struct ScheduleBuilder {
    let graph: Graph
    let output: Int
    let gradientInputs: [Int]
    private(set) var schedule = Schedule()
    /// Buffer holding each node's value.
    private var valueBuffer: [Int]
    /// Buffer holding each node's gradient, -1 where none.
    private var gradientBuffer: [Int]
    /// Whether a step has written the node's gradient yet.
    private var gradientWritten: [Bool]
    private var bindings: [NodeBinding?]

    init(graph: Graph, output: Int, inputCount: Int, gradientInputs: [Int]) {
        self.graph = graph
        self.output = output
        self.gradientInputs = gradientInputs
        let n = graph.nodes.count
        valueBuffer = [Int](repeating: -1, count: n)
        gradientBuffer = [Int](repeating: -1, count: n)
        gradientWritten = [Bool](repeating: false, count: n)
        bindings = [NodeBinding?](repeating: nil, count: n)
        schedule.inputBuffers = [Int](repeating: -1, count: inputCount)
    }

    mutating func build() throws(EngineError) -> Schedule {
        let live = graph.ancestors(of: output)
        buildForward(live: live)
        schedule.forwardCount = schedule.steps.count
        if !gradientInputs.isEmpty { try buildBackward(live: live) }
        schedule.finishLifetimes()
        return schedule
    }

    // MARK: Forward

    private mutating func buildForward(live: [Bool]) {
        for (id, node) in graph.nodes.enumerated() {
            switch node.kind {
            case let .input(index):
                // Every input gets a buffer (a run writes it) even when the output ignores it.
                let buffer = schedule.addBuffer(.input, node: id, elements: Shape.count(node.shape), pinned: true)
                valueBuffer[id] = buffer
                schedule.inputBuffers[index] = buffer
            case let .constant(value) where live[id]:
                valueBuffer[id] = schedule.addBuffer(.constant, node: id, elements: value.scalars.count, pinned: true)
                schedule.constants.append((valueBuffer[id], value))
            case let .operation(op, inputs) where live[id]:
                let buffer = schedule.addBuffer(.value, node: id, elements: Shape.count(node.shape), pinned: id == output)
                valueBuffer[id] = buffer
                let binding = NodeBinding(inputIDs: inputs.map { valueBuffer[$0] }, outputID: buffer,
                                          inputShapes: inputs.map { graph.nodes[$0].shape }, outputShape: node.shape)
                bindings[id] = binding
                schedule.externalBytes += op.externalBytes
                let scratch = op.forwardScratch.map { schedule.addStepLocalBuffer(.scratch, node: id, elements: $0) }
                schedule.append(ForwardStep(op: op, node: binding, scratchIDs: scratch), writes: buffer,
                                reads: binding.inputIDs)
            default:
                break
            }
        }
        schedule.outputBuffer = valueBuffer[output]
        if schedule.outputBuffer >= 0 { schedule.buffers[schedule.outputBuffer].pinned = true }
    }

    // MARK: Backward

    private mutating func buildBackward(live: [Bool]) throws(EngineError) {
        let inputNodes = Dictionary(uniqueKeysWithValues: graph.nodes.enumerated().compactMap { id, node in
            if case let .input(index) = node.kind { return (index, id) } else { return nil }
        })
        let requestedNodes = gradientInputs.map { inputNodes[$0]! }
        let reached = graph.descendants(of: Set(requestedNodes))
        let onPath = graph.nodes.indices.map { live[$0] && reached[$0] }

        // The seed is the output's gradient.
        schedule.seedBuffer = schedule.addBuffer(.seed, node: output, elements: Shape.count(graph.nodes[output].shape),
                                                 pinned: true)
        gradientBuffer[output] = schedule.seedBuffer
        gradientWritten[output] = true
        for node in requestedNodes where gradientBuffer[node] < 0 {
            gradientBuffer[node] = schedule.addBuffer(.gradient, node: node,
                                                      elements: Shape.count(graph.nodes[node].shape), pinned: true)
        }

        for id in stride(from: output, through: 0, by: -1) where onPath[id] && gradientWritten[id] {
            guard case let .operation(op, inputs) = graph.nodes[id].kind, let binding = bindings[id] else { continue }
            for (k, input) in inputs.enumerated() where onPath[input] {
                try addContribution(op: op, binding: binding, node: id, inputIndex: k, inputNode: input)
            }
        }

        for node in requestedNodes where !gradientWritten[node] {
            let shape = graph.nodes[node].shape
            schedule.append(ZeroStep(destination: gradientBuffer[node], shape: shape),
                            writes: gradientBuffer[node], reads: [])
            gradientWritten[node] = true
        }
        schedule.gradientBuffers = requestedNodes.map { gradientBuffer[$0] }
    }

    /// Schedules g_input (+)= Jᵀ·g_node for one input of one node.
    private mutating func addContribution(op: any Operation, binding: NodeBinding, node: Int, inputIndex k: Int,
                                          inputNode: Int) throws(EngineError) {
        let derivative = op.derivative(forInput: k)
        let inputShape = graph.nodes[inputNode].shape
        if case let .notDifferentiable(reason) = derivative {
            throw .notDifferentiable(op: op.name, input: k, shape: inputShape, reason: reason)
        }
        if case .none = derivative { return }

        if gradientBuffer[inputNode] < 0 {
            gradientBuffer[inputNode] = schedule.addBuffer(.gradient, node: inputNode, elements: Shape.count(inputShape))
        }
        let destination = gradientBuffer[inputNode], upstream = gradientBuffer[node]
        let accumulate = gradientWritten[inputNode]
        gradientWritten[inputNode] = true
        let contribution = Contribution(label: "∂\(op.name)/∂input \(k)", upstream: upstream, destination: destination,
                                        shape: inputShape, accumulate: accumulate)
        let step: any Step
        var reads = [upstream]

        switch derivative {
        case .none, .notDifferentiable:
            return
        case .identity:
            step = IdentityStep(contribution)
        case let .diagonal(d):
            let readIDs = d.reads.map { binding.bufferID(of: $0) }
            reads += readIDs
            step = DiagonalStep(contribution, derivative: d, readIDs: readIDs)
        case let .sparse(s):
            let block = s.blockShape
            guard block.rows * s.blocks == Shape.count(binding.outputShape),
                  block.columns * s.blocks == Shape.count(inputShape) else {
                throw .shapeMismatch(op: op.name, shapes: [binding.outputShape, inputShape],
                                     reason: "declared sparse Jacobian is \(s.blocks) block(s) of "
                                         + "\(block.rows)×\(block.columns)")
            }
            let values: SparseStep.Values
            switch s.values {
            case let .constant(v):
                values = .constant(v)
            case let .input(j):
                values = .buffer(binding.inputIDs[j])
                reads.append(binding.inputIDs[j])
            case let .computed(valueReads, fill):
                reads += valueReads.map { binding.bufferID(of: $0) }
                values = .computed(buffer: schedule.addStepLocalBuffer(.jacobianValues, node: node,
                                                                       elements: s.pattern.nonzeroCount), fill: fill)
            }
            step = SparseStep(contribution, node: binding, derivative: s, values: values)
        case let .dense(d):
            reads += d.reads.map { binding.bufferID(of: $0) }
            let scratch = d.scratch.map { schedule.addStepLocalBuffer(.scratch, node: node, elements: $0) }
            step = DenseStep(contribution, derivative: d, node: binding, input: k, scratchIDs: scratch)
        }
        schedule.append(step, writes: destination, reads: reads, accumulates: accumulate)
    }
}
