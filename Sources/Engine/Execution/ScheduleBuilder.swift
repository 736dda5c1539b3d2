/// Turns a traced (and possibly fused) graph into a schedule: the forward steps
/// the output needs, then the backward steps over the part of the graph
/// between the requested inputs and the output, each chosen by the structure
/// its op declares for that input.
///
/// Auxiliary outputs are computed by the forward pass and returned beside the
/// output, never differentiated.
///
/// With `inPlaceExternals` the caller's tensors are the inputs', outputs' and
/// requested gradients' buffers (nothing of them in the arena) and constants
/// live outside the arena; without it (the baseline) they are pinned arena
/// buffers with copies in and out, as the schedule was before.
struct ScheduleBuilder {
    let graph: Graph
    let output: Int
    /// The auxiliary outputs' nodes, in the order the program returns them.
    let auxiliary: [Int]
    let gradientInputs: [Int]
    let inPlaceExternals: Bool
    /// The chosen form of each diagonal derivative and each region's backward
    /// plan (from `SavedValueChoice`); empty: every op's preferred form.
    let choice: SavedValueChoice?
    private(set) var schedule = Schedule()
    private var valueBuffer: [Int]
    /// Buffer holding each node's gradient, -1 where none.
    private var gradientBuffer: [Int]
    /// Whether a step has written the node's gradient yet.
    private var gradientWritten: [Bool]
    private var bindings: [NodeBinding?]
    /// Copies to make at the end: (from, to, count, label).
    private var finalCopies: [CopyStep] = []

    init(graph: Graph, output: Int, auxiliary: [Int] = [], inputCount: Int, gradientInputs: [Int],
         inPlaceExternals: Bool, choice: SavedValueChoice?) {
        self.graph = graph
        self.output = output
        self.auxiliary = auxiliary
        self.gradientInputs = gradientInputs
        self.inPlaceExternals = inPlaceExternals
        self.choice = choice
        let n = graph.nodes.count
        valueBuffer = [Int](repeating: -1, count: n)
        gradientBuffer = [Int](repeating: -1, count: n)
        gradientWritten = [Bool](repeating: false, count: n)
        bindings = [NodeBinding?](repeating: nil, count: n)
    }

    mutating func build() throws(EngineError) -> Schedule {
        let path = GradientPath(graph: graph, output: output, auxiliary: auxiliary, gradientInputs: gradientInputs)
        buildForward(live: path.live)
        schedule.forwardCount = schedule.steps.count
        if !gradientInputs.isEmpty { try buildBackward(path) }
        return schedule
    }

    // MARK: Forward

    private mutating func buildForward(live: [Bool]) {
        for (id, node) in graph.nodes.enumerated() {
            switch node.kind {
            case let .input(index):
                let external = schedule.addBuffer(BufferSpec(role: .input, node: id, shape: node.shape,
                                                             storage: .external(.input(index))))
                schedule.externalBuffers[.input(index)] = external
                valueBuffer[id] = external
                if !inPlaceExternals && live[id] {
                    valueBuffer[id] = copy(external, role: .input, node: id, pinned: true, label: "copy input \(index)")
                }
            case let .constant(value) where live[id]:
                valueBuffer[id] = schedule.addBuffer(BufferSpec(role: .constant, node: id, shape: node.shape,
                                                                storage: inPlaceExternals ? .constant : .arena,
                                                                pinned: true))
                schedule.constants.append((valueBuffer[id], value))
            case let .operation(op, inputs) where live[id]:
                let buffer = addValueBuffer(node: id)
                valueBuffer[id] = buffer
                let binding = NodeBinding(inputIDs: inputs.map { valueBuffer[$0] }, outputID: buffer,
                                          inputShapes: inputs.map { graph.nodes[$0].shape }, outputShape: node.shape)
                bindings[id] = binding
                schedule.externalBytes = schedule.externalBytes.addingClamped(op.externalBytes)
                let scratch = op.forwardScratch.map { addScratch(node: id, elements: $0) }
                schedule.append(ForwardStep(op: op, node: binding, scratchIDs: scratch))
            case let .region(region, inputs) where live[id]:
                let outputs = region.outputs.indices.map { addValueBuffer(node: id + 1 + $0) }
                for (k, buffer) in outputs.enumerated() { valueBuffer[id + 1 + k] = buffer }
                let step = RegionForwardStep(region: region, inputBuffers: inputs.map { valueBuffer[$0] },
                                             outputBuffers: outputs)
                step.scratch = addScratch(node: id, elements: step.chunks.scratchElements)
                schedule.append(step)
            default:
                break
            }
        }
        // The output's value goes to the caller: written there directly, or copied.
        let outputSpec = BufferSpec(role: .value, node: output, shape: graph.nodes[output].shape,
                                    storage: .external(.output))
        if schedule.buffers[valueBuffer[output]].storage != .external(.output) {
            let external = schedule.addBuffer(outputSpec)
            schedule.externalBuffers[.output] = external
            schedule.append(CopyStep(from: valueBuffer[output], to: external, count: outputSpec.elements,
                                     label: "copy output", writesKind: "value"))
        }
        // So do the auxiliary outputs' (an input, a constant, a value returned twice: copied).
        for (k, node) in auxiliary.enumerated() where schedule.externalBuffers[.auxiliary(k)] == nil {
            let spec = BufferSpec(role: .value, node: node, shape: graph.nodes[node].shape, storage: .external(.auxiliary(k)))
            let external = schedule.addBuffer(spec)
            schedule.externalBuffers[.auxiliary(k)] = external
            schedule.append(CopyStep(from: valueBuffer[node], to: external, count: spec.elements,
                                     label: "copy auxiliary output \(k)", writesKind: "value"))
        }
    }

