/// The traced computation: nodes in the order they were made, which is a
/// topological order (a node's inputs always come before it).
struct Graph {
    enum Kind {
        /// Program input `index`.
        case input(index: Int)
        /// A constant fixed at trace time.
        case constant(TensorValue)
        /// An op applied to earlier nodes.
        case operation(any Operation, inputs: [Int])
    }

    struct Node {
        let kind: Kind
        let shape: [Int]

        var inputs: [Int] {
            if case let .operation(_, inputs) = kind { return inputs }
            return []
        }

        var name: String {
            switch kind {
            case let .input(index): return "input \(index)"
            case .constant: return "constant"
            case let .operation(op, _): return op.name
            }
        }
    }

    private(set) var nodes: [Node] = []

    mutating func append(_ kind: Kind, shape: [Int]) -> Int {
        if case let .operation(_, inputs) = kind {
            precondition(inputs.allSatisfy { $0 < nodes.count }, "graph must stay acyclic: inputs come first")
        }
        nodes.append(Node(kind: kind, shape: shape))
        return nodes.count - 1
    }

    /// Nodes the output depends on (including itself).
    func ancestors(of output: Int) -> [Bool] {
        var needed = [Bool](repeating: false, count: nodes.count)
        needed[output] = true
        for id in stride(from: output, through: 0, by: -1) where needed[id] {
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
