import SparseJacobian

/// One step of the schedule: a forward kernel or one backward contribution.
protocol Step: AnyObject {
    /// What the step does, for errors and reports ("tanh", "∂tanh/∂input 0").
    var label: String { get }
    /// The buffer it writes and the shape it has (checked when numeric checking is on).
    var writes: (buffer: Int, shape: [Int], what: String) { get }
    func run(_ table: BufferTable, _ state: ExecutionState) throws(EngineError)
}

/// Per-program state shared by the steps of one run.
final class ExecutionState {
    let context: CholmodContext
    /// Scratch for diagonal factors, `DiagonalStep.chunk` doubles per thread, allocated once.
    let diagonalScratch: UnsafeMutablePointer<Double>

    init(context: CholmodContext) {
        self.context = context
        diagonalScratch = .allocate(capacity: DiagonalStep.chunk * ParallelLoop.shared.width)
    }

    deinit { diagonalScratch.deallocate() }
}
