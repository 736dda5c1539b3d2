/// Graph pass: replaces maximal regions of elementwise ops over tensors of one
/// shape by `FusedRegion` nodes.
///
/// What it changes: every elementwise op (an `ElementwiseKernel`) joins the
/// region of its full-size elementwise operands; a broadcast whose every user
/// is in one region becomes a broadcast input of that region; a `Sum` of a
/// member becomes one of the region's outputs. A region stays convex: no path
/// leaves it and comes back, so the contracted graph is still acyclic. Every
/// elementwise op ends in some region (possibly of one op). The new graph
/// lists the contracted nodes in a topological order that keeps the traced
/// order where it can; each region node is followed by its `regionOutput`
/// nodes. Non-elementwise nodes are copied unchanged.
struct ElementwiseFusion {
    /// The rewritten graph and the new ids of the output nodes (a program's
    /// output and its auxiliary outputs: each leaves its region, if it is in one).
    func run(_ graph: Graph, outputs: [Int]) -> (graph: Graph, outputs: [Int]) {
        let nodes = graph.nodes
        let live = graph.ancestors(of: outputs)
        let consumers = graph.consumers()
        var regions = RegionSets()
        var regionOf = [Int](repeating: -1, count: nodes.count)
        // Regions each node's value depends on (through any path), by raw region id.
        var depends = [Set<Int>](repeating: [], count: nodes.count)

        for (v, node) in nodes.enumerated() where live[v] {
            depends[v] = node.inputs.reduce(into: Set<Int>()) { $0.formUnion(depends[$1]) }
            guard case let .operation(op, inputs) = node.kind, let kernel = op as? ElementwiseKernel else { continue }
            var joined = Set<Int>(), outside: [Int] = []
            for (k, u) in inputs.enumerated() {
                if !kernel.scalarInputs.contains(k), nodes[u].shape == node.shape, regionOf[u] >= 0 {
                    joined.insert(regions.find(regionOf[u]))
                } else {
                    outside.append(u)
                }
            }
            let outsideDepends = outside.reduce(into: Set<Int>()) { $0.formUnion(depends[$1]) }
            let region = regions.join(joined, outsideDepends: outsideDepends, alone: depends[v])
            regionOf[v] = region
            depends[v].insert(region)
        }
        for v in nodes.indices where regionOf[v] >= 0 { regionOf[v] = regions.find(regionOf[v]) }

        let absorbed = absorbedNodes(graph, live: live, consumers: consumers, regionOf: regionOf, outputs: Set(outputs))
        return Contraction(graph: graph, live: live, consumers: consumers, regionOf: regionOf,
                           absorbedInto: absorbed, outputs: outputs).build()
    }

    /// Broadcasts whose users all lie in one region, and sums of members: the
    /// region each joins.
    private func absorbedNodes(_ graph: Graph, live: [Bool], consumers: [[Int]], regionOf: [Int],
                               outputs: Set<Int>) -> [Int: Int] {
        var result: [Int: Int] = [:]
        for (v, node) in graph.nodes.enumerated() where live[v] && regionOf[v] < 0 {
            guard case let .operation(op, inputs) = node.kind else { continue }
            if op is BroadcastTo, !outputs.contains(v) {
                let users = consumers[v].filter { live[$0] }
                guard let first = users.first, regionOf[first] >= 0,
                      users.allSatisfy({ regionOf[$0] == regionOf[first] && Self.usesAsFullOperand(graph, $0, v) })
                else { continue }
                result[v] = regionOf[first]
            } else if op is Sum, regionOf[inputs[0]] >= 0 {
                result[v] = regionOf[inputs[0]]
            }
        }
        return result
    }

    /// Whether `user` reads `value` position by position (not as a scalar operand).
    private static func usesAsFullOperand(_ graph: Graph, _ user: Int, _ value: Int) -> Bool {
        guard case let .operation(op, inputs) = graph.nodes[user].kind, let kernel = op as? ElementwiseKernel else {
            return false
        }
        return inputs.enumerated().allSatisfy { k, u in u != value || !kernel.scalarInputs.contains(k) }
    }
}

/// Union-find over region ids, with the regions each region's outside operands
/// depend on (to keep regions convex when they merge).
private struct RegionSets {
    private var parent: [Int] = []
    private var outsideDepends: [Set<Int>] = []

    mutating func find(_ r: Int) -> Int {
        var r = r
        while parent[r] != r { parent[r] = parent[parent[r]]; r = parent[r] }
        return r
    }

    /// Merges `regions` and a new member whose outside operands depend on
    /// `dependsOutside` into one region, or makes the member a region of its own
    /// when merging would let a path leave a region and come back.
    /// `alone` is what the member's operands depend on, for a region of its own.
    mutating func join(_ regions: Set<Int>, outsideDepends dependsOutside: Set<Int>, alone: Set<Int>) -> Int {
        let reached = closure(regions.reduce(into: dependsOutside) { $0.formUnion(outsideDepends[$1]) })
        guard reached.isDisjoint(with: regions), let root = regions.min() else { return make(alone) }
        for r in regions where r != root {
            parent[r] = root
            outsideDepends[root].formUnion(outsideDepends[r])
        }
        outsideDepends[root].formUnion(dependsOutside)
        return root
    }

    /// The regions a value that depends on `set` depends on through any path,
    /// as they are now: the set and, transitively, what each region's outside
    /// operands depend on. A region's dependencies grow as members join it, so
    /// a node's `depends`, computed when it was visited, names the region but
    /// not what its later members read: the contracted region computes them
    /// all, so a value of the region depends on all of it.
    private mutating func closure(_ set: Set<Int>) -> Set<Int> {
        var result = Set<Int>(), pending = set.map { find($0) }
        while let r = pending.popLast() {
            guard result.insert(r).inserted else { continue }
            for d in outsideDepends[r] { pending.append(find(d)) }
        }
        return result
    }

    private mutating func make(_ dependsOutside: Set<Int>) -> Int {
        parent.append(parent.count)
        outsideDepends.append(dependsOutside)
        return parent.count - 1
    }
}
