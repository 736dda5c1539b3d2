/// Builds the graph of `ElementwiseFusion`: each region and what it absorbed
/// contracted to one `region` node followed by its `regionOutput` nodes, in a
/// topological order of the contracted graph that prefers the traced order.
struct Contraction {
    let graph: Graph
    let live: [Bool]
    let consumers: [[Int]]
    /// Region (a root id) of each member, -1 for other nodes.
    let regionOf: [Int]
    /// Broadcasts and sums absorbed by a region.
    let absorbedInto: [Int: Int]
    /// The program's output and auxiliary outputs (values that leave any region they are in).
    let outputs: [Int]

    func build() -> (graph: Graph, outputs: [Int]) {
        var unitOf = [Int](repeating: -1, count: graph.nodes.count)
        var unitNodes: [[Int]] = []
        var unitOfRegion: [Int: Int] = [:]
        for (v, node) in graph.nodes.enumerated() {
            let isInput: Bool
            if case .input = node.kind { isInput = true } else { isInput = false }
            guard live[v] || isInput else { continue }
            if let region = regionOf[v] >= 0 ? regionOf[v] : absorbedInto[v] {
                if let unit = unitOfRegion[region] {
                    unitOf[v] = unit
                    unitNodes[unit].append(v)
                    continue
                }
                unitOfRegion[region] = unitNodes.count
            }
            unitOf[v] = unitNodes.count
            unitNodes.append([v])
        }

        var result = Graph()
        var newID = [Int](repeating: -1, count: graph.nodes.count)
        for unit in topologicalOrder(unitOf: unitOf, unitNodes: unitNodes) {
            let members = unitNodes[unit]
            if members.count == 1, regionOf[members[0]] < 0 {
                let v = members[0], node = graph.nodes[v]
                switch node.kind {
                case let .operation(op, inputs):
                    newID[v] = result.append(.operation(op, inputs: inputs.map { newID[$0] }), shape: node.shape)
                default:
                    newID[v] = result.append(node.kind, shape: node.shape)
                }
            } else {
                appendRegion(members, to: &result, newID: &newID)
            }
        }
        return (result, outputs.map { newID[$0] })
    }

    /// Kahn's algorithm over units, the ready unit with the smallest first node first.
    private func topologicalOrder(unitOf: [Int], unitNodes: [[Int]]) -> [Int] {
        var successors = [Set<Int>](repeating: [], count: unitNodes.count)
        var pending = [Int](repeating: 0, count: unitNodes.count)
        for (unit, nodes) in unitNodes.enumerated() {
            for v in nodes {
                for input in graph.nodes[v].inputs where unitOf[input] != unit && successors[unitOf[input]].insert(unit).inserted {
                    pending[unit] += 1
                }
            }
        }
        // Units are numbered by their first node, so the smallest unit id is the earliest.
        var ready = MinHeap(unitNodes.indices.filter { pending[$0] == 0 })
        var order: [Int] = []
        order.reserveCapacity(unitNodes.count)
        while let unit = ready.pop() {
            order.append(unit)
            for next in successors[unit] {
                pending[next] -= 1
                if pending[next] == 0 { ready.push(next) }
            }
        }
        precondition(order.count == unitNodes.count, "fusion made a cycle: a region is not convex")
        return order
    }

    /// Appends one region node and its output nodes.
    private func appendRegion(_ nodes: [Int], to result: inout Graph, newID: inout [Int]) {
        let all = Set(nodes), escaping = Set(outputs)
        let members = nodes.filter { regionOf[$0] >= 0 }
        let memberIndex = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1, $0) })
        var inputNodes: [Int] = [], inputKinds: [FusedRegion.InputKind] = [], inputIndex: [Int: Int] = [:]
        let shape = graph.nodes[members[0]].shape

        func operand(_ u: Int) -> FusedRegion.Operand {
            if let m = memberIndex[u] { return .member(m) }
            if let i = inputIndex[u] { return .input(i) }
            inputIndex[u] = inputNodes.count
            if case let .operation(op as BroadcastTo, inputs) = graph.nodes[u].kind, all.contains(u) {
                inputNodes.append(inputs[0])
                inputKinds.append(.broadcast(op.map))
            } else {
                inputNodes.append(u)
                inputKinds.append(graph.nodes[u].shape == shape ? .full : .scalar)
            }
            return .input(inputNodes.count - 1)
        }

        var regionMembers: [FusedRegion.Member] = []
        for v in members {
            guard case let .operation(op, inputs) = graph.nodes[v].kind, let kernel = op as? ElementwiseKernel else {
                preconditionFailure("a region member is an elementwise op")
            }
            regionMembers.append(.init(op: kernel, operands: inputs.map(operand)))
        }
        var outputs: [FusedRegion.Output] = [], outputNodes: [Int] = []
        for v in nodes {
            if let m = memberIndex[v] {
                if escaping.contains(v) || consumers[v].contains(where: { live[$0] && !all.contains($0) }) {
                    outputs.append(.value(member: m))
                    outputNodes.append(v)
                }
            } else if case let .operation(op as Sum, inputs) = graph.nodes[v].kind, let m = memberIndex[inputs[0]] {
                outputs.append(.sum(member: m, map: op.map))
                outputNodes.append(v)
            }
        }
        let region = FusedRegion(shape: shape, inputKinds: inputKinds, members: regionMembers, outputs: outputs)
        let id = result.append(.region(region, inputs: inputNodes.map { newID[$0] }), shape: shape)
        for (k, v) in outputNodes.enumerated() {
            newID[v] = result.append(.regionOutput(region: id, index: k), shape: graph.nodes[v].shape)
        }
    }
}

/// A binary min-heap of ints (the ready units of a topological sort).
private struct MinHeap {
    private var items: [Int]

    init(_ items: [Int]) {
        self.items = []
        for item in items { push(item) }
    }

    mutating func push(_ item: Int) {
        items.append(item)
        var child = items.count - 1
        while child > 0, items[(child - 1) / 2] > items[child] {
            items.swapAt(child, (child - 1) / 2)
            child = (child - 1) / 2
        }
    }

    mutating func pop() -> Int? {
        guard let top = items.first else { return nil }
        items[0] = items[items.count - 1]
        items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count, items[left] < items[smallest] { smallest = left }
            if right < items.count, items[right] < items[smallest] { smallest = right }
            if smallest == parent { return top }
            items.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
