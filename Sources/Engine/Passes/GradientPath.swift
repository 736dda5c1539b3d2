/// The part of the graph a backward pass runs over: nodes the output depends
/// on that depend on a requested input. Auxiliary outputs are computed by the
/// forward pass (live) but never differentiated (not on the path).
struct GradientPath {
    /// Nodes the output or an auxiliary output depends on: what the forward pass computes.
    let live: [Bool]
    /// Nodes the output depends on that depend on a requested input.
    let onPath: [Bool]
    /// The input node of each requested gradient, in request order.
    let requestedNodes: [Int]

    init(graph: Graph, output: Int, auxiliary: [Int] = [], gradientInputs: [Int]) {
        live = graph.ancestors(of: [output] + auxiliary)
        let differentiated = auxiliary.isEmpty ? live : graph.ancestors(of: output)
        var inputNode: [Int: Int] = [:]
        for (id, node) in graph.nodes.enumerated() {
            if case let .input(index) = node.kind { inputNode[index] = id }
        }
        requestedNodes = gradientInputs.map { inputNode[$0]! }
        let reached = graph.descendants(of: Set(requestedNodes))
        onPath = graph.nodes.indices.map { differentiated[$0] && reached[$0] }
    }
}
