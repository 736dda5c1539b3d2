import Foundation
import SparseJacobian

/// log Σ exp(x) over all elements or along an axis, computed stably as
/// m + log Σ exp(x − m) with m the maximum (−∞ when every term is −∞).
/// Jacobian: per output, the row softmax(x) over its group (dense within the
/// group, zero outside), applied by its rule
/// g_in (+)= g·exp(x − y). Saves the input and the output; the forward pass keeps
/// the maxima in a scratch of the output's size. Cost: three passes forward, one back.
struct LogSumExp: Reduction {
    let axes: ReductionAxes
    let map: BroadcastMap
    var name: String { "logsumexp" }

    var forwardScratch: [Int] { [map.smallCount] }

    func forward(_ f: ForwardArguments) {
        let x = f.input(0), y = f.output, m = f.scratch(0)
        m.update(repeating: -.infinity, count: map.smallCount)
        map.forEachRun { b, s, n, stride in
            for k in 0..<n where x[b + k] > m[s + k * stride] { m[s + k * stride] = x[b + k] }
        }
        y.update(repeating: 0, count: map.smallCount)
        map.forEachRun { b, s, n, stride in
            for k in 0..<n {
                let j = s + k * stride
                if m[j] > -.infinity { y[j] += Foundation.exp(x[b + k] - m[j]) }
            }
        }
        for j in 0..<map.smallCount { y[j] = m[j] == -.infinity ? -.infinity : m[j] + Foundation.log(y[j]) }
    }

    func derivative(forInput index: Int) -> Derivative {
        .dense(DenseDerivative(reads: [.input(0), .output]) { [map] b in
            let x = b.saved(.input(0)), y = b.saved(.output), g = b.upstream, out = b.gradient
            let accumulate = b.accumulate
            map.forEachRun { bo, s, n, stride in
                for k in 0..<n {
                    let j = s + k * stride
                    let v = y[j] == -.infinity ? 0 : g[j] * Foundation.exp(x[bo + k] - y[j])
                    if accumulate { out[bo + k] += v } else { out[bo + k] = v }
                }
            }
        })
    }
}

/// J: row j is softmax over the elements reduced into output j, dense within
/// that group and zero outside it (a dense row when reducing everything).
extension LogSumExp: JacobianStructureDeclaring {
    func declaredJacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        .sparse(map.selection.transposedPattern)
    }
}
