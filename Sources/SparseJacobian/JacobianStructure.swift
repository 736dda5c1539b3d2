/// The structure of a Jacobian J = ∂output/∂input, rows = output size,
/// columns = input size, as an op declares it for each of its inputs: what J
/// is, independently of how the engine applies Jᵀ·g.
///
/// | case | J | pattern |
/// | --- | --- | --- |
/// | none | 0 | empty |
/// | identity | I | the diagonal |
/// | diagonal | diag(d) | the diagonal |
/// | selection | a 0/1 selection S (one 1 per row at most); a permutation when `S.isPermutation` | one entry per picking row |
/// | rowsOfOnes | Sᵀ for a selection S: row r is ones at the columns S sends to r (sums) | one entry per picked column |
/// | kronecker | I_outer ⊗ B ⊗ I_inner, B sparse (possibly stored transposed) or dense | blocks of B's pattern |
/// | sparse | nonzeros only on a pattern | the pattern |
/// | dense | anything | every entry |
///
/// identity, selection and rowsOfOnes also say what the values are (ones);
/// the others say only where they may be nonzero.
public enum JacobianStructure: Hashable, Sendable {
    /// The output does not depend on the input (or it is not differentiable).
    case none(rows: Int, columns: Int)
    /// J = I.
    case identity(size: Int)
    /// J = diag(d).
    case diagonal(size: Int)
    /// J = S, a 0/1 selection (slices, gathers, broadcasts, concatenations, permutations).
    case selection(Selection)
    /// J = Sᵀ for the selection S that maps each input element to its output
    /// element (S.rows = input size): sums over axes, a structured row of ones each.
    case rowsOfOnes(Selection)
    /// J = I_outer ⊗ B ⊗ I_inner (sparse products, the matrix product, solves).
    case kronecker(KroneckerBlocks)
    /// Nonzeros only on this pattern.
    case sparse(SparsityPattern)
    /// No known structure.
    case dense(rows: Int, columns: Int)

    public var rows: Int {
        switch self {
        case let .none(r, _), let .dense(r, _): return r
        case let .identity(n), let .diagonal(n): return n
        case let .selection(s): return s.rows
        case let .rowsOfOnes(s): return s.columns
        case let .kronecker(k): return k.rows
        case let .sparse(p): return p.rows
        }
    }

    public var columns: Int {
        switch self {
        case let .none(_, c), let .dense(_, c): return c
        case let .identity(n), let .diagonal(n): return n
        case let .selection(s): return s.columns
        case let .rowsOfOnes(s): return s.rows
        case let .kronecker(k): return k.columns
        case let .sparse(p): return p.columns
        }
    }

    /// The structure of Jᵀ.
    public var transposed: JacobianStructure {
        switch self {
        case let .none(r, c): return .none(rows: c, columns: r)
        case let .dense(r, c): return .dense(rows: c, columns: r)
        case .identity, .diagonal: return self
        case let .selection(s): return .rowsOfOnes(s)
        case let .rowsOfOnes(s): return .selection(s)
        case .kronecker: return .sparse(pattern.transposed)
        case let .sparse(p): return .sparse(p.transposed)
        }
    }

    /// Number of entries of `pattern`, without building it.
    public var nonzeroCount: Int {
        switch self {
        case .none: return 0
        case let .identity(n), let .diagonal(n): return n
        case let .selection(s), let .rowsOfOnes(s): return s.sources.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
        case let .kronecker(k): return k.nonzeroCount
        case let .sparse(p): return p.nonzeroCount
        case let .dense(r, c): return r * c
        }
    }

    /// Where J may be nonzero, as a pattern (dense: every entry, so mind the
    /// size). Cost: O(nonzeroCount + columns).
    public var pattern: SparsityPattern {
        switch self {
        case let .none(r, c):
            return SparsityPattern(uncheckedRows: r, columns: c, columnPointers: [Int](repeating: 0, count: c + 1),
                                   rowIndices: [])
        case let .identity(n), let .diagonal(n): return .diagonal(n)
        case let .selection(s): return s.pattern
        case let .rowsOfOnes(s): return s.transposedPattern
        case let .kronecker(k): return k.expandedPattern
        case let .sparse(p): return p
        case let .dense(r, c): return .full(rows: r, columns: c)
        }
    }

