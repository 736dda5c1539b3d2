/// Pass between differentiation and scheduling: chooses what the backward
/// pass keeps where an op offers equivalent saved values, by liveness.
///
/// A value is alive anyway when it is a program input, a constant, the
/// output or an auxiliary output (none of them in the arena), or when a backward step with no choice
/// reads it (a matrix product's operands, a solve's output, …). Then, in
/// backward order, each diagonal derivative with several forms takes the form
/// whose reads add the fewest bytes to what is alive, and each fused region
/// plans its backward pass (`RegionBackwardPlan`) against the same set; what
/// they choose is alive for the nodes after them. So relu after a matrix
/// product keeps its output, which the next product reads anyway, and its
/// input dies in the forward pass (the output is written over it).
struct SavedValueChoice {
    /// The form chosen for input k of node id: diagonalForm[id][k].
    private(set) var diagonalForm: [Int: [Int: Int]] = [:]
    /// The backward plan of each region node.
    private(set) var regionPlans: [Int: RegionBackwardPlan] = [:]
    /// Nodes whose values some backward step reads (for tests and reports).
    private(set) var alive = Set<Int>()

    /// `alsoAlive`: nodes kept outside the arena anyway (the auxiliary outputs).
    init(graph: Graph, path: GradientPath, alsoAlive: [Int] = []) {
        let nodes = graph.nodes
        alive.formUnion(alsoAlive)
        for (id, node) in nodes.enumerated() {
            switch node.kind {
            case .input, .constant: alive.insert(id)
            default: break
            }
        }
        // Reads that offer no choice.
        for (id, node) in nodes.enumerated() where path.onPath[id] {
            guard case let .operation(op, inputs) = node.kind else { continue }
            for k in inputs.indices where path.onPath[inputs[k]] {
                let resolve = { (value: SavedValue) -> Int in
                    if case let .input(j) = value { return inputs[j] }
                    return id
                }
                switch op.derivative(forInput: k) {
                case let .diagonal(d) where d.forms.count == 1: alive.formUnion(d.reads.map(resolve))
                case let .dense(d): alive.formUnion(d.reads.map(resolve))
                case let .sparse(s):
                    if case let .input(j) = s.values { alive.insert(inputs[j]) }
                    if case let .computed(reads, _) = s.values { alive.formUnion(reads.map(resolve)) }
                default: break
                }
            }
        }
        for id in nodes.indices.reversed() where path.onPath[id] {
            switch nodes[id].kind {
            case let .operation(op, inputs):
                chooseForms(op, node: id, inputs: inputs, graph: graph, path: path)
            case let .region(region, inputs):
                let valueOutputs = region.valueOutputOfMember
                let plan = RegionBackwardPlan(
                    region: region, inputOnPath: inputs.map { path.onPath[$0] },
                    outputOnPath: region.outputs.indices.map { path.onPath[id + 1 + $0] },
                    inputFree: inputs.map { alive.contains($0) },
                    outputAlive: Set(valueOutputs.filter { alive.contains(id + 1 + $0.value) }.keys))
                regionPlans[id] = plan
                alive.formUnion(plan.readInputs.map { inputs[$0] })
                alive.formUnion(plan.readOutputs.map { id + 1 + valueOutputs[$0]! })
            default:
                break
            }
        }
    }

    /// The cheapest form of each diagonal derivative with several forms.
    private mutating func chooseForms(_ op: any DifferentiableOperation, node id: Int, inputs: [Int], graph: Graph,
                                      path: GradientPath) {
        for k in inputs.indices where path.onPath[inputs[k]] {
            guard case let .diagonal(d) = op.derivative(forInput: k), d.forms.count > 1 else { continue }
            let resolved = d.forms.map { form in
                form.reads.map { value -> Int in
                    if case let .input(j) = value { return inputs[j] }
                    return id
                }
            }
            let costs = resolved.map { reads in
                Set(reads).subtracting(alive).reduce(0) { $0.addingClamped(Shape.count(graph.nodes[$1].shape)) }
            }
            let best = costs.indices.min { costs[$0] < costs[$1] }!
            diagonalForm[id, default: [:]][k] = best
            alive.formUnion(resolved[best])
        }
    }
}
