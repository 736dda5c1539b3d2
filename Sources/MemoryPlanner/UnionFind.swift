/// Disjoint sets over `0..<count` with path halving. Deterministic: a union always makes the
/// smaller representative the root. Nearly O(1) amortized per operation (O(log n) worst case).
struct UnionFind {
    private var parent: [Int]

    init(count: Int) { parent = Array(0..<count) }

    mutating func find(_ x: Int) -> Int {
        var x = x
        while parent[x] != x {
            parent[x] = parent[parent[x]]
            x = parent[x]
        }
        return x
    }

    /// Joins the sets of `a` and `b`; returns `false` if they were already one set.
    @discardableResult
    mutating func union(_ a: Int, _ b: Int) -> Bool {
        let ra = find(a), rb = find(b)
        if ra == rb { return false }
        if ra < rb { parent[rb] = ra } else { parent[ra] = rb }
        return true
    }
}
