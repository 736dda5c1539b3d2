import SparseJacobian
import Testing

@Suite struct JacobianStructureTests {
    let context = CholmodContext()
    static let a = try! SparsityPattern(rows: 3, columns: 3, columnPointers: [0, 2, 3, 4], rowIndices: [0, 2, 1, 2])
    static let b = try! SparsityPattern(rows: 3, columns: 3, columnPointers: [0, 1, 2, 4], rowIndices: [1, 0, 0, 2])

    /// outer ∘ inner = expected, for 3×3 Jacobians.
    @Test(arguments: [
        (JacobianStructure.none(rows: 3, columns: 3), JacobianStructure.dense(rows: 3, columns: 3), JacobianStructure.none(rows: 3, columns: 3)),
        (.dense(rows: 3, columns: 3), .none(rows: 3, columns: 3), .none(rows: 3, columns: 3)),
        (.identity(size: 3), .sparse(a), .sparse(a)),
        (.sparse(a), .identity(size: 3), .sparse(a)),
        (.identity(size: 3), .diagonal(size: 3), .diagonal(size: 3)),
        (.diagonal(size: 3), .diagonal(size: 3), .diagonal(size: 3)),
        (.diagonal(size: 3), .sparse(a), .sparse(a)),
        (.sparse(b), .diagonal(size: 3), .sparse(b)),
        (.sparse(a), .dense(rows: 3, columns: 3), .dense(rows: 3, columns: 3)),
        (.dense(rows: 3, columns: 3), .diagonal(size: 3), .dense(rows: 3, columns: 3)),
        (.identity(size: 3), .identity(size: 3), .identity(size: 3)),
    ])
    func compositionTable(outer: JacobianStructure, inner: JacobianStructure, expected: JacobianStructure) throws {
        #expect(try outer.composed(after: inner, context: context) == expected)
    }

    @Test func sparseAfterSparseIsTheStructuralProduct() throws {
        let composed = try JacobianStructure.sparse(Self.a).composed(after: .sparse(Self.b), context: context)
        // A·B: column 0 of B is row 1 → column 1 of A (row 1); column 1 is row 0 → rows 0, 2;
        // column 2 is rows 0, 2 → rows 0, 2 ∪ row 2.
        #expect(composed == .sparse(try SparsityPattern(rows: 3, columns: 3, columnPointers: [0, 1, 3, 5],
                                                        rowIndices: [1, 0, 2, 0, 2])))
    }

    @Test func shapesMustChain() {
        #expect(throws: SparseError.self) {
            try JacobianStructure.diagonal(size: 2).composed(after: .dense(rows: 3, columns: 4), context: context)
        }
        #expect(try! JacobianStructure.dense(rows: 2, columns: 3).composed(after: .none(rows: 3, columns: 5), context: context)
                == .none(rows: 2, columns: 5))
    }

    @Test func transposition() {
        #expect(JacobianStructure.dense(rows: 2, columns: 5).transposed == .dense(rows: 5, columns: 2))
        #expect(JacobianStructure.sparse(Self.a).transposed == .sparse(Self.a.transposed))
        #expect(JacobianStructure.diagonal(size: 4).transposed == .diagonal(size: 4))
        #expect(JacobianStructure.none(rows: 1, columns: 3).transposed == .none(rows: 3, columns: 1))
    }

    /// Every pair of valued Jacobians composes to the dense product, with the
    /// structure the structural algebra predicts.
    @Test func valuesComposeLikeDenseProducts() throws {
        var rng = SeededGenerator(seed: 21)
        let samples: [JacobianValues] = [
            .none(rows: 4, columns: 4), .identity(size: 4), .diagonal([2, -1, 0.5, 3]),
            .sparse(randomSparse(4, 4, density: 0.4, &rng)), .dense(randomDense(4, 4, &rng)),
        ]
        for outer in samples {
            for inner in samples {
                let composed = try outer.composed(after: inner, context: context)
                #expect(composed.structure == (try outer.structure.composed(after: inner.structure, context: context)))
                let expected = referenceProduct(outer.denseMatrix(), inner.denseMatrix())
                #expect(relativeError(composed.denseMatrix(), expected) < 1e-14, "\(outer.structure) ∘ \(inner.structure)")
            }
        }
    }

    @Test func valuesBecomeSparseMatrices() throws {
        #expect(JacobianValues.identity(size: 3).sparseMatrix() == .identity(3))
        #expect(JacobianValues.diagonal([1, 2]).sparseMatrix().pattern == .diagonal(2))
        #expect(JacobianValues.none(rows: 2, columns: 3).sparseMatrix().pattern.nonzeroCount == 0)
        let dense = try DenseMatrix(rows: 2, columns: 2, rowMajor: [1, 0, 3, 4])
        #expect(JacobianValues.dense(dense).sparseMatrix().dense() == dense)
        #expect(JacobianValues.dense(dense).transposed.denseMatrix() == dense.transposedDense())
    }
}
