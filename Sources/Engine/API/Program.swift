import Foundation
import MemoryPlanner
import SparseJacobian

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
/// A program may return auxiliary outputs beside the one it differentiates
/// (predictions, metrics), computed by the same forward pass from the same trace:
///
/// ```swift
/// let program = try Program(inputShapes: [[n, d], [d]], gradientsFor: [1], auxiliary: ["predictions"]) { v in
///     let predictions = matmul(v[0], v[1])
///     return (((predictions - targets) * (predictions - targets)).mean(), [predictions])
/// }
/// let result = try program.run(inputs)   // result[auxiliary: "predictions"]
/// ```
///
/// Runs of one program are serialized by a lock (its arena and CHOLMOD context
/// are its own), so a program may be shared between threads; to run in
/// parallel, use one program per thread.
public final class Program: @unchecked Sendable {
    public let inputShapes: [[Int]]
    public let outputShape: [Int]
    /// The auxiliary outputs' names and shapes, in the order the body returns them.
    public let auxiliaryNames: [String]
    public let auxiliaryShapes: [[Int]]
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
    private let auxiliarySlots: [Int]
    /// Where the auxiliary outputs go in runs that return none (`value(_:)`,
    /// runs into caller-owned gradient storage): made by the first such run
    /// (later ones allocate nothing), used under the lock.
    private var auxiliaryScratch: [TensorValue]?

    /// Traces `body` on symbolic inputs of these shapes and differentiates its
    /// output with respect to the inputs listed in `gradientsFor`.
    public convenience init(inputShapes: [[Int]], gradientsFor: [Int] = [], options: ProgramOptions = .init(),
                            context: CholmodContext = CholmodContext(), _ body: ([Tensor]) throws -> Tensor) throws {
        try self.init(inputShapes: inputShapes, gradientsFor: gradientsFor, options: options, context: context,
                      auxiliary: []) { (try body($0), []) }
    }

    /// Traces `body`, which returns the output to differentiate and one
    /// auxiliary output per name in `auxiliary` (in that order): values every
    /// run also returns (`ProgramResult.auxiliary`, `result[auxiliary: name]`),
    /// computed by the same forward pass and written straight into the result,
    /// never differentiated. A count that does not match the names, a repeated
    /// name, or a tensor of another trace is a typed error.
    public init(inputShapes: [[Int]], gradientsFor: [Int] = [], options: ProgramOptions = .init(),
                context: CholmodContext = CholmodContext(), auxiliary names: [String],
                _ body: ([Tensor]) throws -> (Tensor, [Tensor])) throws {
        for index in gradientsFor where !(0..<inputShapes.count).contains(index) {
            throw EngineError.invalidGradientRequest(input: index, inputCount: inputShapes.count)
        }
        try Shape.validateInputs(inputShapes)
        if let repeated = names.enumerated().first(where: { names[..<$0.offset].contains($0.element) }) {
            throw EngineError.invalidArgument(op: "Program", shape: [],
                                              reason: "the auxiliary output name \"\(repeated.element)\" is given twice")
        }
        // Trace.
        let tracer = Tracer(context: context)
        let inputs = inputShapes.map { tracer.input(shape: $0) }
        let (traced, auxiliary) = try body(inputs)
        guard traced.tracer === tracer else { throw EngineError.mixedTraces(op: "the function's result") }
        guard auxiliary.count == names.count else {
            throw EngineError.invalidArgument(op: "Program", shape: [],
                                              reason: "the body returned \(auxiliary.count) auxiliary outputs for "
                                                  + "\(names.count) names \(names)")
        }
        for (k, value) in auxiliary.enumerated() where value.tracer !== tracer {
            throw EngineError.mixedTraces(op: "auxiliary output \(k) (\"\(names[k])\")")
        }
        if let error = tracer.firstError { throw error }
        // Graph passes.
        var graph = tracer.graph, outputs = [traced.id] + auxiliary.map(\.id)
        if options.optimizeMemory { (graph, outputs) = ElementwiseFusion().run(graph, outputs: outputs) }
        let output = outputs[0], auxiliaryNodes = Array(outputs.dropFirst())
        // Differentiate and schedule.
        let path = GradientPath(graph: graph, output: output, auxiliary: auxiliaryNodes, gradientInputs: gradientsFor)
        let choice = options.optimizeMemory ? SavedValueChoice(graph: graph, path: path, alsoAlive: auxiliaryNodes) : nil
        var builder = ScheduleBuilder(graph: graph, output: output, auxiliary: auxiliaryNodes,
                                      inputCount: inputShapes.count, gradientInputs: gradientsFor,
                                      inPlaceExternals: options.optimizeMemory, choice: choice)
        var schedule = try builder.build()
        // Passes judge drafts as if lending, in eager mode too: both modes get the same schedule.
        schedule.lendsGradientStorage = options.optimizeMemory
        if options.optimizeMemory { schedule = RegionOnePass().run(schedule) }
        // Schedule passes: memory-aware order, recomputation chosen by the planner.
        let ordered = options.optimizeMemory ? try MemoryAwareOrder().run(schedule) : nil
        if let ordered { schedule = ordered.schedule }
        let remat = try Rematerialization(schedule).run(options.optimizeMemory ? options.savePolicy : .saveEverything)
        schedule = remat.schedule
        if options.optimizeMemory && !remat.recomputed.isEmpty { schedule = try MemoryAwareOrder().run(schedule).schedule }
        // Backward buffers that die before a gradient is first written live in its storage.
        if schedule.lendsGradientStorage && options.memory == .planned { schedule = GradientStorageLending().run(schedule) }
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
        self.auxiliaryNames = names
        self.auxiliaryShapes = auxiliary.map(\.shape)
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
        self.auxiliarySlots = names.indices.map { schedule.externalBuffers[.auxiliary($0)]! }
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
    /// (its shape checked); auxiliary outputs are computed but not returned. `gradientReady(k)` is called right after the last
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
            try bindAuxiliaryScratch(body)
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
        guard result.auxiliary.count == auxiliaryShapes.count else {
            throw EngineError.resultMismatch(what: "auxiliary outputs", expected: [auxiliaryShapes.count],
                                             actual: [result.auxiliary.count], count: result.auxiliary.count)
        }
        for (k, shape) in auxiliaryShapes.enumerated() {
            try Self.checkStorage(result.auxiliary[k], shape: shape, what: "auxiliary output \(k)")
        }
        var gradients: [TensorValue] = [], auxiliary: [TensorValue] = []
        swap(&gradients, &result.gradients)
        swap(&auxiliary, &result.auxiliary)
        defer {
            swap(&gradients, &result.gradients)
            swap(&auxiliary, &result.auxiliary)
        }
        try execute(inputs, seed: seed, value: &result.value, hook: hook) { body in
            try gradients.withUnsafeMutableBufferPointer { g in
                try auxiliary.withUnsafeMutableBufferPointer { a in
                    try bindEach(g, to: gradientSlots) { try bindEach(a, to: auxiliarySlots, body) }
                }
            }
        }
    }

