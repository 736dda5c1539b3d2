import SparseJacobian
import Testing

@Suite struct SparsityPatternTests {
    @Test func validCSCIsAccepted() throws {
        let p = try SparsityPattern(rows: 3, columns: 2, columnPointers: [0, 2, 3], rowIndices: [0, 2, 1])
        #expect(p.nonzeroCount == 3)
        #expect(p.positions(ofColumn: 1) == 2..<3)
        #expect(p.position(row: 2, column: 0) == 1)
        #expect(p.position(row: 1, column: 0) == nil)
        #expect(p.columnIndices == [0, 0, 1])
    }

    @Test(arguments: [
        (3, 2, [0, 2], [0, 1], SparseError.columnPointerCount(expected: 3, actual: 2)),
        (3, 2, [1, 2, 3], [0, 1, 2], .firstColumnPointerNotZero(1)),
        (3, 2, [0, 2, 1], [0, 1], .columnPointersDecrease(column: 1, start: 2, end: 1)),
        (3, 2, [0, 1, 2], [0, 1, 2], .lastColumnPointerMismatch(pointer: 2, rowIndexCount: 3)),
        (3, 2, [0, 1, 4], [0, 1, 2], .lastColumnPointerMismatch(pointer: 4, rowIndexCount: 3)),
        (3, 2, [0, 2, 3], [0, 3, 1], .rowIndexOutOfRange(column: 0, position: 1, row: 3, rows: 3)),
        (3, 2, [0, 2, 3], [0, -1, 1], .rowIndexOutOfRange(column: 0, position: 1, row: -1, rows: 3)),
        (3, 2, [0, 2, 3], [2, 0, 1], .rowIndicesUnsorted(column: 0, position: 1, previous: 2, row: 0)),
        (3, 2, [0, 1, 3], [0, 1, 1], .duplicateRowIndex(column: 1, row: 1)),
        (-1, 2, [0, 0, 0], [], .negativeDimension(rows: -1, columns: 2)),
    ] as [(Int, Int, [Int], [Int], SparseError)])
    func invalidCSCThrowsWhereItIsWrong(rows: Int, columns: Int, pointers: [Int], indices: [Int], expected: SparseError) {
        #expect(throws: expected) {
            try SparsityPattern(rows: rows, columns: columns, columnPointers: pointers, rowIndices: indices)
        }
    }

    @Test func errorsSayWhatAndWhere() {
        let message = SparseError.duplicateRowIndex(column: 4, row: 7).description
        #expect(message.contains("row 7") && message.contains("column 4"))
    }

    @Test func coordinatesAreSortedAndMerged() throws {
        let p = try SparsityPattern(rows: 3, columns: 3, rowIndices: [2, 0, 1, 0, 2], columnIndices: [0, 0, 2, 0, 1])
        #expect(p.columnPointers == [0, 2, 3, 4])
        #expect(p.rowIndices == [0, 2, 2, 1])
    }

    @Test func coordinatesOutOfRangeThrow() {
        #expect(throws: SparseError.columnIndexOutOfRange(position: 1, column: 3, columns: 3)) {
            try SparsityPattern(rows: 3, columns: 3, rowIndices: [0, 0], columnIndices: [0, 3])
        }
        #expect(throws: SparseError.rowIndexOutOfRange(column: 0, position: 0, row: 5, rows: 3)) {
            try SparsityPattern(rows: 3, columns: 3, rowIndices: [5], columnIndices: [0])
        }
    }

    @Test func transposeTwiceIsIdentityAndSwapsShape() throws {
        var rng = SeededGenerator(seed: 1)
        let a = randomSparse(7, 4, density: 0.4, &rng)
        let t = a.pattern.transposed
        #expect(t.rows == 4 && t.columns == 7)
        #expect(t.transposed == a.pattern)
        #expect(a.transposed.dense() == a.dense().transposedDense())
    }

    @Test func patternsAreValues() throws {
        let a = try SparsityPattern(rows: 2, columns: 2, columnPointers: [0, 1, 2], rowIndices: [0, 1])
        #expect(a == .diagonal(2))
        #expect(Set([a, .diagonal(2), .full(rows: 2, columns: 2)]).count == 2)
    }

    @Test func emptyShapes() throws {
        for (r, c) in [(0, 0), (0, 3), (3, 0)] {
            let p = try SparsityPattern(rows: r, columns: c, columnPointers: [Int](repeating: 0, count: c + 1), rowIndices: [])
            #expect(p.transposed.shape == [c, r])
            #expect(p.nonzeroCount == 0)
        }
    }
}
