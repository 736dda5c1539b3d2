/// The part of the graph a backward pass runs over: nodes the output depends
/// on (live) that depend on a requested input (reached).
struct GradientPath {
    /// Nodes the output depends on.
    let live: [Bool]
    /// Live nodes that depend on a requested input.
    let onPath: [Bool]
    /// The input node of each requested gradient, in request order.
    let requestedNodes: [Int]

    init(graph: Graph, output: Int, gradientInputs: [Int]) {
        live = graph.ancestors(of: output)
        var inputNode: [Int: Int] = [:]
        for (id, node) in graph.nodes.enumerated() {
            if case let .input(index) = node.kind { inputNode[index] = id }
        }
        requestedNodes = gradientInputs.map { inputNode[$0]! }
        let reached = graph.descendants(of: Set(requestedNodes))
        onPath = graph.nodes.indices.map { [live] in live[$0] && reached[$0] }
    }
}
