import Foundation
import SparseJacobian

/// log Σ exp(x) over all elements or along an axis, computed stably as
/// m + log Σ exp(x − m) with m the maximum (`SoftmaxSlices`): +∞ when an
/// element is +∞, −∞ when every element is −∞, NaN when one is NaN.
/// Jacobian: dense rows softmax(x), applied by its rule
/// g_in (+)= g · exp(x − m)/Σ exp(x − m) (never exp(x − y) with y rounded,
/// which is off for large logits). Saves the input; the forward pass and the
/// rule keep m and Σ in two scratches of the output's size.
/// Cost: three passes forward, three back.
struct LogSumExp: Reduction {
    let axes: ReductionAxes
    let map: BroadcastMap
    var name: String { "logsumexp" }

    var forwardScratch: [Int] { [map.smallCount, map.smallCount] }

    func forward(_ f: ForwardArguments) {
        let m = f.scratch(0), s = f.scratch(1), y = f.output
        SoftmaxSlices.compute(f.input(0), map, max: m, sum: s)
        for j in 0..<map.smallCount { y[j] = SoftmaxSlices.logSumExp(max: m[j], sum: s[j]) }
    }

    func derivative(forInput index: Int) -> Derivative {
        .dense(DenseDerivative(reads: [.input(0)], scratch: [map.smallCount, map.smallCount]) { [map] b in
            let x = b.saved(.input(0)), g = b.upstream, out = b.gradient, m = b.scratch(0), s = b.scratch(1)
            SoftmaxSlices.compute(x, map, max: m, sum: s)
            map.write(into: out, accumulate: b.accumulate) { i, j in g[j] * SoftmaxSlices.weight(x[i], max: m[j], sum: s[j]) }
        })
    }

    /// J: row j is softmax over the elements reduced into output j, dense within
    /// that group and zero outside it (a dense row when reducing everything).
    func jacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        .sparse(map.selection.transposedPattern)
    }
}
