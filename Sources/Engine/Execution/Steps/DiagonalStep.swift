/// g_in (+)= g_out ⊙ d with d computed chunk by chunk into a small scratch, so the
/// diagonal Jacobian is never stored whole. Cost: one pass over g_out, g_in and
/// the saved operands.
final class DiagonalStep: Step {
    static let chunk = 2048
    let label: String
    let derivative: DiagonalDerivative
    let readIDs: [Int]
    let upstream: Int, destination: Int, count: Int, accumulate: Bool
    let shape: [Int]

    init(label: String, derivative: DiagonalDerivative, readIDs: [Int], upstream: Int, destination: Int,
         shape: [Int], accumulate: Bool) {
        self.label = label
        self.derivative = derivative
        self.readIDs = readIDs
        self.upstream = upstream
        self.destination = destination
        self.shape = shape
        self.count = Shape.count(shape)
        self.accumulate = accumulate
    }

    var writes: (buffer: Int, shape: [Int], what: String) { (destination, shape, "gradient") }

    func run(_ table: BufferTable, _ state: ExecutionState) {
        let d = state.diagonalScratch
        var start = 0
        while start < count {
            let n = min(Self.chunk, count - start)
            derivative.factor(DiagonalOperands(table: table, readIDs: readIDs, offset: start), n, d)
            let g = table[upstream] + start, out = table[destination] + start
            if accumulate {
                for k in 0..<n { out[k] += g[k] * d[k] }
            } else {
                for k in 0..<n { out[k] = g[k] * d[k] }
            }
            start += n
        }
    }
}
