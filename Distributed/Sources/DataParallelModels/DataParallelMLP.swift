import Engine
import Foundation

/// The reference dense MLP (W2 of the memory report: h ← relu(h·W_l + b_l) for
/// each hidden layer, logits = h·W_L + b_L, mean cross-entropy) over a range of
/// the rows of one global batch, so that the batch can be split across ranks.
///
/// Every input element is a function of its global row and column, so rank r's
/// share is exactly rows `share` of the whole batch. The program's loss is the
/// mean over its own rows; seeding it with `seed(rows:)` = rows/B makes the sum
/// over ranks the mean over the whole batch, and the summed gradients those of
/// one process on the whole batch.
public struct DataParallelMLP: Sendable {
    public let batch: Int
    public let inputs: Int
    public let width: Int
    public let hidden: Int
    public let classes: Int

    /// The sizes of W2: B = 512, D = 1024, four hidden layers of 1024, C = 10.
    public static let w2 = DataParallelMLP(batch: 512, inputs: 1024, width: 1024, hidden: 4, classes: 10)

    public init(batch: Int, inputs: Int, width: Int, hidden: Int, classes: Int) {
        (self.batch, self.inputs, self.width, self.hidden, self.classes) = (batch, inputs, width, hidden, classes)
    }

    var layers: Int { hidden + 1 }
    var widths: [Int] { [inputs] + [Int](repeating: width, count: hidden) + [classes] }

    /// Shapes of the parameters: W_0…W_L, then b_0…b_L.
    public var parameterShapes: [[Int]] {
        let w = widths
        return (0..<layers).map { [w[$0], w[$0 + 1]] } + (0..<layers).map { [w[$0 + 1]] }
    }

    /// Deterministic initial parameters (uniform-like, scaled by √(6/fan-in)).
    public func initialParameters() -> [TensorValue] {
        parameterShapes.enumerated().map { p, shape in
            let count = shape.reduce(1, *)
            let scale = shape.count == 2 ? (6 / Double(shape[0])).squareRoot() : 0.01
            return try! TensorValue(shape: shape, scalars: (0..<count).map { scale * sin(0.37 * Double($0) + 0.1 + Double(p)) })
        }
    }

    /// Rows `rows` of the global batch: features (rows × D, column-major) and labels.
    public func data(rows: Range<Int>) -> (features: TensorValue, labels: [Int]) {
        let n = rows.count
        var x = [Double](repeating: 0, count: n * inputs)
        for j in 0..<inputs {
            for (i, row) in rows.enumerated() { x[i + n * j] = sin(0.1 * Double(row * inputs + j) + 1) }
        }
        return (try! TensorValue(shape: [n, inputs], scalars: x), rows.map { (7 * $0 + 3) % classes })
    }

    /// The seed that turns the mean over `rows` into its share of the whole batch's mean.
    public func seed(rows: Range<Int>) -> TensorValue { TensorValue(Double(rows.count) / Double(batch)) }

    /// The program of rows `rows`: inputs [X, W_0…W_L, b_0…b_L], gradients for every parameter.
    public func program(rows: Range<Int>) throws -> Program {
        let labels = data(rows: rows).labels
        let layers = layers, hidden = hidden
        return try Program(inputShapes: [[rows.count, inputs]] + parameterShapes, gradientsFor: Array(1...(2 * layers))) { v in
            var h = v[0]
            for l in 0..<hidden { h = relu(matmul(h, v[1 + l]) + v[1 + layers + l]) }
            return crossEntropy(logits: matmul(h, v[layers]) + v[2 * layers], labels: labels)
        }
    }

    /// Rank `rank`'s rows of a batch split into `ranks` contiguous shares whose
    /// sizes differ by at most one.
    public func share(rank: Int, of ranks: Int) -> Range<Int> {
        let base = batch / ranks, extra = batch % ranks
        let start = rank * base + min(rank, extra)
        return start..<(start + base + (rank < extra ? 1 : 0))
    }
}
