import DistributedEngine
import Engine
import Foundation
import SparseJacobian

/// W4's model with independent systems split across ranks: A = Lap + diag(e^θ)
/// shared by all, right-hand sides B and targets T of K columns, each rank
/// solving its columns; loss Σ ‖A⁻¹B − T‖². The gradient of the shared θ is
/// summed over the ranks (CHOLMOD's factorization and solves on every rank).
struct SharedSolve {
    let side = 9
    let columns = 7
    var n: Int { side * side }

    /// Program over the columns `share`: inputs θ, B_share, T_share; gradient for θ.
    func program(columns share: Range<Int>) throws -> Program {
        let laplacian = try SparseMatrix.gridLaplacian(side: side)
        let pattern = laplacian.pattern
        let diagonal = (0..<n).map { pattern.position(row: $0, column: $0)! }
        let n = n
        return try Program(inputShapes: [[n], [n, share.count], [n, share.count]], gradientsFor: [0]) { v in
            let values = v[0].tracer.constant(TensorValue(laplacian.values))
                + exp(v[0]).scatteringRows(into: pattern.nonzeroCount, at: diagonal)
            return square(solve(pattern, values: values, v[1]) - v[2]).sum()
        }
    }

    /// θ, and columns `share` of B and T (column-major: each column contiguous).
    func inputs(columns share: Range<Int>) -> [TensorValue] {
        let theta = TensorValue((0..<n).map { 0.3 * sin(0.7 * Double($0)) - 1 })
        func block(_ phase: Double) -> TensorValue {
            try! TensorValue(shape: [n, share.count], scalars: share.flatMap { j in
                (0..<n).map { i in sin(0.13 * Double(i + n * j) + phase) }
            })
        }
        return [theta, block(0.2), block(1.1)]
    }

    func share(rank: Int, of ranks: Int) -> Range<Int> {
        let base = columns / ranks, extra = columns % ranks
        let start = rank * base + min(rank, extra)
        return start..<(start + base + (rank < extra ? 1 : 0))
    }
}

/// θ's gradient summed over the ranks equals one process solving all columns.
func checkSharedSolve(_ world: Communicator, _ reduction: DataParallelProgram.Reduction) throws {
    let model = SharedSolve()
    let all = 0..<model.columns
    let reference = try model.program(columns: all).run(model.inputs(columns: all))
    let mine = model.share(rank: world.rank, of: world.size)
    let runner = try DataParallelProgram(communicator: world, reduction: reduction) { try model.program(columns: mine) }
    var result = runner.makeResult()
    let objective = try runner.run(model.inputs(columns: mine), into: &result)
    let error = relativeError(result.gradients, reference.gradients)
    try expect(error <= 1e-13, "θ's gradient differs from one process by \(error) relative to Σ|g|")
    try expect(abs(objective - reference.value.scalar) <= 1e-13 * reference.value.scalar,
               "objective \(objective) against \(reference.value.scalar)")
}
