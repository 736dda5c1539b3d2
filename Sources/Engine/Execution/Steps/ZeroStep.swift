/// Zeros the gradient of a requested input that the output does not depend on.
final class ZeroStep: Step {
    let destination: Int
    let shape: [Int]
    init(destination: Int, shape: [Int]) { self.destination = destination; self.shape = shape }

    var label: String { "zero gradient" }
    var writes: (buffer: Int, shape: [Int], what: String) { (destination, shape, "gradient") }

    func run(_ table: BufferTable, _ state: ExecutionState) {
        table[destination].update(repeating: 0, count: Shape.count(shape))
    }
}
