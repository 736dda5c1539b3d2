import SparseJacobian

/// Y = M·X for a constant sparse M (rows×columns) and X of shape
/// [columns, rest…] (or its flattening, see `flattensInput`), through
/// `cholmod_l_sdmult`. Gather, scatter-add and picking one entry per row are
/// such maps with 0/1 matrices. Jacobian: sparse, I_blocks ⊗ M with
/// blocks = count of rest…, applied as Mᵀ·G by the engine. Saves nothing.
/// `byRows`: `matrix` holds Mᵀ (M stored by rows), so a gather of k rows out
/// of n costs O(k), not O(n) column pointers. Cost: 2·nnz(M)·blocks flops each way.
struct SparseLinearMap: DifferentiableOperation {
    let name: String
    let matrix: SparseMatrix
    /// Treat the input as one column of its flattened elements (picking entries
    /// anywhere in a tensor) rather than as rows of [columns, rest…].
    let flattensInput: Bool
    /// The traced input's shape: it fixes the number of blocks of the Jacobian.
    let inputShape: [Int]
    /// `matrix` is Mᵀ: M is applied as a transposed product (no copy).
    var byRows = false

    /// M's rows and columns.
    private var mapShape: (rows: Int, columns: Int) {
        byRows ? (matrix.columns, matrix.rows) : (matrix.rows, matrix.columns)
    }

    /// Recomputed freely (gathers, scatters, picks): one sdmult, 2·nnz·blocks
    /// flops, reading M (16 bytes an entry) and X, writing Y.
    func recomputation(inputShapes: [[Int]], outputShape: [Int]) -> Recomputation {
        let streaming = Recomputation.streaming(inputShapes: inputShapes, outputShape: outputShape, flopsPerElement: 0)
        let nnz = matrix.pattern.nonzeroCount
        return Recomputation(rule: .allowed, flops: (2 * nnz).multipliedClamped(by: blocks(inputShape)),
                             bytes: streaming.bytes.addingClamped(16 * nnz))
    }

    func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] {
        let input = inputs[0], (rows, columns) = mapShape
        if flattensInput {
            guard Shape.count(input) == columns else {
                throw .shapeMismatch(op: name, shapes: [input, [rows, columns]], reason: "element count must be \(columns)")
            }
            return [rows]
        }
        guard let first = input.first, first == columns else {
            throw .shapeMismatch(op: name, shapes: [input, [rows, columns]], reason: "leading extent must be \(columns)")
        }
        return try Shape.validated([rows] + input.dropFirst(), op: name)
    }

    func forward(_ f: ForwardArguments) throws(EngineError) {
        do {
            try matrix.multiply(f.input(0), columns: blocks(f.inputShape(0)), into: f.output, transposed: byRows,
                                context: f.context)
        } catch { throw .sparse(op: name, error) }
    }

    func derivative(forInput index: Int) -> Derivative {
        .sparse(SparseDerivative(pattern: matrix.pattern, blocks: blocks(inputShape), values: .constant(matrix.values),
                                 transposed: byRows))
    }

    /// J = I_blocks ⊗ M on M's pattern (stored as Mᵀ's when `byRows`).
    func jacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        .kronecker(KroneckerBlocks(outer: blocks(inputShapes[0]), pattern: matrix.pattern, transposed: byRows))
    }

    func blocks(_ input: [Int]) -> Int { flattensInput ? 1 : Shape.count(Array(input.dropFirst())) }
}
