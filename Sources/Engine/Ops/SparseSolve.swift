import SparseJacobian

/// x = A⁻¹·b for a symmetric positive definite A on a pattern fixed at trace
/// time (analysed once there by CHOLMOD), its values a differentiable input
/// (input 0), and b of shape [n] or [n, k] (input 1, all k columns solved in one
/// call). The analysis uses the given `CholeskyOrdering`. Only the lower
/// triangle of A is read (see `SparseCholesky`): entries above the diagonal
/// must have their mirror stored below (else a typed error when traced), their
/// values are not read and get zero gradient. Each run factorizes the new
/// values and solves.
///
/// Jacobians (dense, applied by rules on the same factor), with the adjoint
/// w = A⁻¹·ḡ (ḡ = ∂L/∂x, n × k):
/// - for b: ∂L/∂b = w;
/// - for the values: ∂L/∂A = −w·xᵀ on the pattern; an off-diagonal stored
///   entry (i, j) stands for both A[i,j] and A[j,i], so its gradient is
///   −Σ_k (w_ik·x_jk + w_jk·x_ik), a diagonal one −Σ_k w_ik·x_ik.
///
/// One adjoint solve serves both gradients (the joint rule). The two rules are
/// two backward steps of the engine, so w is kept where both can reach it: a
/// buffer of n·k doubles owned by the op (outside the arena, allocated by the
/// first backward step and counted in `externalBytes`), tagged with the run it
/// belongs to. Each forward bumps the run number (`forwardRun`), which voids
/// the buffer; the first rule of a backward pass to run (whichever it is, the
/// engine may order them either way) solves into it and tags it with the run
/// and the upstream buffer's address; the other finds the tag and only reads
/// w. So:
/// - both gradients asked: one solve per backward pass;
/// - one gradient asked: its rule solves once, nothing is left to share;
/// - repeated runs: a new forward voids w (new values, new factor), so no run
///   reads another's adjoint; a forward recomputed inside the backward pass
///   (rematerialization) voids it too, costing one more solve, never a wrong one;
/// - concurrency: the buffer is the op's, like its factor, and a program's runs
///   are serialized by its lock; each program traces its own op, so programs
///   running at the same time (even on one shared `CholmodContext`) share
///   neither the factor nor w.
/// A planned scratch buffer would not do: the engine gives scratch to one step
/// and frees it after that step. A single backward step that writes both
/// gradients (a joint derivative in the schedule) would put w in the arena
/// instead; until the engine has that, the op keeps it.
/// Saves the output x (and the factor and w, outside the arena).
/// Cost: one numeric factorization and one solve (k columns, one call) forward;
/// one solve (4·nnz(L)·k flops) plus O(nnz(A)·k) backward for both gradients.
final class SparseSolve: DifferentiableOperation {
    let pattern: SparsityPattern
    let factor: SparseCholesky
    /// The traced b's shape.
    let bShape: [Int]
    let name = "spd solve"
    private let columnIndices: [Int]
    /// w = A⁻¹·ḡ of the run `adjointRun` for the upstream at `adjointUpstream`
    /// (n·k doubles, nil until the first backward step).
    private var adjoint: UnsafeMutablePointer<Double>?
    /// Incremented by every forward: the run the factor and x belong to.
    private var forwardRun = 0
    private var adjointRun = -1
    private var adjointUpstream: UnsafePointer<Double>?

    init(pattern: SparsityPattern, bShape: [Int], ordering: CholeskyOrdering,
         context: CholmodContext) throws(EngineError) {
        self.pattern = pattern
        self.bShape = bShape
        do {
            factor = try SparseCholesky(pattern: pattern, context: context, ordering: ordering)
        } catch { throw .sparse(op: "spd solve", error) }
        columnIndices = pattern.columnIndices
    }

    deinit { CheckedAllocation.deallocate(adjoint) }

    private var rightHandSides: Int { bShape.count == 2 ? bShape[1] : 1 }
    private var adjointCount: Int { pattern.rows * rightHandSides }

