import SparseJacobian
import Testing

/// Adjacency from edge lists, edge positions in the value order, and the
/// normalisation D^-1/2 (A + I) D^-1/2 of graph convolutions.
@Suite struct GraphMatrixTests {
    /// A path 0 – 1 – 2 and an edge 3 – 1 given twice, one weighted 2.
    static let edges = [(0, 1), (1, 2), (3, 1), (3, 1)]

    @Test func undirectedAdjacencySumsDuplicates() throws {
        let a = try SparseMatrix.adjacency(nodeCount: 4, edges: Self.edges, weights: [1, 1, 1, 2])
        let d = a.dense()
        #expect(d[0, 1] == 1 && d[1, 0] == 1 && d[1, 2] == 1 && d[2, 1] == 1)
        #expect(d[3, 1] == 3 && d[1, 3] == 3)
        #expect(a.pattern.nonzeroCount == 6)
        let directed = try SparseMatrix.adjacency(nodeCount: 4, edges: Self.edges, symmetric: false)
        #expect(directed.dense()[3, 1] == 2 && directed.dense()[1, 3] == 0)
        // A self-loop counts once even for an undirected graph.
        let loop = try SparseMatrix.adjacency(nodeCount: 2, edges: [(1, 1)])
        #expect(loop.dense()[1, 1] == 1)
    }

    @Test func edgePositionsPointAtTheEdgesValues() throws {
        let a = try SparseMatrix.adjacency(nodeCount: 4, edges: Self.edges, weights: [5, 6, 7, 8])
        let forward = try a.pattern.edgePositions(Self.edges)
        let backward = try a.pattern.edgePositions(Self.edges.map { ($1, $0) })
        #expect(forward.map { a.values[$0] } == [5, 6, 15, 15])
        #expect(backward.map { a.values[$0] } == [5, 6, 15, 15])
        // Storage order is column by column: (1,0) | (0,1) (2,1) (3,1) | (1,2) | (1,3).
        #expect(forward == [1, 4, 3, 3] && backward == [0, 2, 5, 5])
        #expect(throws: SparseError.entryNotStored(row: 0, column: 2)) { try a.pattern.edgePositions([(0, 2)]) }
        #expect(throws: SparseError.columnIndexOutOfRange(position: 0, column: 9, columns: 4)) {
            try a.pattern.edgePositions([(0, 9)])
        }
    }

    @Test func badEdgesAreTypedErrors() {
        #expect(throws: SparseError.edgeOutOfRange(edge: 1, source: 2, target: 4, nodeCount: 4)) {
            try SparseMatrix.adjacency(nodeCount: 4, edges: [(0, 1), (2, 4)])
        }
        #expect(throws: SparseError.edgeOutOfRange(edge: 0, source: -1, target: 0, nodeCount: 4)) {
            try SparseMatrix.adjacency(nodeCount: 4, edges: [(-1, 0)])
        }
        #expect(throws: SparseError.coordinateCountMismatch(rows: 1, columns: 1, values: 2)) {
            try SparseMatrix.adjacency(nodeCount: 4, edges: [(0, 1)], weights: [1, 2])
        }
        #expect(throws: SparseError.rowIndexOutOfRange(column: 0, position: 1, row: 3, rows: 2)) {
            try SparseMatrix(rows: 2, columns: 2, rowIndices: [0, 3], columnIndices: [0, 0], values: [1, 2])
        }
    }

    @Test func normalisationMatchesTheDenseFormula() throws {
        let a = try SparseMatrix.adjacency(nodeCount: 4, edges: Self.edges, weights: [1, 1, 1, 2])
        let n = try a.normalizedAdjacency()
        let dense = a.dense()
        var degree = [Double](repeating: 1, count: 4)     // the self-loop
        for i in 0..<4 { for j in 0..<4 { degree[i] += dense[i, j] } }
        for i in 0..<4 {
            for j in 0..<4 {
                let aHat = dense[i, j] + (i == j ? 1 : 0)
                let expected = aHat / (degree[i] * degree[j]).squareRoot()
                #expect(abs(n.dense()[i, j] - expected) <= 1e-15, "(\(i), \(j))")
            }
        }
        #expect(n.pattern.nonzeroCount == a.pattern.nonzeroCount + 4)
        // Without self-loops an isolated node keeps zeros instead of dividing by 0.
        let isolated = try SparseMatrix.adjacency(nodeCount: 3, edges: [(0, 1)]).normalizedAdjacency(addingSelfLoops: false)
        #expect(isolated.dense()[0, 1] == 1 && isolated.values.allSatisfy(\.isFinite))
        #expect(throws: SparseError.notSquare(rows: 2, columns: 3)) {
            try SparseMatrix(rows: 2, columns: 3, rowIndices: [0], columnIndices: [2], values: [1]).normalizedAdjacency()
        }
        #expect(throws: SparseError.negativeDegree(node: 0, degree: -2)) {
            try SparseMatrix.adjacency(nodeCount: 2, edges: [(0, 1)], weights: [-3]).normalizedAdjacency()
        }
    }
}
