import SparseJacobian

/// log det A for a symmetric positive definite A on a pattern fixed at trace time
/// (analysed once there with the given `CholeskyOrdering`), values as input 0;
/// only the lower triangle is read (see `SparseCholesky`). Each run factorizes
/// and sums 2·log L_jj.
///
/// Jacobian for the values: dense, ∂ log det A / ∂A = A⁻¹ restricted to the
/// pattern, computed by selected inversion on the run's factor
/// (`SparseCholesky.logDeterminantGradient`: Takahashi equations on a simplicial
/// LDLᵀ copy, only the entries of A⁻¹ on L's pattern). A stored entry (i, j)
/// with i > j stands for both A[i, j] and A[j, i], so its gradient is
/// 2·ḡ·(A⁻¹)ᵢⱼ; a diagonal one ḡ·(A⁻¹)ᵢᵢ; one above the diagonal 0 (not read).
/// Saves nothing in the arena (the factor lives in the op, `externalBytes`);
/// the backward rule allocates Z, as many doubles as the factor holds, for its
/// length only (plus, for a simplicial factor, a transient LDLᵀ copy).
/// Cost: one numeric factorization forward; the selected inversion backward,
/// about twice a factorization's flops (measured: 1.2–2.7 × one factorization
/// on the 300² and 1000² grids, `sparse-bench`).
final class LogDeterminant: DifferentiableOperation {
    let pattern: SparsityPattern
    let factor: SparseCholesky
    let name = "logdet"

    init(pattern: SparsityPattern, ordering: CholeskyOrdering, context: CholmodContext) throws(EngineError) {
        self.pattern = pattern
        do {
            factor = try SparseCholesky(pattern: pattern, context: context, ordering: ordering)
        } catch { throw .sparse(op: "logdet", error) }
    }

    func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] {
        guard inputs[0] == [pattern.nonzeroCount] else {
            throw .shapeMismatch(op: name, shapes: [inputs[0], [pattern.nonzeroCount]],
                                 reason: "the values must be a vector of the pattern's \(pattern.nonzeroCount) entries")
        }
        return []
    }

    var externalBytes: Int { factor.factorBytes }
    /// Never recomputed: the backward rules read the factor of this run's
    /// forward pass, which a recomputation would have to rebuild.
    func recomputation(inputShapes: [[Int]], outputShape: [Int]) -> Recomputation { .never }

    func forward(_ f: ForwardArguments) throws(EngineError) {
        do {
            try factor.factorize(values: f.input(0))
            f.output[0] = try factor.logDeterminant()
        } catch let SparseError.notPositiveDefinite(column) {
            throw .notPositiveDefinite(op: name, shape: pattern.shape, column: column)
        } catch { throw .sparse(op: name, error) }
    }

    func derivative(forInput index: Int) -> Derivative {
        .dense(DenseDerivative(reads: []) { [factor, name] (b) throws(EngineError) in
            do throws(SparseError) {
                try factor.logDeterminantGradient(scale: b.upstream[0], into: b.gradient, accumulate: b.accumulate)
            } catch { throw .sparse(op: name, error) }
        })
    }

    /// The gradient is not implemented (see above); what J is: a dense row (every
    /// stored value moves log det A).
    func jacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        .dense(rows: 1, columns: pattern.nonzeroCount)
    }
}
