import SparseJacobian

/// Σ of all elements or along an axis. Jacobian: a row of ones per output
/// (`rowsOfOnes`), applied by its rule (the gradient broadcast back). Saves nothing. Cost: one pass.
struct Sum: Reduction {
    let axes: ReductionAxes
    let map: BroadcastMap
    var name: String { "sum" }

    func forward(_ a: ForwardArguments) { map.reduce(a.input(0), into: a.output, accumulate: false) }

    func derivative(forInput index: Int) -> Derivative {
        .dense(DenseDerivative(reads: []) { [map] b in map.expand(b.upstream, into: b.gradient, accumulate: b.accumulate) })
    }

    /// J: rows of ones, row j over the elements reduced into output j.
    func jacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        .rowsOfOnes(map.selection)
    }
}

/// Maximum of all elements or along an axis. A NaN wins (NaN propagates, as
/// NumPy's `max`). Reducing no elements is an error (all elements of an empty
/// tensor, or an axis of length 0); an empty tensor reduced along an axis of
/// nonzero length gives an empty result. The gradient goes to the arg-max;
/// of tied maxima, to the first in storage (column-major) order. Jacobian: one 1
/// per row, applied by its rule. Saves the input and the output, and uses a
/// scratch of the output's size to mark the maxima already routed.
/// Cost: one pass each way.
struct Max: Reduction {
    let axes: ReductionAxes
    let map: BroadcastMap
    var name: String { "max" }

    func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] {
        let output = try axes.shapes(inputs[0], op: name).output
        guard axes.reducedLength(inputs[0]) > 0 else {
            throw .invalidArgument(op: name, shape: inputs[0], reason: "maximum of no elements (a reduced axis has length 0)")
        }
        return output
    }

    func forward(_ a: ForwardArguments) {
        let x = a.input(0), y = a.output
        y.update(repeating: -.infinity, count: map.smallCount)
        map.forEachRun { b, s, n, stride in
            for k in 0..<n where x[b + k] > y[s + k * stride] || x[b + k].isNaN { y[s + k * stride] = x[b + k] }
        }
    }

    func derivative(forInput index: Int) -> Derivative {
        .dense(DenseDerivative(reads: [.input(0), .output], scratch: [map.smallCount]) { [map] b in
            let x = b.saved(.input(0)), y = b.saved(.output), g = b.upstream, out = b.gradient
            let routed = b.scratch(0)
            routed.update(repeating: 0, count: map.smallCount)
            if !b.accumulate { out.update(repeating: 0, count: map.count) }
            map.forEachRun { bo, s, n, stride in
                for k in 0..<n {
                    let j = s + k * stride
                    if routed[j] == 0 && (x[bo + k] == y[j] || (x[bo + k].isNaN && y[j].isNaN)) {
                        out[bo + k] += g[j]
                        routed[j] = 1
                    }
                }
            }
        })
    }

    /// J: one 1 per row at the arg-max, which is not known when traced; declared
    /// conservatively as every element of the reduced group (the pattern of the
    /// sum's rows of ones, values not ones).
    func jacobianStructure(forInput index: Int, inputShapes: [[Int]], outputShape: [Int]) -> JacobianStructure {
        .sparse(map.selection.transposedPattern)
    }
}
