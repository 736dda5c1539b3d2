import MemoryPlanner
import SparseJacobian

/// Where a program keeps its buffers.
public enum MemoryStrategy: String, Sendable, CaseIterable {
    /// One arena laid out by the planner, allocated once; runs allocate nothing.
    case planned
    /// Each buffer allocated before its first write and freed after its last
    /// read: the baseline the plan is measured against.
    case eager
}

/// Options of a compiled program.
public struct ProgramOptions: Sendable {
    /// Check every value and gradient for NaN and infinity after the step that
    /// writes it, and throw `EngineError.nonFinite` naming the op. Costs one pass
    /// over each written buffer.
    public var checkNumerics: Bool
    /// Where buffers live (default: the planned arena).
    public var memory: MemoryStrategy
    /// The most arena bytes the program may plan; building a program whose plan
    /// needs more throws `EngineError.memoryBudgetExceeded` before anything runs.
    public var memoryBudget: Int?
    /// Every memory optimization of the schedule on (the default); false builds
    /// the unoptimized schedule, the baseline the report compares against.
    public var optimizeMemory: Bool

    public init(checkNumerics: Bool = false, memory: MemoryStrategy = .planned, memoryBudget: Int? = nil,
                optimizeMemory: Bool = true) {
        self.checkNumerics = checkNumerics
        self.memory = memory
        self.memoryBudget = memoryBudget
        self.optimizeMemory = optimizeMemory
    }
}

/// What a run returns: the output and the gradients asked for.
public struct ProgramResult: Equatable, Sendable {
    public internal(set) var value: TensorValue
    /// ∂(seed·output)/∂input for each requested input, in request order.
    public internal(set) var gradients: [TensorValue]
}

/// A traced, differentiated function, ready to run on new inputs any number of times.
///
/// ```swift
/// let program = try Program(inputShapes: [[], [], []], gradientsFor: [0, 1, 2]) { v in
///     (v[0] + v[1]) * v[2]
/// }
/// let result = try program.run([TensorValue(-2), TensorValue(5), TensorValue(-4)])
/// // result.value.scalar == -12, result.gradients.map(\.scalar) == [-4, -4, 3]
/// ```
///
/// Tracing runs `body` once on symbolic tensors; shapes and sparsity patterns are
/// fixed then, and CHOLMOD analyses the matrices to factorize. Compiling builds
/// the forward and backward schedule and plans its memory; every run only
/// executes it, in an arena allocated once.
///
/// A program runs one call at a time (its arena and CHOLMOD context are its
/// own); use one program per thread to run in parallel.
public final class Program {
    public let inputShapes: [[Int]]
    public let outputShape: [Int]
    /// Inputs whose gradients each run returns.
    public let gradientInputs: [Int]
    public let options: ProgramOptions
    let graph: Graph
    let schedule: Schedule
    let context: CholmodContext
    /// The memory plan of the forward and backward pass: offsets, arena size and
    /// statistics against the lower bound, the eager and the naive strategies.
    public let memoryPlan: Plan
    /// Bytes the steps of one forward and backward run read and write (each
    /// buffer a step touches counted once per step), for bandwidth figures;
    /// copying inputs in and results out is not included.
    public let bytesMovedPerRun: Int
    private let executor: Executor

    /// Traces `body` on symbolic inputs of these shapes and differentiates its
    /// output with respect to the inputs listed in `gradientsFor`.
    public init(inputShapes: [[Int]], gradientsFor: [Int] = [], options: ProgramOptions = .init(),
                context: CholmodContext = CholmodContext(), _ body: ([Tensor]) throws -> Tensor) throws {
        for index in gradientsFor where !(0..<inputShapes.count).contains(index) {
            throw EngineError.invalidGradientRequest(input: index, inputCount: inputShapes.count)
        }
        for shape in inputShapes where shape.contains(where: { $0 < 0 }) {
            throw EngineError.invalidArgument(op: "input", shape: shape, reason: "negative dimension")
        }
        let tracer = Tracer(context: context)
        let inputs = inputShapes.map { tracer.input(shape: $0) }
        let output = try body(inputs)
        precondition(output.tracer === tracer, "the function returned a tensor of another trace")
        if let error = tracer.firstError { throw error }
        var builder = ScheduleBuilder(graph: tracer.graph, output: output.id, inputCount: inputShapes.count,
                                      gradientInputs: gradientsFor)
        self.schedule = try builder.build()
        self.inputShapes = inputShapes
        self.outputShape = output.shape
        self.gradientInputs = gradientsFor
        self.options = options
        self.graph = tracer.graph
        self.context = context
        let plan = schedule.plan()
        if let budget = options.memoryBudget, plan.arenaSize > budget {
            throw EngineError.memoryBudgetExceeded(required: plan.arenaSize, allowed: budget)
        }
        self.memoryPlan = plan
        self.bytesMovedPerRun = schedule.traffic.reduce(0, +)
        let planned = options.memory == .planned
        self.executor = Executor(schedule: schedule, context: context, checkNumerics: options.checkNumerics,
                                 arenaBytes: planned ? plan.arenaSize : nil, offsets: planned ? plan.offsets : nil)
    }