    /// Checks the inputs, the seed and the value, then runs under the lock with
    /// the inputs, seed and value bound and the gradients and auxiliary outputs bound by `bindResults`.
    private func execute(_ inputs: [TensorValue], seed: TensorValue?, value: inout TensorValue, hook: ((Int) -> Void)?,
                         bindResults: (_ body: () throws -> Void) throws -> Void) throws {
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
                try bindResults { try executor.run(forwardOnly: gradientInputs.isEmpty, gradientReady: hook) }
            }
        }
    }

    /// Number of steps of one forward and backward run.
    public var stepCount: Int { schedule.steps.count }

    /// A zero result of the right shapes, for `run(_:seed:into:)`.
    public func makeResult() -> ProgramResult {
        ProgramResult(value: TensorValue(repeating: 0, validShape: outputShape),
                      auxiliary: auxiliaryShapes.map { TensorValue(repeating: 0, validShape: $0) },
                      auxiliaryNames: auxiliaryNames,
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
                try bindAuxiliaryScratch { try executor.run(forwardOnly: true) }
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

    /// Points buffers `slots[k]...` at the tensors' storage for `body` (written in place).
    private func bindEach(_ tensors: UnsafeMutableBufferPointer<TensorValue>, to slots: [Int], from k: Int = 0,
                          _ body: () throws -> Void) throws {
        guard k < tensors.count else { return try body() }
        try Self.bind(&tensors[k], to: slots[k], in: executor.table) { try bindEach(tensors, to: slots, from: k + 1, body) }
    }

    /// Points the auxiliary outputs' buffers at the program's own scratch, made
    /// on first use (under the lock; storage the system refuses is `allocationFailed`).
    private func bindAuxiliaryScratch(_ body: () throws -> Void) throws {
        guard !auxiliarySlots.isEmpty else { return try body() }
        // Taken out while bound, so that its storage is uniquely referenced (no copy).
        var scratch = try auxiliaryScratch.take() ?? auxiliaryShapes.map { try TensorValue(repeating: 0, shape: $0) }
        defer { auxiliaryScratch = scratch }
        try scratch.withUnsafeMutableBufferPointer { a in try bindEach(a, to: auxiliarySlots, body) }
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