    func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] {
        guard inputs[0] == [pattern.nonzeroCount] else {
            throw .shapeMismatch(op: name, shapes: [inputs[0], [pattern.nonzeroCount]],
                                 reason: "the values must be a vector of the pattern's \(pattern.nonzeroCount) entries")
        }
        guard (inputs[1].count == 1 || inputs[1].count == 2), inputs[1][0] == pattern.rows else {
            throw .shapeMismatch(op: name, shapes: [pattern.shape, inputs[1]], reason: "b needs \(pattern.rows) rows")
        }
        return inputs[1]
    }

    /// The factor, and the adjoint buffer that backward passes use.
    var externalBytes: Int { factor.factorBytes + adjointCount * MemoryLayout<Double>.stride }
    /// Never recomputed: the backward rules read the factor (and the adjoint)
    /// of this run's forward pass, which a recomputation would have to rebuild.
    func recomputation(inputShapes: [[Int]], outputShape: [Int]) -> Recomputation { .never }

    func forward(_ f: ForwardArguments) throws(EngineError) {
        forwardRun &+= 1
        do {
            try factor.factorize(values: f.input(0))
            try factor.solve(f.input(1), columns: rightHandSides, into: f.output)
        } catch let SparseError.notPositiveDefinite(column) {
            throw .notPositiveDefinite(op: name, shape: pattern.shape, column: column)
        } catch { throw .sparse(op: name, error) }
    }

    func derivative(forInput index: Int) -> Derivative {
        let count = adjointCount
        if index == 1 {
            return .dense(DenseDerivative(reads: []) { [self] (b) throws(EngineError) in
                let w = try sharedAdjoint(of: b.upstream), out = b.gradient
                if b.accumulate { for k in 0..<count { out[k] += w[k] } } else { out.update(from: w, count: count) }
            })
        }
        return .dense(DenseDerivative(reads: [.output]) { [self] (b) throws(EngineError) in
            let w = try sharedAdjoint(of: b.upstream), x = b.saved(.output), out = b.gradient
            let n = pattern.rows
            for p in 0..<pattern.nonzeroCount {
                let i = pattern.rowIndices[p], j = columnIndices[p]
                var sum = 0.0
                if i > j {
                    for k in 0..<rightHandSides { sum += w[i + k * n] * x[j + k * n] + w[j + k * n] * x[i + k * n] }
                } else if i == j {
                    for k in 0..<rightHandSides { sum += w[i + k * n] * x[i + k * n] }
                }
                if b.accumulate { out[p] -= sum } else { out[p] = -sum }
            }
        })
    }

    /// For b with k columns: I_k ⊗ A⁻¹, A⁻¹ taken as dense (its pattern is the
    /// fill of the factor's closure, dense in general). For the values: dense.
    func jacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        if index == 1 { return .kronecker(KroneckerBlocks(outer: rightHandSides, denseRows: pattern.rows, columns: pattern.rows)) }
        return .dense(rows: Shape.count(outputShape), columns: pattern.nonzeroCount)
    }

    /// w = A⁻¹·ḡ for this run's factor: solved by the first rule of the backward
    /// pass that asks, read by the second (see the type's comment).
    private func sharedAdjoint(of upstream: UnsafePointer<Double>) throws(EngineError) -> UnsafePointer<Double> {
        let w: UnsafeMutablePointer<Double>
        if let adjoint {
            w = adjoint
            if adjointRun == forwardRun, adjointUpstream == upstream { return UnsafePointer(w) }
        } else {
            w = try CheckedAllocation.allocateDoubles(adjointCount)
            adjoint = w
        }
        adjointRun = -1
        do { try factor.solve(upstream, columns: rightHandSides, into: w) } catch { throw .sparse(op: name, error) }
        adjointRun = forwardRun
        adjointUpstream = upstream
        return UnsafePointer(w)
    }
}
