/// g_in (+)= g_out ⊙ d with d computed chunk by chunk into a small scratch, so the
/// diagonal Jacobian is never stored whole. Cost: one pass over g_out, g_in and
/// the saved operands.
final class DiagonalStep: BackwardStep {
    static let chunk = 2048
    let contribution: Contribution
    let derivative: DiagonalDerivative
    let readIDs: [Int]

    init(_ contribution: Contribution, derivative: DiagonalDerivative, readIDs: [Int]) {
        self.contribution = contribution
        self.derivative = derivative
        self.readIDs = readIDs
    }

    func run(_ table: BufferTable, _ state: ExecutionState) {
        let d = state.diagonalScratch, count = contribution.count, accumulate = contribution.accumulate
        var start = 0
        while start < count {
            let n = min(Self.chunk, count - start)
            derivative.factor(DiagonalOperands(table: table, readIDs: readIDs, offset: start), n, d)
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