    /// Runs forward and backward. A scalar output is seeded with 1; any other
    /// output needs `seed`, the upstream gradient of the vector-Jacobian product.
    public func run(_ inputs: [TensorValue], seed: TensorValue? = nil) throws -> ProgramResult {
        var result = makeResult()
        try run(inputs, seed: seed, into: &result)
        return result
    }

    /// Runs forward and backward into an existing result (from an earlier run or
    /// `makeResult()`), reusing its storage: with the planned arena this run
    /// allocates nothing.
    public func run(_ inputs: [TensorValue], seed: TensorValue? = nil, into result: inout ProgramResult) throws {
        try checkInputs(inputs)
        if let seed {
            guard seed.shape == outputShape else { throw EngineError.seedMismatch(outputShape: outputShape, seedShape: seed.shape) }
        } else if !gradientInputs.isEmpty, Shape.count(outputShape) != 1 {
            throw EngineError.seedMismatch(outputShape: outputShape, seedShape: nil)
        }
        precondition(result.value.shape == outputShape && result.gradients.count == gradientInputs.count,
                     "the result was not made by this program")
        try executor.run(forwardOnly: gradientInputs.isEmpty, write: { table in
            write(inputs, into: table)
            guard schedule.seedBuffer >= 0 else { return }
            if let seed {
                seed.scalars.withUnsafeBufferPointer { table[schedule.seedBuffer].update(from: $0.baseAddress!, count: $0.count) }
            } else {
                table[schedule.seedBuffer].update(repeating: 1, count: Shape.count(outputShape))
            }
        }, read: { table in
            Self.copy(table[schedule.outputBuffer], into: &result.value)
            for (k, buffer) in schedule.gradientBuffers.enumerated() { Self.copy(table[buffer], into: &result.gradients[k]) }
        })
    }

    /// Number of steps of one forward and backward run.
    public var stepCount: Int { schedule.steps.count }

    /// A zero result of the right shapes, for `run(_:seed:into:)`.
    public func makeResult() -> ProgramResult {
        ProgramResult(value: TensorValue(repeating: 0, shape: outputShape),
                      gradients: gradientInputs.map { TensorValue(repeating: 0, shape: inputShapes[$0]) })
    }

    /// Runs the forward pass alone and returns the output.
    public func value(_ inputs: [TensorValue]) throws -> TensorValue {
        try checkInputs(inputs)
        var value = TensorValue(repeating: 0, shape: outputShape)
        try executor.run(forwardOnly: true, write: { write(inputs, into: $0) }, read: { table in
            Self.copy(table[schedule.outputBuffer], into: &value)
        })
        return value
    }

    /// Copies a buffer's elements into a tensor of the same count, in place.
    private static func copy(_ buffer: UnsafePointer<Double>, into tensor: inout TensorValue) {
        tensor.scalars.withUnsafeMutableBufferPointer { $0.baseAddress?.update(from: buffer, count: $0.count) }
    }

    private func write(_ inputs: [TensorValue], into table: BufferTable) {
        for (k, input) in inputs.enumerated() where !input.scalars.isEmpty {
            input.scalars.withUnsafeBufferPointer { table[schedule.inputBuffers[k]].update(from: $0.baseAddress!, count: $0.count) }
        }
    }

    private func checkInputs(_ inputs: [TensorValue]) throws(EngineError) {
        guard inputs.count == inputShapes.count else { throw .inputCount(expected: inputShapes.count, actual: inputs.count) }
        for (k, input) in inputs.enumerated() where input.shape != inputShapes[k] {
            throw .inputMismatch(index: k, expected: inputShapes[k], actual: input.shape)
        }
    }

}
