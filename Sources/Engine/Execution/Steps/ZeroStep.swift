/// Zeros the gradient of a requested input that the output does not depend on.
final class ZeroStep: Step {
    let destination: Int
    let count: Int
    init(destination: Int, count: Int) { self.destination = destination; self.count = count }

    var label: String { "zero gradient" }
    var writesKind: String { "gradient" }
    var access: StepAccess { StepAccess(reads: [], writes: destination) }

    func renamed(_ r: BufferRenaming) -> any Step { ZeroStep(destination: r(destination), count: count) }

    func run(_ table: BufferTable, _ state: ExecutionState) {
        table[destination].update(repeating: 0, count: count)
    }
}
