/// g_in (+)= g_out ⊙ d with d computed chunk by chunk into a small scratch (one
/// per thread), so the diagonal Jacobian is never stored whole. Cost: one pass
/// over g_out, g_in and the saved operands, split over the cores when large.
final class DiagonalStep: BackwardStep {
    static let chunk = 2048
    let contribution: Contribution
    let factor: DiagonalDerivative.Factor
    /// The saved operands the factor reads, resolved to buffers.
    var readIDs: [Int]

    init(_ contribution: Contribution, factor: @escaping DiagonalDerivative.Factor, readIDs: [Int]) {
        self.contribution = contribution
        self.factor = factor
        self.readIDs = readIDs
    }

    convenience init(_ contribution: Contribution, form: DiagonalDerivative.Form, readIDs: [Int]) {
        self.init(contribution, factor: form.factor, readIDs: readIDs)
    }

    func renamed(_ r: BufferRenaming) -> any Step {
        DiagonalStep(contribution.renamed(r), factor: factor, readIDs: r(readIDs))
    }

    var access: StepAccess {
        StepAccess(reads: [contribution.upstream] + readIDs, writes: contribution.destination,
                   accumulates: contribution.accumulate,
                   mayOverwrite: contribution.accumulate ? nil : contribution.upstream)
    }

    func run(_ table: BufferTable, _ state: ExecutionState) {
        forEachRange(contribution.count) { part, range in
            apply(table, range, scratch: state.diagonalScratch + part * Self.chunk)
        }
    }

    private func apply(_ table: BufferTable, _ range: Range<Int>, scratch d: UnsafeMutablePointer<Double>) {
        let accumulate = contribution.accumulate
        var start = range.lowerBound
        while start < range.upperBound {
            let n = min(Self.chunk, range.upperBound - start)
            factor(DiagonalOperands(table: table, readIDs: readIDs, offset: start), n, d)
            let g = table[contribution.upstream] + start, out = table[contribution.destination] + start
            if accumulate {
                for k in 0..<n { out[k] += g[k] * d[k] }
            } else {
                for k in 0..<n { out[k] = g[k] * d[k] }
            }
            start += n
        }
    }
}
