/// The parameters an optimizer updates: inputs of a program whose gradients the
/// program returns, each with a name.
///
/// A parameter is addressed by its name or by its input index (its position in
/// the program's inputs), never by its position in `gradientsFor`: the
/// parameters map each input to the gradient the program returns for it.
///
/// ```swift
/// let program = try Program(inputShapes: [[34, 34], [34, 16], [16, 2]], gradientsFor: [1, 2]) { … }
/// let parameters = try Parameters(program, named: ["W1": 1, "W2": 2])
/// parameters.input(named: "W2")   // 2
/// ```
public struct Parameters: Sendable, Equatable {
    /// The parameters' names, in the order given.
    public let names: [String]
    /// The program input of each parameter.
    public let inputs: [Int]
    /// The element count of each parameter.
    public let counts: [Int]
    /// Where each parameter's gradient is in `ProgramResult.gradients`.
    let gradientIndices: [Int]
    let shapes: [[Int]]

    /// Parameters given by name and input index. An input that is not a
    /// program input or whose gradient the program does not return, a name or
    /// an input given twice, is `EngineError.invalidArgument`.
    public init(_ program: Program, named: KeyValuePairs<String, Int>) throws(EngineError) {
        try self.init(program, inputs: named.map(\.value), names: named.map(\.key))
    }

    /// Parameters given by input index, named "input k" unless `names` are given.
    public init(_ program: Program, inputs: [Int], names: [String]? = nil) throws(EngineError) {
        let names = names ?? inputs.map { "input \($0)" }
        func reject(_ reason: String) -> EngineError { .invalidArgument(op: "Parameters", shape: [], reason: reason) }
        guard names.count == inputs.count else { throw reject("\(names.count) names for \(inputs.count) inputs") }
        guard Set(names).count == names.count else { throw reject("a name is given twice: \(names)") }
        guard Set(inputs).count == inputs.count else { throw reject("an input is given twice: \(inputs)") }
        var gradientIndices: [Int] = []
        for input in inputs {
            guard program.inputShapes.indices.contains(input) else {
                throw reject("input \(input) is not one of the program's \(program.inputShapes.count) inputs")
            }
            guard let g = program.gradientInputs.firstIndex(of: input) else {
                throw reject("the program returns no gradient for input \(input) (gradientsFor: \(program.gradientInputs))")
            }
            gradientIndices.append(g)
        }
        self.names = names
        self.inputs = inputs
        self.gradientIndices = gradientIndices
        self.shapes = inputs.map { program.inputShapes[$0] }
        self.counts = shapes.map(Shape.count)
    }

    /// The program input of the parameter called `name`, or `invalidArgument`.
    public func input(named name: String) throws(EngineError) -> Int {
        inputs[try index(named: name)]
    }

    /// The position among these parameters of the one called `name`, or `invalidArgument`.
    public func index(named name: String) throws(EngineError) -> Int {
        guard let k = names.firstIndex(of: name) else {
            throw .invalidArgument(op: "Parameters", shape: [], reason: "no parameter named \"\(name)\" (there are \(names))")
        }
        return k
    }

    /// The position among these parameters of the one on program input `input`, or `invalidArgument`.
    public func index(ofInput input: Int) throws(EngineError) -> Int {
        guard let k = inputs.firstIndex(of: input) else {
            throw .invalidArgument(op: "Parameters", shape: [], reason: "input \(input) is not a parameter (parameters: \(inputs))")
        }
        return k
    }

    /// Calls `body(k, p, g)` for each parameter k with its storage in `inputs`
    /// (updated in place: no copy while the array holds the only reference to
    /// it) and its gradient in `result`. Shapes are checked first: a wrong
    /// input count or shape is `inputCount` / `inputMismatch`, a result of
    /// another program `resultMismatch`, and nothing is written then.
    func update(_ inputs: inout [TensorValue], gradients result: ProgramResult,
                _ body: (Int, UnsafeMutableBufferPointer<Double>, UnsafeBufferPointer<Double>) -> Void) throws(EngineError) {
        for (k, input) in self.inputs.enumerated() {
            guard inputs.indices.contains(input) else { throw .inputCount(expected: input + 1, actual: inputs.count) }
            guard inputs[input].shape == shapes[k], inputs[input].scalars.count == counts[k] else {
                throw .inputMismatch(index: input, expected: shapes[k], actual: inputs[input].shape)
            }
            let g = gradientIndices[k]
            guard g < result.gradients.count, result.gradients[g].shape == shapes[k],
                  result.gradients[g].scalars.count == counts[k] else {
                throw .resultMismatch(what: "gradient \(g)", expected: shapes[k],
                                      actual: g < result.gradients.count ? result.gradients[g].shape : [],
                                      count: g < result.gradients.count ? result.gradients[g].scalars.count : 0)
            }
        }
        for (k, input) in self.inputs.enumerated() {
            result.gradients[gradientIndices[k]].scalars.withUnsafeBufferPointer { g in
                inputs[input].scalars.withUnsafeMutableBufferPointer { p in body(k, p, g) }
            }
        }
    }
}

/// Per-parameter buffers of an optimizer's state (momentum, moments),
/// allocated once, zero-filled, and never reallocated.
final class OptimizerBuffers {
    let buffers: [UnsafeMutableBufferPointer<Double>]

    init(counts: [Int]) {
        buffers = counts.map { count in
            let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(count, 1))
            b.initialize(repeating: 0)
            return b
        }
    }

    subscript(k: Int) -> UnsafeMutableBufferPointer<Double> { buffers[k] }

    func reset() { for b in buffers { b.update(repeating: 0) } }

    deinit { for b in buffers { b.deallocate() } }
}

/// Throws `invalidArgument` naming the optimizer and the hyper-parameter unless `valid`.
func requireHyperParameter(_ valid: Bool, _ optimizer: String, _ reason: @autoclosure () -> String) throws(EngineError) {
    guard valid else { throw .invalidArgument(op: optimizer, shape: [], reason: reason()) }
}
