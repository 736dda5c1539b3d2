import SparseJacobian

/// One step of the schedule: a forward kernel, one backward contribution, a
/// fused region's pass, or a copy.
protocol Step: AnyObject {
    /// What the step does, for errors and reports ("tanh", "∂tanh/∂input 0").
    var label: String { get }
    /// What the step touches; liveness, traffic and in-place pairs follow from it.
    var access: StepAccess { get }
    /// "value" or "gradient": what the buffers it writes hold (for numeric checks).
    var writesKind: String { get }
    func run(_ table: BufferTable, _ state: ExecutionState) throws(EngineError)
    /// Steps with the same key keep their order when a pass reorders the
    /// schedule (the rules of one node, which may share state); nil: none.
    var orderKey: ObjectIdentifier? { get }
    /// The buffers this run of the step writes (checked by `checkNumerics`): its
    /// access's writes, unless it writes less in a forward-only run.
    func writes(forwardOnly: Bool) -> [Int]
    /// The same step on renamed buffers: `renamed(r).access == access.renamed(r)`.
    func renamed(_ r: BufferRenaming) -> any Step
}

extension Step {
    var orderKey: ObjectIdentifier? { nil }
    func writes(forwardOnly: Bool) -> [Int] { access.writes.map(\.buffer) }
}

/// Per-program state shared by the steps of one run.
final class ExecutionState {
    let context: CholmodContext
    /// Whether this run is the forward pass alone (`Program.value`).
    var forwardOnly = false
    /// Scratch for diagonal factors, `DiagonalStep.chunk` doubles per thread, allocated once.
    let diagonalScratch: UnsafeMutablePointer<Double>

    init(context: CholmodContext) {
        self.context = context
        diagonalScratch = .allocate(capacity: DiagonalStep.chunk * ParallelLoop.shared.width)
    }

    deinit { diagonalScratch.deallocate() }
}

/// The buffers a backward rule (or a sparse values filler) was given for the
/// saved values it declared, resolved when the schedule is built. A schedule
/// pass may point an entry at another buffer (a recomputed copy, say).
struct SavedBuffers {
    /// Buffer of each op input, -1 where the derivative did not declare it.
    var inputs: [Int]
    /// Buffer of the op's output, -1 where not declared.
    var output: Int

    init(_ reads: [SavedValue], binding: NodeBinding) {
        inputs = [Int](repeating: -1, count: binding.inputIDs.count)
        output = -1
        for value in reads {
            switch value {
            case let .input(k): inputs[k] = binding.inputIDs[k]
            case .output: output = binding.outputID
            }
        }
    }

    /// The buffer of a declared saved value.
    func id(_ value: SavedValue) -> Int {
        let id: Int
        switch value {
        case let .input(k): id = inputs[k]
        case .output: id = output
        }
        precondition(id >= 0, "a derivative read \(value), which it did not declare in `reads`")
        return id
    }

    /// Every resolved buffer, for the step's access.
    var all: [Int] { inputs.filter { $0 >= 0 } + (output >= 0 ? [output] : []) }
}
