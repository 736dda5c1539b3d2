/// Copies one buffer into another of the same count: the baseline schedule's
/// copies of inputs into the arena and of results out of it, and a result that
/// is another result's buffer (an output that is an input, a gradient asked
/// for twice). Cost: one pass.
final class CopyStep: Step {
    let source: Int
    let destination: Int
    let count: Int
    let label: String
    let writesKind: String

    init(from source: Int, to destination: Int, count: Int, label: String, writesKind: String) {
        self.source = source
        self.destination = destination
        self.count = count
        self.label = label
        self.writesKind = writesKind
    }

    var access: StepAccess { StepAccess(reads: [source], writes: destination) }

    func renamed(_ r: BufferRenaming) -> any Step {
        CopyStep(from: r(source), to: r(destination), count: count, label: label, writesKind: writesKind)
    }

    func run(_ table: BufferTable, _ state: ExecutionState) {
        if table[source] != table[destination] { table[destination].update(from: table[source], count: count) }
    }
}
