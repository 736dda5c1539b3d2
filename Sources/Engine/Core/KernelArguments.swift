import SparseJacobian

/// Table from buffer id to its current address; the executor fills it.
typealias BufferTable = UnsafeMutablePointer<UnsafeMutablePointer<Double>>

/// Where one node's operands live: the buffer ids and shapes of its inputs and output.
final class NodeBinding {
    let inputIDs: [Int]
    let outputID: Int
    let inputShapes: [[Int]]
    let outputShape: [Int]

    init(inputIDs: [Int], outputID: Int, inputShapes: [[Int]], outputShape: [Int]) {
        self.inputIDs = inputIDs
        self.outputID = outputID
        self.inputShapes = inputShapes
        self.outputShape = outputShape
    }

}

/// What a forward kernel sees: its inputs, its output and their shapes.
public struct ForwardArguments {
    let table: BufferTable
    let node: NodeBinding
    let scratchIDs: [Int]
    /// The CHOLMOD context of the program (for sparse kernels).
    public let context: CholmodContext

    /// The elements of input `k`, column-major.
    public func input(_ k: Int) -> UnsafePointer<Double> { UnsafePointer(table[node.inputIDs[k]]) }
    /// Where the output goes.
    public var output: UnsafeMutablePointer<Double> { table[node.outputID] }
    public func inputShape(_ k: Int) -> [Int] { node.inputShapes[k] }
    public var outputShape: [Int] { node.outputShape }
    /// Number of elements of the output.
    public var count: Int { Shape.count(node.outputShape) }
    /// Forward scratch buffer `k`, as many elements as the op declared.
    public func scratch(_ k: Int) -> UnsafeMutablePointer<Double> { table[scratchIDs[k]] }
}

/// What a dense backward rule sees.
public struct BackwardArguments {
    let table: BufferTable
    let node: NodeBinding
    let savedBuffers: SavedBuffers
    let upstreamID: Int
    let destinationID: Int
    let scratchIDs: [Int]
    /// Which input's gradient this rule computes.
    public let input: Int
    /// Add into `gradient` (true) or overwrite it (false).
    public let accumulate: Bool
    public let context: CholmodContext

    /// ∂L/∂output, shaped like the output.
    public var upstream: UnsafePointer<Double> { UnsafePointer(table[upstreamID]) }
    /// ∂L/∂input, shaped like the input: write or add according to `accumulate`.
    public var gradient: UnsafeMutablePointer<Double> { table[destinationID] }
    /// A value of the forward pass that the rule declared it reads.
    public func saved(_ value: SavedValue) -> UnsafePointer<Double> { UnsafePointer(table[savedBuffers.id(value)]) }
    /// Scratch buffer `k`, as many elements as the rule declared.
    public func scratch(_ k: Int) -> UnsafeMutablePointer<Double> { table[scratchIDs[k]] }
    public func inputShape(_ k: Int) -> [Int] { node.inputShapes[k] }
    public var outputShape: [Int] { node.outputShape }
}

/// The saved operands of a diagonal derivative at the current chunk.
public struct DiagonalOperands {
    let table: BufferTable
    let readIDs: [Int]
    let offset: Int

    /// Operand `k` (in the order the derivative declared its reads), from the chunk start.
    public subscript(_ k: Int) -> UnsafePointer<Double> { UnsafePointer(table[readIDs[k]] + offset) }
    /// The one element of operand `k`, for a one-element operand broadcast over the chunk.
    public func scalar(_ k: Int) -> Double { table[readIDs[k]][0] }
}

/// What a sparse Jacobian's value filler sees.
public struct SparseValueArguments {
    let table: BufferTable
    let node: NodeBinding
    let savedBuffers: SavedBuffers

    /// A value of the forward pass that the filler declared it reads.
    public func saved(_ value: SavedValue) -> UnsafePointer<Double> { UnsafePointer(table[savedBuffers.id(value)]) }
    public func inputShape(_ k: Int) -> [Int] { node.inputShapes[k] }
    public var outputShape: [Int] { node.outputShape }
}
