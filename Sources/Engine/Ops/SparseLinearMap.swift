import SparseJacobian

/// Y = M·X for a constant sparse M (rows×columns) and X of shape
/// [columns, rest…] (or its flattening, see `flattensInput`), through
/// `cholmod_l_sdmult`. Gather, scatter-add and picking one entry per row are
/// such maps with 0/1 matrices. Jacobian: sparse, I_blocks ⊗ M with
/// blocks = count of rest…, applied as Mᵀ·G by the engine. Saves nothing.
/// Cost: 2·nnz(M)·blocks flops each way.
struct SparseLinearMap: DifferentiableOperation {
    let name: String
    let matrix: SparseMatrix
    /// Treat the input as one column of its flattened elements (picking entries
    /// anywhere in a tensor) rather than as rows of [columns, rest…].
    let flattensInput: Bool
    /// The traced input's shape: it fixes the number of blocks of the Jacobian.
    let inputShape: [Int]

    func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] {
        let input = inputs[0]
        if flattensInput {
            guard Shape.count(input) == matrix.columns else {
                throw .shapeMismatch(op: name, shapes: [input, matrix.shape], reason: "element count must be \(matrix.columns)")
            }
            return [matrix.rows]
        }
        guard let first = input.first, first == matrix.columns else {
            throw .shapeMismatch(op: name, shapes: [input, matrix.shape], reason: "leading extent must be \(matrix.columns)")
        }
        return try Shape.validated([matrix.rows] + input.dropFirst(), op: name)
    }

    func forward(_ f: ForwardArguments) throws(EngineError) {
        do {
            try matrix.multiply(f.input(0), columns: blocks(f.inputShape(0)), into: f.output, context: f.context)
        } catch { throw .sparse(op: name, error) }
    }

    func derivative(forInput index: Int) -> Derivative {
        .sparse(SparseDerivative(pattern: matrix.pattern, blocks: blocks(inputShape), values: .constant(matrix.values)))
    }

    /// J = I_blocks ⊗ M on M's pattern.
    func jacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        .kronecker(KroneckerBlocks(outer: blocks(inputShapes[0]), pattern: matrix.pattern))
    }

    func blocks(_ input: [Int]) -> Int { flattensInput ? 1 : Shape.count(Array(input.dropFirst())) }
}
