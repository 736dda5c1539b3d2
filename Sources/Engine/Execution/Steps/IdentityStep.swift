/// g_in = g_out or g_in += g_out.
final class IdentityStep: Step {
    let label: String
    let upstream: Int, destination: Int, count: Int, accumulate: Bool
    let shape: [Int]
    init(label: String, upstream: Int, destination: Int, shape: [Int], accumulate: Bool) {
        self.label = label
        self.upstream = upstream
        self.destination = destination
        self.shape = shape
        self.count = Shape.count(shape)
        self.accumulate = accumulate
    }

    var writes: (buffer: Int, shape: [Int], what: String) { (destination, shape, "gradient") }

    func run(_ table: BufferTable, _ state: ExecutionState) {
        let g = table[upstream], out = table[destination]
        if accumulate {
            for k in 0..<count { out[k] += g[k] }
        } else if g != out {
            out.update(from: g, count: count)
        }
    }
}