    /// The value buffer of an op's (or region output's) node: the caller's
    /// output tensor (or auxiliary output tensor) when it is the output (or the
    /// first auxiliary output it is) and the run works in place.
    private mutating func addValueBuffer(node: Int) -> Int {
        let shape = graph.nodes[node].shape
        let slot: ExternalSlot? = node == output ? .output : auxiliary.firstIndex(of: node).map { .auxiliary($0) }
        if let slot, inPlaceExternals {
            let id = schedule.addBuffer(BufferSpec(role: .value, node: node, shape: shape, storage: .external(slot)))
            schedule.externalBuffers[slot] = id
            return id
        }
        return schedule.addBuffer(BufferSpec(role: .value, node: node, shape: shape, pinned: node == output))
    }

    private mutating func addScratch(node: Int, elements: Int) -> Int {
        schedule.addBuffer(BufferSpec(role: .scratch, node: node, shape: [elements]))
    }

    /// A pinned arena copy of an external buffer, made by a copy step now.
    private mutating func copy(_ source: Int, role: BufferSpec.Role, node: Int, pinned: Bool, label: String) -> Int {
        let spec = schedule.buffers[source]
        let copy = schedule.addBuffer(BufferSpec(role: role, node: node, shape: spec.shape, pinned: pinned))
        schedule.append(CopyStep(from: source, to: copy, count: spec.elements, label: label, writesKind: "value"))
        return copy
    }

    // MARK: Backward

    private mutating func buildBackward(_ path: GradientPath) throws(EngineError) {
        let outputShape = graph.nodes[output].shape
        let seed = schedule.addBuffer(BufferSpec(role: .seed, node: output, shape: outputShape,
                                                 storage: .external(.seed)))
        schedule.externalBuffers[.seed] = seed
        gradientBuffer[output] = inPlaceExternals ? seed : copy(seed, role: .seed, node: output, pinned: true,
                                                                label: "copy seed")
        gradientWritten[output] = true

        // Requested gradients: the result's storage (or pinned copies of it).
        var gradientExternals: [Int] = []
        for (k, node) in path.requestedNodes.enumerated() {
            let external = schedule.addBuffer(BufferSpec(role: .gradient, node: node, shape: graph.nodes[node].shape,
                                                         storage: .external(.gradient(k))))
            schedule.externalBuffers[.gradient(k)] = external
            gradientExternals.append(external)
            if gradientBuffer[node] < 0 {
                gradientBuffer[node] = inPlaceExternals
                    ? external
                    : schedule.addBuffer(BufferSpec(role: .gradient, node: node, shape: graph.nodes[node].shape,
                                                    pinned: true))
            }
        }

        for id in stride(from: graph.nodes.count - 1, through: 0, by: -1) where path.onPath[id] {
            switch graph.nodes[id].kind {
            case let .operation(op, inputs) where gradientWritten[id]:
                guard let binding = bindings[id] else { continue }
                for (k, input) in inputs.enumerated() where path.onPath[input] {
                    try addContribution(op: op, binding: binding, node: id, inputIndex: k, inputNode: input)
                }
            case let .region(region, inputs):
                try addRegionBackward(region, node: id, inputs: inputs, path: path)
            default:
                break
            }
        }

        for node in path.requestedNodes where !gradientWritten[node] {
            schedule.append(ZeroStep(destination: gradientBuffer[node], count: Shape.count(graph.nodes[node].shape)))
            gradientWritten[node] = true
        }
        for (k, node) in path.requestedNodes.enumerated() where gradientBuffer[node] != gradientExternals[k] {
            schedule.append(CopyStep(from: gradientBuffer[node], to: gradientExternals[k],
                                     count: schedule.buffers[gradientExternals[k]].elements,
                                     label: "copy gradient \(k)", writesKind: "gradient"))
        }
    }

