import SparseJacobian
import Testing

/// The structures added for sparse Jacobians: selections, rows of ones,
/// Kronecker blocks, sums; each composition's pattern against the product of
/// the dense 0/1 forms.
@Suite struct StructureAlgebraTests {
    let context = CholmodContext()

    /// Boolean product pattern of two patterns, from their dense forms.
    func densePattern(_ a: SparsityPattern, times b: SparsityPattern) -> Set<[Int]> {
        var entries = Set<[Int]>()
        for j in 0..<b.columns {
            for q in b.positions(ofColumn: j) {
                let k = b.rowIndices[q]
                for p in a.positions(ofColumn: k) { entries.insert([a.rowIndices[p], j]) }
            }
        }
        return entries
    }

    func entries(_ p: SparsityPattern) -> Set<[Int]> {
        Set(p.columnIndices.enumerated().map { [p.rowIndices[$0.offset], $0.element] })
    }

    static let gather = try! Selection(columns: 4, sources: [3, -1, 0, 3, 1])
    static let reduce = try! Selection(columns: 2, sources: [0, 1, 1, 0, 0])   // 5 elements into 2
    static let pattern = try! SparsityPattern(rows: 4, columns: 5, rowIndices: [0, 1, 3, 2, 0], columnIndices: [0, 0, 2, 3, 4])

    static let structures: [JacobianStructure] = [
        .selection(gather), .rowsOfOnes(reduce), .sparse(pattern), .diagonal(size: 5), .identity(size: 4),
        .kronecker(KroneckerBlocks(outer: 2, pattern: try! SparsityPattern(rows: 2, columns: 2, rowIndices: [0, 1, 1],
                                                                            columnIndices: [0, 0, 1]))),
        .kronecker(KroneckerBlocks(denseRows: 2, columns: 1, inner: 2)),
        .dense(rows: 4, columns: 5), .dense(rows: 5, columns: 4), .none(rows: 5, columns: 4),
    ]

    @Test func everyComposablepairContainsTheProductPattern() throws {
        for outer in Self.structures {
            for inner in Self.structures where outer.columns == inner.rows {
                let composed = try outer.composed(after: inner, context: context)
                #expect(composed.rows == outer.rows && composed.columns == inner.columns)
                let expected = densePattern(outer.pattern, times: inner.pattern)
                // Exact: values of these structures never cancel structurally.
                #expect(entries(composed.pattern) == expected, "\(outer) ∘ \(inner)")
                #expect(composed.nonzeroCount == composed.pattern.nonzeroCount)
            }
        }
    }

    @Test func selectionsAndSumsComposeAsIndexMaps() throws {
        let picked = try JacobianStructure.selection(Self.gather).composed(after: .selection(try Selection(columns: 2, sources: [1, 0, 0, 1])),
                                                                          context: context)
        #expect(picked == .selection(try Selection(columns: 2, sources: [1, -1, 1, 1, 0])))
        let summed = try JacobianStructure.rowsOfOnes(try Selection(columns: 1, sources: [0, 0]))
            .composed(after: .rowsOfOnes(Self.reduce), context: context)
        #expect(summed == .rowsOfOnes(try Selection(columns: 1, sources: [0, 0, 0, 0, 0])))
        #expect(JacobianStructure.selection(Self.gather).transposed == .rowsOfOnes(Self.gather))
        #expect(try Selection(columns: 3, sources: [2, 0, 1]).isPermutation)
        #expect(!Self.gather.isPermutation)
        #expect(throws: SparseError.columnIndexOutOfRange(position: 1, column: 4, columns: 4)) {
            try Selection(columns: 4, sources: [0, 4])
        }
    }

    @Test func kroneckerBlocksExpandAsTheyShould() throws {
        // C = A·B, A 2×3, B 3×2: ∂C/∂A = Bᵀ ⊗ I_2 (C[i, j] reads row i of A), ∂C/∂B = I_2 ⊗ A.
        let byA = KroneckerBlocks(denseRows: 2, columns: 3, inner: 2).expandedPattern
        for i in 0..<2 { for j in 0..<2 { for l in 0..<3 {
            #expect(byA.position(row: i + 2 * j, column: i + 2 * l) != nil)
            #expect(byA.position(row: (1 - i) + 2 * j, column: i + 2 * l) == nil)
        } } }
        let byB = KroneckerBlocks(outer: 2, denseRows: 2, columns: 3).expandedPattern
        #expect(byB.nonzeroCount == 12 && byB.position(row: 0, column: 3) == nil && byB.position(row: 2, column: 3) != nil)
        // A by rows: the stored pattern is Aᵀ's.
        let stored = try SparsityPattern(rows: 3, columns: 2, rowIndices: [2], columnIndices: [0])   // A[0, 2]
        #expect(KroneckerBlocks(pattern: stored, transposed: true).expandedPattern
                == (try SparsityPattern(rows: 2, columns: 3, rowIndices: [0], columnIndices: [2])))
    }

    @Test func sumsUniteOrAbsorb() throws {
        let a = JacobianStructure.sparse(Self.pattern), d = JacobianStructure.dense(rows: 4, columns: 5)
        #expect(try a.adding(.none(rows: 4, columns: 5), context: context) == a)
        #expect(try a.adding(d, context: context) == d)
        #expect(try JacobianStructure.identity(size: 3).adding(.identity(size: 3), context: context) == .diagonal(size: 3))
        let g = JacobianStructure.selection(try Selection(columns: 5, sources: [4, 4, -1, 1]))
        let union = try a.adding(g, context: context)
        #expect(entries(union.pattern) == entries(Self.pattern).union(entries(g.pattern)))
        #expect(throws: SparseError.self) { try a.adding(.diagonal(size: 4), context: context) }
    }

    @Test func denseFactorsKeepOnlyTheReachedRowsAndColumns() throws {
        // A gather that never picks column 2: dense ∘ gather leaves column 2 empty.
        let gather = JacobianStructure.selection(try Selection(columns: 3, sources: [0, 1, 1]))
        let composed = try JacobianStructure.dense(rows: 2, columns: 3).composed(after: gather, context: context)
        #expect(composed.pattern.nonemptyColumns == [0, 1] && composed.nonzeroCount == 4)
        let scatter = JacobianStructure.rowsOfOnes(try Selection(columns: 3, sources: [0, 2]))
        #expect(try scatter.composed(after: .dense(rows: 2, columns: 2), context: context).pattern.nonemptyRows == [0, 2])
    }
}
