/// One buffer of the forward or backward pass: how many doubles, which step
/// writes it first and which reads it last.
struct BufferSpec {
    enum Role: String {
        case input, constant, value, seed, gradient, scratch, jacobianValues
    }

    let role: Role
    /// The node it belongs to (for names and errors).
    let node: Int
    let elements: Int
    /// Lives for the whole run: inputs, constants, the output, the seed, requested gradients.
    var pinned: Bool
    var firstStep = Int.max
    var lastStep = -1

    var bytes: Int { elements * MemoryLayout<Double>.stride }

    mutating func written(at step: Int) {
        firstStep = min(firstStep, step)
        lastStep = max(lastStep, step)
    }

    mutating func read(at step: Int) { lastStep = max(lastStep, step) }
}
