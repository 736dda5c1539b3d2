import Foundation
import SparseJacobian

/// y = exp(x − m)/Σ exp(x − m) along one axis, m the slice's maximum
/// (`SoftmaxSlices`): exact for large logits, NaN in a slice with a NaN.
/// Jacobian: block diagonal, one dense block diag(y) − y·yᵀ per slice
/// (`jacobianStructure`: I_outer ⊗ B ⊗ I_inner), applied by its rule
/// g_in (+)= y ⊙ (g − ⟨g, y⟩) per slice. Saves the output; scratches of the
/// slice count hold m and Σ forward and ⟨g, y⟩ back.
/// Cost: three passes forward, two back.
struct Softmax: SliceNormalization {
    let axis: Int
    let map: BroadcastMap
    var name: String { "softmax" }

    static func element(_ x: Double, max m: Double, sum s: Double) -> Double { SoftmaxSlices.weight(x, max: m, sum: s) }

    static func gradient(_ map: BroadcastMap, _ y: UnsafePointer<Double>, _ g: UnsafePointer<Double>,
                         _ dot: UnsafeMutablePointer<Double>, _ write: (_ value: (Int, Int) -> Double) -> Void) {
        map.reduceProducts(g, y, into: dot)
        write { i, j in y[i] * (g[i] - dot[j]) }
    }
}

/// y = (x − m) − log Σ exp(x − m) along one axis (`SoftmaxSlices`), exact
/// where x is the maximum. Jacobian: block diagonal, one dense block
/// I − 1·softmax(x)ᵀ per slice (as softmax's), applied
/// by its rule g_in (+)= g − exp(y)·Σg per slice. Saves the output; scratches
/// of the slice count hold m and Σ forward and Σg back.
/// Cost: three passes forward, two back.
struct LogSoftmax: SliceNormalization {
    var name: String { "log-softmax" }
    let axis: Int
    let map: BroadcastMap

    /// g − exp(y)·Σg per slice (exp(y) is the softmax).
    static func gradient(_ map: BroadcastMap, _ y: UnsafePointer<Double>, _ g: UnsafePointer<Double>,
                         _ total: UnsafeMutablePointer<Double>, _ write: (_ value: (Int, Int) -> Double) -> Void) {
        map.reduce(g, into: total, accumulate: false)
        write { i, j in g[i] - Foundation.exp(y[i]) * total[j] }
    }

    static func element(_ x: Double, max m: Double, sum s: Double) -> Double { SoftmaxSlices.logWeight(x, max: m, sum: s) }
}

/// An op that maps each slice along `axis` through its maximum m and
/// Σ exp(x − m) (`SoftmaxSlices`): y = element(x, m, s). The output has the
/// input's shape; the forward pass keeps m and s in two scratches of the slice
/// count. The gradient is a dense rule from the saved output y, the upstream g
/// and one scratch of the slice count; it hands `write` the value at element i
/// of slice j.
protocol SliceNormalization: DifferentiableOperation {
    var axis: Int { get }
    var map: BroadcastMap { get }
    init(axis: Int, map: BroadcastMap)
    static func element(_ x: Double, max m: Double, sum s: Double) -> Double
    static func gradient(_ map: BroadcastMap, _ y: UnsafePointer<Double>, _ g: UnsafePointer<Double>,
                         _ scratch: UnsafeMutablePointer<Double>, _ write: (_ value: (Int, Int) -> Double) -> Void)
}

extension SliceNormalization {
    init(axis: Int, inputShape: [Int]) {
        self.init(axis: axis, map: ReductionAxes.axis(axis, keepDimension: true).map(inputShape))
    }

    func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] {
        _ = try ReductionAxes.axis(axis, keepDimension: true).shapes(inputs[0], op: name)
        return inputs[0]
    }

    var forwardScratch: [Int] { [map.smallCount, map.smallCount] }

    /// Recomputed freely: three passes, one exp per element.
    func recomputation(inputShapes: [[Int]], outputShape: [Int]) -> Recomputation {
        .streaming(inputShapes: inputShapes + inputShapes, outputShape: outputShape, flopsPerElement: 20)
    }

    func forward(_ f: ForwardArguments) {
        let x = f.input(0), m = f.scratch(0), s = f.scratch(1)
        SoftmaxSlices.compute(x, map, max: m, sum: s)
        map.write(into: f.output, accumulate: false) { i, j in Self.element(x[i], max: m[j], sum: s[j]) }
    }

    func derivative(forInput index: Int) -> Derivative {
        .dense(DenseDerivative(reads: [.output], scratch: [map.smallCount]) { [map] b in
            Self.gradient(map, b.saved(.output), b.upstream, b.scratch(0)) { value in
                map.write(into: b.gradient, accumulate: b.accumulate, value)
            }
        })
    }

    /// J = I_outer ⊗ B ⊗ I_inner with B dense (length × length): one dense
    /// block per slice along the axis, zero between slices. In column-major
    /// order element (i, k, o) (inner index i before the axis, k on it, outer o
    /// after it) is i + inner·(k + length·o), so slice (i, o) couples the
    /// entries that differ in k only.
    func jacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        let shape = inputShapes[0], a = Shape.axis(axis, rank: shape.count)!
        return .kronecker(KroneckerBlocks(outer: Shape.count(Array(shape[(a + 1)...])), denseRows: shape[a],
                                          columns: shape[a], inner: Shape.count(Array(shape[..<a]))))
    }
}
