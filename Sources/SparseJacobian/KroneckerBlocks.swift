/// J = I_outer ⊗ B ⊗ I_inner: `outer` copies on the diagonal of B ⊗ I_inner,
/// with B sparse on `pattern` (read as Bᵀ's compressed columns when
/// `transposed`: a matrix given by rows, an edge list) or dense when `pattern`
/// is nil. With column-major tensors:
///
/// - Y = S·X for X with F columns: I_F ⊗ S (outer F, inner 1);
/// - C = A·B for A m×k, B k×n: ∂C/∂B = I_n ⊗ A, ∂C/∂A = Bᵀ ⊗ I_m (dense blocks);
/// - x = A⁻¹·b for b with k columns: I_k ⊗ A⁻¹ (a dense block).
public struct KroneckerBlocks: Hashable, Sendable {
    public let outer: Int
    public let inner: Int
    /// B's rows and columns.
    public let blockRows: Int
    public let blockColumns: Int
    /// The stored pattern (B's, or Bᵀ's when `transposed`); nil for a dense B.
    public let pattern: SparsityPattern?
    public let transposed: Bool

    /// I_outer ⊗ B ⊗ I_inner with B on a sparse pattern (stored as Bᵀ's when `transposed`).
    public init(outer: Int = 1, pattern: SparsityPattern, transposed: Bool = false, inner: Int = 1) {
        let (r, c) = transposed ? (pattern.columns, pattern.rows) : (pattern.rows, pattern.columns)
        self.init(outer: outer, inner: inner, block: (r, c), pattern: pattern, transposed: transposed)
    }

    /// I_outer ⊗ B ⊗ I_inner with B a dense blockRows × blockColumns matrix.
    public init(outer: Int = 1, denseRows blockRows: Int, columns blockColumns: Int, inner: Int = 1) {
        self.init(outer: outer, inner: inner, block: (blockRows, blockColumns), pattern: nil, transposed: false)
    }

    private init(outer: Int, inner: Int, block: (rows: Int, columns: Int), pattern: SparsityPattern?, transposed: Bool) {
        precondition(outer >= 0 && inner >= 0 && block.rows >= 0 && block.columns >= 0, "negative Kronecker size")
        (self.outer, self.inner, self.pattern, self.transposed) = (outer, inner, pattern, transposed)
        (blockRows, blockColumns) = block
    }

    public var rows: Int { outer * blockRows * inner }
    public var columns: Int { outer * blockColumns * inner }

    /// Number of stored entries of the expanded pattern.
    public var nonzeroCount: Int { outer * inner * (pattern?.nonzeroCount ?? blockRows * blockColumns) }

    /// The expanded pattern: column (o, c, t) = o·(blockColumns·inner) + c·inner + t
    /// holds rows o·(blockRows·inner) + r·inner + t for each r with B[r, c] stored.
    /// Cost: O(nonzeroCount + columns); none for one block of a stored B, and
    /// O(columns) without touching B when there are no blocks (outer or inner 0:
    /// a gather from 2^31 empty rows never transposes its selection).
    public var expandedPattern: SparsityPattern {
        if outer == 1, inner == 1, let pattern { return transposed ? pattern.transposed : pattern }
        if outer == 0 || inner == 0 {
            return SparsityPattern(uncheckedRows: rows, columns: columns,
                                   columnPointers: [Int](repeating: 0, count: columns + 1), rowIndices: [])
        }
        // Rows of each column of B.
        let block: SparsityPattern = pattern.map { transposed ? $0.transposed : $0 }
            ?? .full(rows: blockRows, columns: blockColumns)
        var pointers = [0], indices = [Int]()
        pointers.reserveCapacity(columns + 1)
        indices.reserveCapacity(nonzeroCount)
        let rowStride = blockRows * inner
        for o in 0..<outer {
            for c in 0..<blockColumns {
                let stored = block.positions(ofColumn: c)
                for t in 0..<inner {
                    for p in stored { indices.append(o * rowStride + block.rowIndices[p] * inner + t) }
                    pointers.append(indices.count)
                }
            }
        }
        return SparsityPattern(uncheckedRows: rows, columns: columns, columnPointers: pointers, rowIndices: indices)
    }
}
