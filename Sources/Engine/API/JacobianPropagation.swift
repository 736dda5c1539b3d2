import SparseJacobian

/// The structure of ∂node/∂input k for every node between input k and the
/// output, composed forwards in graph order: input k is I, other inputs and
/// constants are 0, and an op's node is Σ over its operands i of
/// J_op,i ∘ J_operand (the op's declared `jacobianStructure` composed after
/// the operand's, summed where several operands depend on input k). Each
/// node's structure is dropped after its last use. Computes no numbers.
struct JacobianPropagation {
    let graph: Graph
    let output: Int
    let context: CholmodContext

    /// The structure of ∂output/∂input k, which has `columns` elements.
    func structure(input k: Int, columns: Int) throws -> JacobianStructure {
        let nodes = graph.nodes
        guard let source = nodes.indices.first(where: { if case .input(k) = nodes[$0].kind { true } else { false } }) else {
            return .none(rows: Shape.count(nodes[output].shape), columns: columns)
        }
        let needed = graph.ancestors(of: output), reached = graph.descendants(of: [source])
        let onPath = nodes.indices.map { needed[$0] && reached[$0] }
        var lastUse = [Int](repeating: -1, count: nodes.count)
        for id in nodes.indices where onPath[id] { for input in nodes[id].inputs { lastUse[input] = id } }
        var structures = [JacobianStructure?](repeating: nil, count: nodes.count)
        for id in nodes.indices where onPath[id] {
            let node = nodes[id]
            guard case let .operation(op, inputs) = node.kind else {
                structures[id] = .identity(size: columns)
                continue
            }
            let shapes = inputs.map { nodes[$0].shape }
            var total = JacobianStructure.none(rows: Shape.count(node.shape), columns: columns)
            for (slot, input) in inputs.enumerated() where onPath[input] {
                if case let .notDifferentiable(reason) = op.derivative(forInput: slot) {
                    throw EngineError.notDifferentiable(op: op.name, input: slot, shape: shapes[slot], reason: reason)
                }
                let local = op.jacobianStructure(forInput: slot, inputShapes: shapes, outputShape: node.shape)
                do {
                    total = try total.adding(try local.composed(after: structures[input]!, context: context), context: context)
                } catch { throw EngineError.sparse(op: "jacobianPattern at \(op.name)", error) }
            }
            structures[id] = total
            for input in inputs where lastUse[input] == id && input != output { structures[input] = nil }
        }
        return structures[output] ?? .none(rows: Shape.count(nodes[output].shape), columns: columns)
    }
}
