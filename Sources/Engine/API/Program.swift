import Foundation
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
    /// Check the inputs, and every value and gradient after the step that writes
    /// it, for NaN and infinity, and throw `EngineError.nonFinite` naming the op
    /// (or the input). Costs one pass over each buffer.
    public var checkNumerics: Bool
    /// Where buffers live (default: the planned arena).
    public var memory: MemoryStrategy
    /// What the backward pass keeps and what it recomputes (default
    /// `.automatic`); `.budget(bytes:)` fits the arena in a budget.
    public var savePolicy: SavePolicy
    /// The budget of a `.budget` policy, nil for the others. Building a program
    /// that cannot fit even with `.minimumMemory` throws
    /// `EngineError.memoryBudgetExceeded` naming the smallest reachable arena.
    public var memoryBudget: Int? { savePolicy.budgetBytes }
    /// Keep less (default): inputs read and results written in the caller's
    /// tensors (the arena holds intermediates only), saved values chosen by
    /// liveness, elementwise regions fused and recomputed chunk by chunk in the
    /// backward pass. `false` builds the schedule without any of these (every
    /// input, the output and every gradient copied through the arena, each op's
    /// preferred saved values, one step per op): the baseline the report and
    /// the tests compare against. The baseline recomputes nothing and runs its
    /// steps in traced order whatever `savePolicy` says; a budget is checked.
    public var optimizeMemory: Bool

    /// Options; `savePolicy: try .budget(bytes: n)` fits the arena in n bytes.
    public init(checkNumerics: Bool = false, memory: MemoryStrategy = .planned,
                optimizeMemory: Bool = true, savePolicy: SavePolicy = .automatic) {
        self.checkNumerics = checkNumerics
        self.memory = memory
        self.savePolicy = savePolicy
        self.optimizeMemory = optimizeMemory
    }

    /// Options with a memory budget of `memoryBudget` bytes (the policy
    /// `.budget(bytes:)`); a negative budget throws `EngineError.invalidArgument`.
    public init(checkNumerics: Bool = false, memory: MemoryStrategy = .planned, memoryBudget: Int,
                optimizeMemory: Bool = true) throws(EngineError) {
        self.init(checkNumerics: checkNumerics, memory: memory, optimizeMemory: optimizeMemory,
                  savePolicy: try .budget(bytes: memoryBudget))
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
/// Building a program is a pipeline: trace `body` once on symbolic tensors
/// (shapes and sparsity patterns are fixed then, and CHOLMOD analyses the
/// matrices to factorize); graph passes (`ElementwiseFusion`); differentiate
/// and schedule (`ScheduleBuilder`, with `SavedValueChoice` choosing what the
/// backward pass keeps); plan the arena (`MemoryPlanner`); execute. Every run
/// only executes, in an arena allocated once, reading the inputs from the
/// caller's tensors and writing the output and gradients into the result's.
///
/// Runs of one program are serialized by a lock (its arena and CHOLMOD context
/// are its own), so a program may be shared between threads; to run in
/// parallel, use one program per thread.
public final class Program: @unchecked Sendable {
    public let inputShapes: [[Int]]
    public let outputShape: [Int]
    /// Inputs whose gradients each run returns.
    public let gradientInputs: [Int]
    public let options: ProgramOptions
    /// The graph after the graph passes (what the schedule was built from).
    let graph: Graph
    /// The graph as traced, and its output node (what Jacobian patterns are composed over).
    let tracedGraph: Graph
    let tracedOutput: Int
    let schedule: Schedule
    let context: CholmodContext
    /// The memory plan of the forward and backward pass: offsets, arena size and
    /// statistics against the lower bound, the eager and the naive strategies.
    /// It places the arena's buffers only: the caller's tensors are not in it.
    public let memoryPlan: Plan
    /// What the backward pass keeps and recomputes, each value with its bytes and
    /// recompute cost, and the lower bound before and after the memory-aware order.
    public let memoryChoices: MemoryChoices
    /// Schedule buffer id of each of `memoryPlan`'s buffers.
    let plannedBufferIDs: [Int]
    /// Bytes the steps of one forward and backward run read and write (each
    /// buffer a step touches counted once per step), for bandwidth figures;
    /// `Int.max` when the count overflows.
    public let bytesMovedPerRun: Int
    private let executor: Executor
    private let lock = NSLock()
    /// The seed of a scalar output when the caller gives none.
    private let unitSeedCell = UnitSeed()
    private var unitSeed: UnsafeMutablePointer<Double> { unitSeedCell.pointer }
    private let inputSlots: [Int?]
    private let gradientSlots: [Int]

    /// Traces `body` on symbolic inputs of these shapes and differentiates its
    /// output with respect to the inputs listed in `gradientsFor`.
    public init(inputShapes: [[Int]], gradientsFor: [Int] = [], options: ProgramOptions = .init(),
                context: CholmodContext = CholmodContext(), _ body: ([Tensor]) throws -> Tensor) throws {
        for index in gradientsFor where !(0..<inputShapes.count).contains(index) {
            throw EngineError.invalidGradientRequest(input: index, inputCount: inputShapes.count)
        }
        try Shape.validateInputs(inputShapes)
        // Trace.
        let tracer = Tracer(context: context)
        let inputs = inputShapes.map { tracer.input(shape: $0) }
        let traced = try body(inputs)
        guard traced.tracer === tracer else { throw EngineError.mixedTraces(op: "the function's result") }
        if let error = tracer.firstError { throw error }
        // Graph passes.
        var graph = tracer.graph, output = traced.id
        if options.optimizeMemory { (graph, output) = ElementwiseFusion().run(graph, output: output) }
        // Differentiate and schedule.
        let path = GradientPath(graph: graph, output: output, gradientInputs: gradientsFor)
        var builder = ScheduleBuilder(graph: graph, output: output, inputCount: inputShapes.count,
                                      gradientInputs: gradientsFor, inPlaceExternals: options.optimizeMemory,
                                      choice: options.optimizeMemory ? SavedValueChoice(graph: graph, path: path) : nil)
        var schedule = try builder.build()
        if options.optimizeMemory { schedule = RegionOnePass().run(schedule) }
        // Schedule passes: memory-aware order, recomputation chosen by the planner.
        let ordered = options.optimizeMemory ? try MemoryAwareOrder().run(schedule) : nil
        if let ordered { schedule = ordered.schedule }
        let remat = try Rematerialization(schedule).run(options.optimizeMemory ? options.savePolicy : .saveEverything)
        schedule = remat.schedule
        if options.optimizeMemory && !remat.recomputed.isEmpty { schedule = try MemoryAwareOrder().run(schedule).schedule }
        // Plan.
        let (plan, plannedIDs) = try schedule.plan()
        if let budget = options.memoryBudget, plan.arenaSize > budget {
            throw EngineError.memoryBudgetExceeded(required: plan.arenaSize, allowed: budget)
        }
        let unordered = try ordered?.before ?? ScheduleDraft(remat.source).score()
        self.memoryChoices = MemoryChoices(policy: options.optimizeMemory ? options.savePolicy : .saveEverything,
                                           outcome: remat, before: unordered, after: ordered?.after ?? unordered)
        self.schedule = schedule
        self.inputShapes = inputShapes
        self.outputShape = traced.shape
        self.gradientInputs = gradientsFor
        self.options = options
        self.graph = graph
        self.tracedGraph = tracer.graph
        self.tracedOutput = traced.id
        self.context = context
        self.memoryPlan = plan
        self.plannedBufferIDs = plannedIDs
        self.bytesMovedPerRun = schedule.liveness().traffic.reduce(0) { $0.addingClamped($1) }
        self.inputSlots = inputShapes.indices.map { schedule.externalBuffers[.input($0)] }
        self.gradientSlots = gradientsFor.indices.map { schedule.externalBuffers[.gradient($0)]! }
        let planned = options.memory == .planned
        let offsets = Dictionary(uniqueKeysWithValues: zip(plannedIDs, plan.offsets))
        self.executor = try Executor(schedule: schedule, context: context, checkNumerics: options.checkNumerics,
                                 arenaBytes: planned ? plan.arenaSize : nil, offsets: planned ? offsets : nil)
    }


    /// Runs forward and backward. A scalar output is seeded with 1; any other
    /// output needs `seed`, the upstream gradient of the vector-Jacobian product.
    public func run(_ inputs: [TensorValue], seed: TensorValue? = nil) throws -> ProgramResult {
        var result = makeResult()
        try run(inputs, seed: seed, into: &result)
        return result
    }

    /// Runs forward and backward into an existing result (from an earlier run or
    /// `makeResult()`), writing the output and the gradients straight into its
    /// storage: with the planned arena this run allocates nothing. Every tensor
    /// handed in is checked (shape and count) before any step runs.
    public func run(_ inputs: [TensorValue], seed: TensorValue? = nil, into result: inout ProgramResult) throws {
        try run(inputs, seed: seed, into: &result, hook: nil)
    }

    /// `run(_:seed:into:)`, calling `gradientReady(k, g)` right after the last step
    /// that writes requested gradient k (its storage in `result`), while the rest
    /// of the backward pass is still to run: a data-parallel runner starts the
    /// gradient's reduction then. Called on this thread, in request order for
    /// gradients finished by the same step; `g` is valid and unchanged until this
    /// call returns. If a step throws, gradients not yet final are not reported.
    public func run(_ inputs: [TensorValue], seed: TensorValue? = nil, into result: inout ProgramResult,
                    gradientReady: (Int, UnsafeBufferPointer<Double>) -> Void) throws {
        try withoutActuallyEscaping(gradientReady) { hook in
            try run(inputs, seed: seed, into: &result) { [executor, gradientSlots, inputShapes, gradientInputs] k in
                hook(k, UnsafeBufferPointer(start: executor.table[gradientSlots[k]],
                                            count: Shape.count(inputShapes[gradientInputs[k]])))
            }
        }
    }

    /// Runs forward and backward with the gradients written straight into
    /// caller-owned storage, one buffer per requested gradient (request order),
    /// each exactly that input's element count, none overlapping another: a
    /// data-parallel runner passes slices of its contiguous bucket storage, so
    /// no gradient is copied before it is reduced. The output goes to `value`
    /// (its shape checked). `gradientReady(k)` is called right after the last
    /// step that writes gradient k. A wrong count or an overlap is
    /// `EngineError.resultMismatch` / `.invalidArgument` before any step runs.
    public func run(_ inputs: [TensorValue], seed: TensorValue? = nil, value: inout TensorValue,
                    gradientStorage: [UnsafeMutableBufferPointer<Double>], gradientReady: (Int) -> Void) throws {
        try withoutActuallyEscaping(gradientReady) { hook in
            try run(inputs, seed: seed, value: &value, gradientStorage: gradientStorage, hook: hook)
        }
    }

    /// `run(_:seed:value:gradientStorage:gradientReady:)` without the hook.
    public func run(_ inputs: [TensorValue], seed: TensorValue? = nil, value: inout TensorValue,
                    gradientStorage: [UnsafeMutableBufferPointer<Double>]) throws {
        try run(inputs, seed: seed, value: &value, gradientStorage: gradientStorage, hook: nil)
    }

    private func run(_ inputs: [TensorValue], seed: TensorValue?, value: inout TensorValue,
                     gradientStorage: [UnsafeMutableBufferPointer<Double>], hook: ((Int) -> Void)?) throws {
        guard gradientStorage.count == gradientInputs.count else {
            throw EngineError.resultMismatch(what: "gradient storage", expected: [gradientInputs.count],
                                             actual: [gradientStorage.count], count: gradientStorage.count)
        }
        for (k, input) in gradientInputs.enumerated() where gradientStorage[k].count != Shape.count(inputShapes[input]) {
            throw EngineError.resultMismatch(what: "gradient storage \(k)", expected: inputShapes[input],
                                             actual: [gradientStorage[k].count], count: gradientStorage[k].count)
        }
        let spans = gradientStorage.enumerated().compactMap { k, g in g.baseAddress.map { (k, $0, $0 + g.count) } }
            .filter { $0.1 != $0.2 }.sorted { $0.1 < $1.1 }
        for (a, b) in zip(spans, spans.dropFirst()) where b.1 < a.2 {
            throw EngineError.invalidArgument(op: "run", shape: [],
                                              reason: "gradient storages \(a.0) and \(b.0) overlap")
        }
        try execute(inputs, seed: seed, value: &value, hook: hook) { body in
            for (k, id) in gradientSlots.enumerated() {
                if let base = gradientStorage[k].baseAddress { executor.table[id] = base }
            }
            try body()
        }
    }

    /// For each requested gradient (request order), the index of the last step
    /// that writes it: after that step it is final.
    public var gradientFinalSteps: [Int] {
        var finals = [Int](repeating: -1, count: gradientInputs.count)
        for (s, ks) in executor.gradientsFinalAfter.enumerated() { for k in ks { finals[k] = s } }
        return finals
    }

    private func run(_ inputs: [TensorValue], seed: TensorValue?, into result: inout ProgramResult,
                     hook: ((Int) -> Void)?) throws {
        guard result.gradients.count == gradientInputs.count else {
            throw EngineError.resultMismatch(what: "gradients", expected: [gradientInputs.count],
                                             actual: [result.gradients.count], count: result.gradients.count)
        }
        for (k, input) in gradientInputs.enumerated() {
            try Self.checkStorage(result.gradients[k], shape: inputShapes[input], what: "gradient \(k)")
        }
        var gradients: [TensorValue] = []
        swap(&gradients, &result.gradients)
        defer { swap(&gradients, &result.gradients) }
        try execute(inputs, seed: seed, value: &result.value, hook: hook) { body in
            try gradients.withUnsafeMutableBufferPointer { g in try bindGradients(g, 0, body) }
        }
    }

    /// Checks the inputs, the seed and the value, then runs under the lock with
    /// the inputs, seed and value bound and the gradients bound by `bindGradients`.
    private func execute(_ inputs: [TensorValue], seed: TensorValue?, value: inout TensorValue, hook: ((Int) -> Void)?,
                         bindGradients: (_ body: () throws -> Void) throws -> Void) throws {
        try checkInputs(inputs)
        if let seed {
            guard seed.shape == outputShape else { throw EngineError.seedMismatch(outputShape: outputShape, seedShape: seed.shape) }
            try Self.checkStorage(seed, shape: outputShape, what: "seed")
        } else if !gradientInputs.isEmpty, Shape.count(outputShape) != 1 {
            throw EngineError.seedMismatch(outputShape: outputShape, seedShape: nil)
        }
        try Self.checkStorage(value, shape: outputShape, what: "value")
        lock.lock()
        defer { lock.unlock() }
        try bindInputs(inputs, seed: seed) {
            try Self.bind(&value, to: schedule.externalBuffers[.output], in: executor.table) {
                try bindGradients { try executor.run(forwardOnly: gradientInputs.isEmpty, gradientReady: hook) }
            }
        }
    }

    /// Number of steps of one forward and backward run.
    public var stepCount: Int { schedule.steps.count }

    /// A zero result of the right shapes, for `run(_:seed:into:)`.
    public func makeResult() -> ProgramResult {
        ProgramResult(value: TensorValue(repeating: 0, validShape: outputShape),
                      gradients: gradientInputs.map { TensorValue(repeating: 0, validShape: inputShapes[$0]) })
    }

    /// Runs the forward pass alone and returns the output.
    public func value(_ inputs: [TensorValue]) throws -> TensorValue {
        try checkInputs(inputs)
        var value = TensorValue(repeating: 0, validShape: outputShape)
        lock.lock()
        defer { lock.unlock() }
        try bindInputs(inputs, seed: nil) {
            try Self.bind(&value, to: schedule.externalBuffers[.output], in: executor.table) {
                try executor.run(forwardOnly: true)
            }
        }
        return value
    }

    // MARK: Binding the caller's tensors

    /// Points the input and seed buffers at the caller's tensors for `body`.
    private func bindInputs(_ inputs: [TensorValue], seed: TensorValue?, _ body: () throws -> Void) throws {
        try inputs.withUnsafeBufferPointer { inputs in
            try bindInputs(inputs, 0) {
                guard let id = schedule.externalBuffers[.seed] else { return try body() }
                guard let seed else {
                    executor.table[id] = unitSeed
                    return try body()
                }
                try seed.scalars.withUnsafeBufferPointer { s in
                    executor.table[id] = UnsafeMutablePointer(mutating: s.baseAddress ?? UnsafePointer(unitSeed))
                    try body()
                }
            }
        }
    }

    private func bindInputs(_ inputs: UnsafeBufferPointer<TensorValue>, _ k: Int, _ body: () throws -> Void) throws {
        guard k < inputs.count else { return try body() }
        try inputs[k].scalars.withUnsafeBufferPointer { x in
            if let id = inputSlots[k] {
                executor.table[id] = UnsafeMutablePointer(mutating: x.baseAddress ?? UnsafePointer(unitSeed))
            }
            try bindInputs(inputs, k + 1, body)
        }
    }

    private func bindGradients(_ gradients: UnsafeMutableBufferPointer<TensorValue>, _ k: Int,
                               _ body: () throws -> Void) throws {
        guard k < gradients.count else { return try body() }
        try Self.bind(&gradients[k], to: gradientSlots[k], in: executor.table) { try bindGradients(gradients, k + 1, body) }
    }

    /// Points buffer `id` at a tensor's storage for `body` (written in place).
    private static func bind(_ tensor: inout TensorValue, to id: Int?, in table: BufferTable,
                             _ body: () throws -> Void) throws {
        guard let id else { return try body() }
        try tensor.scalars.withUnsafeMutableBufferPointer { storage in
            if let base = storage.baseAddress { table[id] = base }
            try body()
        }
    }

    // MARK: Checks

    private func checkInputs(_ inputs: [TensorValue]) throws {
        guard inputs.count == inputShapes.count else { throw EngineError.inputCount(expected: inputShapes.count, actual: inputs.count) }
        for (k, input) in inputs.enumerated() {
            guard input.shape == inputShapes[k] else {
                throw EngineError.inputMismatch(index: k, expected: inputShapes[k], actual: input.shape)
            }
            guard input.scalars.count == Shape.count(input.shape) else {
                throw EngineError.valueCount(shape: input.shape, expected: Shape.count(input.shape), actual: input.scalars.count)
            }
            if options.checkNumerics, let bad = input.scalars.firstIndex(where: { !$0.isFinite }) {
                throw EngineError.nonFinite(op: "input \(k)", shape: input.shape, what: "input", index: bad,
                                            value: input.scalars[bad])
            }
        }
    }

    /// A tensor the run writes into (or reads a seed from) must have exactly this shape and count.
    private static func checkStorage(_ tensor: TensorValue, shape: [Int], what: String) throws {
        guard tensor.shape == shape, tensor.scalars.count == Shape.count(shape) else {
            throw EngineError.resultMismatch(what: what, expected: shape, actual: tensor.shape, count: tensor.scalars.count)
        }
    }
}

/// The seed 1 of a scalar output, freed with its program (also when building
/// the program throws: a property's own deinit runs then, the program's not).
private final class UnitSeed {
    let pointer = UnsafeMutablePointer<Double>.allocate(capacity: 1)
    init() { pointer.initialize(to: 1) }
    deinit { pointer.deallocate() }
}
