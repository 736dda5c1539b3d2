import Foundation

/// y = exp(x − m)/Σ exp(x − m) along one axis, m the slice's maximum
/// (`SoftmaxSlices`): exact for large logits, NaN in a slice with a NaN.
/// Jacobian: dense per slice, diag(y) − y·yᵀ, applied by its rule
/// g_in (+)= y ⊙ (g − ⟨g, y⟩) per slice. Saves the output; scratches of the
/// slice count hold m and Σ forward and ⟨g, y⟩ back.
/// Cost: three passes forward, two back.
struct Softmax: Operation {
    let axis: Int
    /// The map from the input to its slices (axis kept as 1).
    let map: BroadcastMap
    var name: String { "softmax" }

    init(axis: Int, inputShape: [Int]) {
        self.axis = axis
        map = ReductionAxes.axis(axis, keepDimension: true).map(inputShape)
    }

    func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] {
        _ = try ReductionAxes.axis(axis, keepDimension: true).shapes(inputs[0], op: name)
        return inputs[0]
    }

    var forwardScratch: [Int] { [map.smallCount, map.smallCount] }

    func forward(_ f: ForwardArguments) {
        let x = f.input(0), y = f.output, m = f.scratch(0), s = f.scratch(1)
        SoftmaxSlices.compute(x, map, max: m, sum: s)
        map.write(into: y, accumulate: false) { i, j in SoftmaxSlices.weight(x[i], max: m[j], sum: s[j]) }
    }

    func derivative(forInput index: Int) -> Derivative {
        .dense(DenseDerivative(reads: [.output], scratch: [map.smallCount]) { [map] b in
            let y = b.saved(.output), g = b.upstream, out = b.gradient, dot = b.scratch(0)
            map.reduceProducts(g, y, into: dot)
            map.write(into: out, accumulate: b.accumulate) { i, j in y[i] * (g[i] - dot[j]) }
        })
    }
}

/// y = (x − m) − log Σ exp(x − m) along one axis (`SoftmaxSlices`), exact
/// where x is the maximum. Jacobian: dense per slice, I − 1·softmax(x)ᵀ, applied
/// by its rule g_in (+)= g − exp(y)·Σg per slice. Saves the output; scratches
/// of the slice count hold m and Σ forward and Σg back.
/// Cost: three passes forward, two back.
struct LogSoftmax: Operation {
    let axis: Int
    let map: BroadcastMap
    var name: String { "log-softmax" }

    init(axis: Int, inputShape: [Int]) {
        self.axis = axis
        map = ReductionAxes.axis(axis, keepDimension: true).map(inputShape)
    }

    func outputShape(for inputs: [[Int]]) throws(EngineError) -> [Int] {
        _ = try ReductionAxes.axis(axis, keepDimension: true).shapes(inputs[0], op: name)
        return inputs[0]
    }

    var forwardScratch: [Int] { [map.smallCount, map.smallCount] }

    func forward(_ f: ForwardArguments) {
        let x = f.input(0), y = f.output, m = f.scratch(0), s = f.scratch(1)
        SoftmaxSlices.compute(x, map, max: m, sum: s)
        map.write(into: y, accumulate: false) { i, j in SoftmaxSlices.logWeight(x[i], max: m[j], sum: s[j]) }
    }

    func derivative(forInput index: Int) -> Derivative {
        .dense(DenseDerivative(reads: [.output], scratch: [map.smallCount]) { [map] b in
            let y = b.saved(.output), g = b.upstream, out = b.gradient, total = b.scratch(0)
            map.reduce(g, into: total, accumulate: false)
            map.write(into: out, accumulate: b.accumulate) { i, j in g[i] - Foundation.exp(y[i]) * total[j] }
        })
    }
}