    /// The structure of J_self·J_inner, the Jacobian of g∘f when `self` is g's
    /// and `inner` is f's. The rules, first match wins:
    /// none absorbs; identity is neutral; diagonal∘diagonal = diagonal;
    /// selection∘selection = selection and rowsOfOnes∘rowsOfOnes = rowsOfOnes
    /// (index maps composed); a diagonal factor keeps the other's pattern (as
    /// `sparse`: its values are scaled); dense∘A = every row in A's nonempty
    /// columns, A∘dense = A's nonempty rows in every column (dense when those are
    /// all); any other pair is the structural product of the patterns
    /// (`cholmod_l_ssmult`). An operand of more than `maximumPatternEntries`
    /// entries makes the result dense. The result's pattern always contains
    /// the product's nonzeros.
    public func composed(after inner: JacobianStructure, context: CholmodContext) throws(SparseError) -> JacobianStructure {
        guard columns == inner.rows else {
            throw .shapeMismatch(operation: "Jacobian composition J_g·J_f", left: [rows, columns],
                                 right: [inner.rows, inner.columns])
        }
        switch (self, inner) {
        case (.none, _), (_, .none): return .none(rows: rows, columns: inner.columns)
        case (.identity, _): return inner
        case (_, .identity): return self
        case (.diagonal, .diagonal): return self
        case let (.selection(a), .selection(b)): return .selection(a.composed(after: b))
        case let (.rowsOfOnes(a), .rowsOfOnes(b)): return .rowsOfOnes(b.composed(after: a))
        case (.diagonal, .dense), (.dense, .diagonal), (.dense, .dense): return .dense(rows: rows, columns: inner.columns)
        case (.diagonal, _): return inner.scaled
        case (_, .diagonal): return scaled
        case _ where tooLarge || inner.tooLarge: return .dense(rows: rows, columns: inner.columns)
        case (.dense, _): return .denseBlock(rows: Array(0..<rows), columns: inner.pattern.nonemptyColumns,
                                             shape: (rows, inner.columns))
        case (_, .dense): return .denseBlock(rows: pattern.nonemptyRows, columns: Array(0..<inner.columns),
                                             shape: (rows, inner.columns))
        default: return .sparse(try pattern.multiplied(by: inner.pattern, context: context))
        }
    }

    /// The most entries a structure is expanded to as a pattern (2^28, 2 GiB
    /// of indices) while composing: a larger operand composes as dense, the
    /// superset every caller can refuse by its size before building anything.
    public static var maximumPatternEntries: Int { 1 << 28 }

    private var tooLarge: Bool { nonzeroCount > Self.maximumPatternEntries }

    /// The structure of J_self + J_other (a value that reaches the output along
    /// several paths): none is neutral, dense absorbs, identities and diagonals
    /// add to a diagonal, any other pair is the union of the patterns
    /// (`cholmod_l_add`, pattern only).
    public func adding(_ other: JacobianStructure, context: CholmodContext) throws(SparseError) -> JacobianStructure {
        guard rows == other.rows, columns == other.columns else {
            throw .shapeMismatch(operation: "Jacobian sum J_a + J_b", left: [rows, columns], right: [other.rows, other.columns])
        }
        switch (self, other) {
        case (.none, _): return other
        case (_, .none): return self
        case (.dense, _), (_, .dense): return .dense(rows: rows, columns: columns)
        case (.identity, .identity), (.identity, .diagonal), (.diagonal, .identity), (.diagonal, .diagonal):
            return .diagonal(size: rows)
        case _ where tooLarge || other.tooLarge: return .dense(rows: rows, columns: columns)
        default: return .sparse(try pattern.union(other.pattern, context: context))
        }
    }

    /// The same pattern with values no longer known (after a diagonal scaling).
    private var scaled: JacobianStructure {
        switch self {
        case .none, .diagonal, .dense, .sparse: return self
        case .identity: return .diagonal(size: rows)
        case .selection, .rowsOfOnes, .kronecker: return tooLarge ? .dense(rows: rows, columns: columns) : .sparse(pattern)
        }
    }

    /// Every entry (i, j) for i in `rows`, j in `columns` (both increasing);
    /// `dense` when that is all of them.
    private static func denseBlock(rows: [Int], columns: [Int], shape: (Int, Int)) -> JacobianStructure {
        if (rows.count == shape.0 && columns.count == shape.1) || rows.count * columns.count > maximumPatternEntries {
            return .dense(rows: shape.0, columns: shape.1)
        }
        var pointers = [0], indices = [Int]()
        indices.reserveCapacity(rows.count * columns.count)
        var next = 0
        for j in 0..<shape.1 {
            if next < columns.count && columns[next] == j {
                indices.append(contentsOf: rows)
                next += 1
            }
            pointers.append(indices.count)
        }
        return .sparse(SparsityPattern(uncheckedRows: shape.0, columns: shape.1, columnPointers: pointers,
                                       rowIndices: indices))
    }
}