    /// The gradient buffer of a node, made on first use; whether a step wrote it already.
    private mutating func gradientDestination(of node: Int) -> (buffer: Int, accumulate: Bool) {
        if gradientBuffer[node] < 0 {
            gradientBuffer[node] = schedule.addBuffer(BufferSpec(role: .gradient, node: node,
                                                                 shape: graph.nodes[node].shape))
        }
        defer { gradientWritten[node] = true }
        return (gradientBuffer[node], gradientWritten[node])
    }

    /// Schedules g_input (+)= Jᵀ·g_node for one input of one node.
    private mutating func addContribution(op: any DifferentiableOperation, binding: NodeBinding, node: Int, inputIndex k: Int,
                                          inputNode: Int) throws(EngineError) {
        let derivative = op.derivative(forInput: k)
        let inputShape = graph.nodes[inputNode].shape
        if case let .notDifferentiable(reason) = derivative {
            throw .notDifferentiable(op: op.name, input: k, shape: inputShape, reason: reason)
        }
        if case .none = derivative { return }
        let (destination, accumulate) = gradientDestination(of: inputNode)
        let contribution = Contribution(label: "∂\(op.name)/∂input \(k)", upstream: gradientBuffer[node],
                                        destination: destination, shape: inputShape, accumulate: accumulate)
        let step: any Step
        switch derivative {
        case .none, .notDifferentiable:
            return
        case .identity:
            step = IdentityStep(contribution)
        case let .diagonal(d):
            let form = d.forms[choice?.diagonalForm[node]?[k] ?? 0]
            let saved = SavedBuffers(form.reads, binding: binding)
            step = DiagonalStep(contribution, form: form, readIDs: form.reads.map(saved.id))
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
            case let .computed(reads, fill):
                values = .computed(buffer: schedule.addBuffer(BufferSpec(role: .jacobianValues, node: node,
                                                                         shape: [s.pattern.nonzeroCount])),
                                   saved: SavedBuffers(reads, binding: binding), fill: fill)
            }
            step = SparseStep(contribution, node: binding, derivative: s, values: values)
        case let .dense(d):
            let scratch = d.scratch.map { addScratch(node: node, elements: $0) }
            let stateful = op.recomputation(inputShapes: binding.inputShapes, outputShape: binding.outputShape).rule == .never
            step = DenseStep(contribution, derivative: d, node: binding, input: k, scratchIDs: scratch,
                             anchor: stateful ? binding : nil)
        }
        schedule.append(step)
    }

    /// Schedules a region's backward step, if a gradient reaches any of its outputs.
    private mutating func addRegionBackward(_ region: FusedRegion, node: Int, inputs: [Int],
                                            path: GradientPath) throws(EngineError) {
        let outputNodes = region.outputs.indices.map { node + 1 + $0 }
        guard outputNodes.contains(where: { gradientWritten[$0] }) else { return }
        // The chosen plan assumed every output on the path gets a gradient; where
        // one does not (all its users' derivatives are none), plan again without it.
        let written = outputNodes.map { gradientWritten[$0] }
        let plan = (written == outputNodes.map { path.onPath[$0] } ? choice?.regionPlans[node] : nil) ?? RegionBackwardPlan(
            region: region, inputOnPath: inputs.map { path.onPath[$0] }, outputOnPath: written,
            inputFree: inputs.map { _ in false }, outputAlive: [])
        var destinations = [Int](repeating: -1, count: inputs.count)
        var accumulates = [Bool](repeating: false, count: inputs.count)
        for (i, input) in inputs.enumerated() where plan.inputOnPath[i] {
            let (buffer, accumulate) = gradientDestination(of: input)
            destinations[i] = buffer
            accumulates[i] = accumulate
        }
        let step = RegionBackwardStep(
            region: region, plan: plan, inputBuffers: inputs.map { valueBuffer[$0] },
            outputBuffers: outputNodes.map { valueBuffer[$0] },
            upstream: outputNodes.map { gradientWritten[$0] ? gradientBuffer[$0] : -1 },
            destinations: destinations, accumulates: accumulates)
        if step.chunks.scratchElements > 0 { step.scratch = addScratch(node: node, elements: step.chunks.scratchElements) }
        schedule.append(step)
    }
}
