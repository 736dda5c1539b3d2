/// Which axes a reduction runs over.
enum ReductionAxes: Equatable {
    case all
    case axis(Int, keepDimension: Bool)

    /// The reduced shape, and the same with reduced axes kept as 1 (for `BroadcastMap`).
    func shapes(_ input: [Int], op: String) throws(EngineError) -> (output: [Int], kept: [Int]) {
        switch self {
        case .all:
            return ([], [Int](repeating: 1, count: input.count))
        case let .axis(axis, keep):
            guard let a = Shape.axis(axis, rank: input.count) else {
                throw .invalidAxis(op: op, axis: axis, shape: input)
            }
            var kept = input
            kept[a] = 1
            var output = input
            output.remove(at: a)
            return (keep ? kept : output, kept)
        }
    }

    /// How many elements each output element reduces: the product of the reduced
    /// extents (call after `shapes`, which validates the axis).
    func reducedLength(_ input: [Int]) -> Int {
        switch self {
        case .all: return Shape.count(input)
        case let .axis(axis, _): return Shape.axis(axis, rank: input.count).map { input[$0] } ?? 0
        }
    }

    /// The map from an input shape to its reduction (an empty map when the axis is
    /// invalid: `outputShape(for:)` reports that before anything runs).
    func map(_ input: [Int]) -> BroadcastMap {
        let kept = (try? shapes(input, op: "").kept) ?? input
        return BroadcastMap(shape: input, small: kept)
    }
}

/// An op that reduces its one input over `axes`, with the input-to-output map
/// fixed when traced (so runs compute no shapes and allocate nothing).
protocol Reduction: DifferentiableOperation {
    var axes: ReductionAxes { get }
    var map: BroadcastMap { get }
    init(axes: ReductionAxes, map: BroadcastMap)
}

extension Reduction {
    init(axes: ReductionAxes, inputShape: [Int]) { self.init(axes: axes, map: axes.map(inputShape)) }

    func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] { try axes.shapes(inputs[0], op: name).output }

    /// Reductions (sum, max, log-sum-exp) are recomputed freely: one pass over
    /// the input (log-sum-exp: a few, with one exp per element).
    func recomputation(inputShapes: [[Int]], outputShape: [Int]) -> Recomputation {
        .streaming(inputShapes: inputShapes, outputShape: outputShape, flopsPerElement: 0)
            .adding(.streaming(inputShapes: [], outputShape: inputShapes[0], flopsPerElement: 2))
    }
}
