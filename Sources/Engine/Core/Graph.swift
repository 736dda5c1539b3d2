/// The traced computation: nodes in the order they were made, which is a
/// topological order (a node's inputs always come before it).
struct Graph {
    enum Kind {
        /// Program input `index`.
        case input(index: Int)
        /// A constant fixed at trace time.
        case constant(TensorValue)
        /// An op applied to earlier nodes.
        case operation(any DifferentiableOperation, inputs: [Int])
        /// A fused elementwise region (made by `ElementwiseFusion`) over earlier
        /// nodes; the values leaving it are the `regionOutput` nodes right after it.
        case region(FusedRegion, inputs: [Int])
        /// Value `index` of the region at node `region`, written by the region's step.
        case regionOutput(region: Int, index: Int)
    }

    struct Node {
        let kind: Kind
        let shape: [Int]

        var inputs: [Int] {
            switch kind {
            case let .operation(_, inputs), let .region(_, inputs): return inputs
            case let .regionOutput(region, _): return [region]
            case .input, .constant: return []
            }
        }

        var name: String {
            switch kind {
            case let .input(index): return "input \(index)"
            case .constant: return "constant"
            case let .operation(op, _): return op.name
            case let .region(region, _): return region.name
            case let .regionOutput(_, index): return "region value \(index)"
            }
        }
    }

    private(set) var nodes: [Node] = []

    mutating func append(_ kind: Kind, shape: [Int]) -> Int {
        let node = Node(kind: kind, shape: shape)
        precondition(node.inputs.allSatisfy { $0 < nodes.count }, "graph must stay acyclic: inputs come first")
        nodes.append(node)
        return nodes.count - 1
    }

    /// The nodes that use each node's value.
    func consumers() -> [[Int]] {
        var result = [[Int]](repeating: [], count: nodes.count)
        for (id, node) in nodes.enumerated() {
            for input in Set(node.inputs) { result[input].append(id) }
        }
        return result
    }

    /// Nodes the output depends on (including itself).
    func ancestors(of output: Int) -> [Bool] { ancestors(of: [output]) }

    /// Nodes any of the outputs depends on (including them).
    func ancestors(of outputs: [Int]) -> [Bool] {
        var needed = [Bool](repeating: false, count: nodes.count)
        for output in outputs { needed[output] = true }
        for id in stride(from: outputs.max() ?? -1, through: 0, by: -1) where needed[id] {
            for input in nodes[id].inputs { needed[input] = true }
        }
        return needed
    }

    /// Nodes that depend on any of `sources` (including them).
    func descendants(of sources: Set<Int>) -> [Bool] {
        var reached = [Bool](repeating: false, count: nodes.count)
        for id in nodes.indices {
            reached[id] = sources.contains(id) || nodes[id].inputs.contains { reached[$0] }
        }
        return reached
    }
}
