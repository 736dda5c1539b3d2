import SparseJacobian
import Testing

/// Deterministic pseudo-random patterns (a linear congruential generator).
func randomPattern(rows: Int, columns: Int, perColumn: Int, seed: UInt64) -> SparsityPattern {
    var state = seed &* 6364136223846793005 &+ 1442695040888963407
    var rowIndices = [Int](), columnIndices = [Int]()
    for j in 0..<columns {
        for _ in 0..<perColumn {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            rowIndices.append(Int((state >> 33) % UInt64(rows)))
            columnIndices.append(j)
        }
    }
    return try! SparsityPattern(rows: rows, columns: columns, rowIndices: rowIndices, columnIndices: columnIndices)
}

@Suite struct RowColoringTests {
    static let patterns: [(String, SparsityPattern)] = [
        ("grid 15", try! SparseMatrix.gridLaplacian(side: 15).pattern),
        ("grid 4 × 7", try! SparseMatrix.gridLaplacian(side: 4).pattern),
        ("random 60×80, 3 per column", randomPattern(rows: 60, columns: 80, perColumn: 3, seed: 1)),
        ("random 200×50, 6 per column", randomPattern(rows: 200, columns: 50, perColumn: 6, seed: 2)),
        ("diagonal", .diagonal(10)),
        ("full", .full(rows: 5, columns: 3)),
    ]

    @Test(arguments: RowColoring.Order.allCases)
    func everyOrderGivesAValidColoringAboveTheCliqueBound(_ order: RowColoring.Order) {
        for (name, pattern) in Self.patterns {
            let coloring = RowColoring(pattern: pattern, order: order)
            #expect(coloring.isValid(for: pattern), "\(name), \(order)")
            // The rows of one column form a clique: at least that many colors.
            let clique = (0..<pattern.columns).map { pattern.positions(ofColumn: $0).count }.max() ?? 0
            #expect(coloring.colorCount >= clique, "\(name), \(order)")
            #expect(coloring.colorCount <= pattern.rows)
        }
    }

    @Test func aDiagonalTakesOneColorAndAFullColumnOneColorPerRow() throws {
        #expect(RowColoring(pattern: .diagonal(7)).colorCount == 1)
        #expect(RowColoring(pattern: .full(rows: 5, columns: 2)).colorCount == 5)
    }

    @Test func smallestLastColorsTheFivePointStencilBest() throws {
        // Interior columns of the 5-point Laplacian meet 5 rows (a clique): 5 is
        // optimal. Natural and largest-first order take 7 on every side here.
        for side in [10, 20, 31, 50, 64, 100] {
            let pattern = try SparseMatrix.gridLaplacian(side: side).pattern
            let colors = RowColoring.Order.allCases.map { RowColoring(pattern: pattern, order: $0).colorCount }
            #expect(colors[2] == (side == 31 ? 7 : 5), "side \(side): \(colors)")
            #expect(colors[2] <= colors[0] && colors[2] <= colors[1], "side \(side): \(colors)")
        }
    }

    @Test func rowsWithoutEntriesAreNotColored() throws {
        // Rows 1 and 3 are empty.
        let pattern = try SparsityPattern(rows: 4, columns: 2, rowIndices: [0, 2, 2], columnIndices: [0, 0, 1])
        let coloring = RowColoring(pattern: pattern)
        #expect(coloring.colors[1] == -1 && coloring.colors[3] == -1)
        #expect(coloring.colorCount == 2 && coloring.isValid(for: pattern))
    }

    @Test func anInvalidColoringIsDetected() throws {
        let pattern = try SparseMatrix.gridLaplacian(side: 3).pattern
        var colors = RowColoring(pattern: pattern).colors
        #expect(RowColoring(colors: colors).isValid(for: pattern))
        colors[1] = colors[0]  // rows 0 and 1 share column 0
        #expect(!RowColoring(colors: colors).isValid(for: pattern))
        #expect(!RowColoring(colors: colors).isValid(for: .diagonal(3)))
    }

    @Test func theKnownFiveColoringOfTheStencilIsValid() throws {
        // Node (r, c) of the grid gets (r + 2c) mod 5: distance-2 neighbours differ.
        let side = 9
        let colors = (0..<side * side).map { ($0 / side + 2 * ($0 % side)) % 5 }
        #expect(RowColoring(colors: colors).isValid(for: try SparseMatrix.gridLaplacian(side: side).pattern))
    }

    /// Compressing J by the coloring and reading it back gives J exactly.
    @Test func compressedProductsGiveBackEveryEntry() throws {
        let context = CholmodContext()
        let pattern = randomPattern(rows: 40, columns: 30, perColumn: 4, seed: 7)
        let j = try SparseMatrix(pattern: pattern, values: (0..<pattern.nonzeroCount).map { 1 + Double($0 % 13) * 0.37 })
        let compression = RowCompression(pattern: pattern, coloring: RowColoring(pattern: pattern))
        var values = [Double](repeating: .nan, count: pattern.nonzeroCount)
        for c in 0..<compression.productCount {
            var seed = DenseMatrix.zeros(rows: 40, columns: 1)
            for i in compression.seedRows(ofColor: c) { seed[i, 0] = 1 }
            let product = try j.multiplied(by: seed, transposed: true, context: context)  // Jᵀ·s
            product.values.withUnsafeBufferPointer { p in
                values.withUnsafeMutableBufferPointer { compression.recover(color: c, from: p.baseAddress!, into: $0.baseAddress!) }
            }
        }
        #expect(values == j.values)
    }
}
