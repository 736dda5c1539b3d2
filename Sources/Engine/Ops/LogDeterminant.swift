import SparseJacobian

/// log det A for a symmetric positive definite A on a pattern fixed at trace time
/// (analysed once there), values as input 0; lower triangle read. Each run
/// factorizes and sums 2·log L_jj.
///
/// Jacobian: dense (A⁻¹ restricted to the pattern, a selected inversion), not
/// implemented yet: asking for the gradient of the values throws
/// `EngineError.notDifferentiable`. Saves nothing. Cost: one numeric factorization.
final class LogDeterminant: Operation {
    let pattern: SparsityPattern
    let factor: SparseCholesky
    let name = "logdet"

    init(pattern: SparsityPattern, context: CholmodContext) throws(EngineError) {
        self.pattern = pattern
        do { factor = try SparseCholesky(pattern: pattern, context: context) } catch { throw .sparse(op: "logdet", error) }
    }

    func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] {
        guard inputs[0] == [pattern.nonzeroCount] else {
            throw .shapeMismatch(op: name, shapes: [inputs[0], [pattern.nonzeroCount]],
                                 reason: "the values must be a vector of the pattern's \(pattern.nonzeroCount) entries")
        }
        return []
    }

    var externalBytes: Int { factor.factorBytes }

    func forward(_ f: ForwardArguments) throws(EngineError) {
        do {
            try factor.factorize(values: f.input(0))
            f.output[0] = try factor.logDeterminant()
        } catch let SparseError.notPositiveDefinite(column) {
            throw .notPositiveDefinite(op: name, shape: pattern.shape, column: column)
        } catch { throw .sparse(op: name, error) }
    }

    func derivative(forInput index: Int) -> Derivative {
        .notDifferentiable(reason: "the gradient of logdet (A⁻¹ on the pattern, by selected inversion) is not implemented yet")
    }
}

/// The gradient is not implemented (see above); what J is: a dense row (every
/// stored value moves log det A).
extension LogDeterminant: JacobianStructureDeclaring {
    func declaredJacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        .dense(rows: 1, columns: pattern.nonzeroCount)
    }
}
