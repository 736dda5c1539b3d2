/// PROTOTYPE of the hook a data-parallel runner needs (issue 14): a run that
/// calls `gradientReady(k, g)` as soon as the backward pass has finished writing
/// gradient `k`, while the rest of the backward pass still runs, so that the
/// gradient's all-reduce can start then and overlap the remaining steps.
///
/// It wraps a `Program` without touching its executor: it copies the program's
/// schedule, inserts after the last step that writes each requested gradient a
/// step that calls the hook, and runs that schedule in an arena of its own laid
/// out by the program's plan (the inserted steps touch only pinned gradient
/// buffers, which live for the whole run, so the plan's offsets stay valid).
/// The cost of being a prototype outside the executor: a second arena of
/// `program.memoryPlan.arenaSize` bytes. Built into `Executor.run`, the same hook
/// is a lookup `readyAfter[step]` per step and no memory at all.
public final class GradientReadyProgram {
    public let program: Program
    /// For each requested gradient (request order), the index of the last step
    /// of the schedule that writes it: after that step it is final.
    public let finalStep: [Int]
    /// Requested gradients in the order they become final during a run.
    public let readinessOrder: [Int]
    private let executor: Executor
    private let notifier = ReadyNotifier()

    public init(_ program: Program) {
        self.program = program
        let schedule = program.schedule
        let finals = program.gradientFinalSteps
        self.finalStep = finals
        self.readinessOrder = finals.indices.sorted { (finals[$0], $0) < (finals[$1], $1) }
        var hooked = schedule
        // Insert from the back so that earlier indices stay valid.
        for k in readinessOrder.reversed() {
            let buffer = schedule.gradientBuffers[k]
            hooked.steps.insert(ReadyStep(gradient: k, buffer: buffer, shape: program.inputShapes[program.gradientInputs[k]],
                                          notifier: notifier), at: finals[k] + 1)
            hooked.traffic.insert(0, at: finals[k] + 1)
        }
        executor = Executor(schedule: hooked, context: program.context, checkNumerics: program.options.checkNumerics,
                            arenaBytes: program.memoryPlan.arenaSize, offsets: program.memoryPlan.offsets)
    }

    /// `program.run(inputs, seed:, into:)`, calling `gradientReady(k, g)` right
    /// after the last step that writes gradient `k`; `g` stays valid and unchanged
    /// until this call returns (it is copied into `result` at the end).
    public func run(_ inputs: [TensorValue], seed: TensorValue? = nil, into result: inout ProgramResult,
                    gradientReady: (Int, UnsafeBufferPointer<Double>) -> Void) throws {
        let schedule = program.schedule
        guard inputs.count == program.inputShapes.count else {
            throw EngineError.inputCount(expected: program.inputShapes.count, actual: inputs.count)
        }
        if let bad = inputs.indices.first(where: { inputs[$0].shape != program.inputShapes[$0] }) {
            throw EngineError.inputMismatch(index: bad, expected: program.inputShapes[bad], actual: inputs[bad].shape)
        }
        let ones = seed == nil ? TensorValue(repeating: 1, shape: program.outputShape) : nil
        guard let seedValue = seed ?? ones, seedValue.shape == program.outputShape,
              seed != nil || Shape.count(program.outputShape) == 1 else {
            throw EngineError.seedMismatch(outputShape: program.outputShape, seedShape: seed?.shape)
        }
        try withoutActuallyEscaping(gradientReady) { hook in
            notifier.hook = hook
            defer { notifier.hook = nil }
            try executor.run(forwardOnly: false, write: { table in
                for (k, input) in inputs.enumerated() { Self.copy(input.scalars, to: table[schedule.inputBuffers[k]]) }
                Self.copy(seedValue.scalars, to: table[schedule.seedBuffer])
            }, read: { table in
                let count = Shape.count(program.outputShape)
                result.withUnsafeMutableValue { $0.baseAddress!.update(from: table[schedule.outputBuffer], count: count) }
                for (k, buffer) in schedule.gradientBuffers.enumerated() {
                    result.withUnsafeMutableGradient(k) { $0.baseAddress?.update(from: table[buffer], count: $0.count) }
                }
            })
        }
    }

    private static func copy(_ scalars: [Double], to buffer: UnsafeMutablePointer<Double>) {
        scalars.withUnsafeBufferPointer { if let base = $0.baseAddress { buffer.update(from: base, count: $0.count) } }
    }
}

/// The hook of the current run, shared by the inserted steps.
private final class ReadyNotifier {
    var hook: ((Int, UnsafeBufferPointer<Double>) -> Void)?
}

/// Calls the hook for gradient `gradient`, whose last writer just ran.
private final class ReadyStep: Step {
    let gradient: Int
    let buffer: Int
    let shape: [Int]
    let notifier: ReadyNotifier
    var label: String { "gradient \(gradient) ready" }
    var writes: (buffer: Int, shape: [Int], what: String) { (buffer, shape, "gradient") }

    init(gradient: Int, buffer: Int, shape: [Int], notifier: ReadyNotifier) {
        self.gradient = gradient
        self.buffer = buffer
        self.shape = shape
        self.notifier = notifier
    }

    func run(_ table: BufferTable, _ state: ExecutionState) throws(EngineError) {
        notifier.hook?(gradient, UnsafeBufferPointer(start: table[buffer], count: Shape.count(shape)))
    }
}
