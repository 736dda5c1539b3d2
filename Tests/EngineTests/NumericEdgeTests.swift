import Engine
import Foundation
import Testing

/// Numerics at the edges: large logits, infinities, NaN, x⁰ at 0.
@Suite struct NumericEdgeTests {
    private func gradient(_ x: [Double], _ f: @escaping (Tensor) -> Tensor) throws -> (value: TensorValue, gradient: [Double]) {
        let program = try Program(inputShapes: [[x.count]], gradientsFor: [0]) { v in f(v[0]) }
        let result = try program.run([TensorValue(x)])
        return (result.value, result.gradients[0].scalars)
    }

    @Test func logSumExpGradientIsExactForLargeLogits() throws {
        #expect(try gradient([1e16, 1e16]) { $0.logSumExp() }.gradient == [0.5, 0.5])
        #expect(try gradient([1e10, 1e10]) { $0.logSumExp() }.gradient == [0.5, 0.5])
        let g = try gradient([1e10 + 1, 1e10]) { $0.logSumExp() }.gradient
        #expect(Swift.abs(g[0] - 1 / (1 + Foundation.exp(-1))) < 1e-15 && Swift.abs(g[0] + g[1] - 1) < 1e-15)
    }

    @Test func logSumExpOfPlusInfinityIsPlusInfinity() throws {
        let (value, g) = try gradient([.infinity, 0]) { $0.logSumExp() }
        #expect(value.scalar == .infinity)
        #expect(g == [1, 0])
        #expect(try gradient([-.infinity, -.infinity]) { $0.logSumExp() }.value.scalar == -.infinity)
        #expect(try gradient([.nan, 0]) { $0.logSumExp() }.value.scalar.isNaN)
    }

    @Test func softmaxAndLogSoftmaxAreExactForLargeLogits() throws {
        let (p, dp) = try gradient([1e16, 1e16]) { ($0.softmax(axis: 0) * TensorValueConstant.weights($0)).sum() }
        // d/dx Σ w·softmax = softmax ⊙ (w − ⟨w, softmax⟩) = 0.5·([1, 3] − 2) = [−0.5, 0.5]
        #expect(p.scalar == 2)
        #expect(dp == [-0.5, 0.5])
        let (l, dl) = try gradient([1e16, 1e16]) { $0.logSoftmax(axis: 0).slice(axis: 0, 0..<1).sum() }
        #expect(l.scalar == -Foundation.log(2.0))
        #expect(dl == [0.5, -0.5])
    }

    @Test func crossEntropyGradientIsExactForLargeLogits() throws {
        let program = try Program(inputShapes: [[1, 2]], gradientsFor: [0]) { v in crossEntropy(logits: v[0], labels: [0]) }
        let r = try program.run([TensorValue(rows: [[1e16, 1e16]])])
        #expect(r.gradients[0].scalars == [-0.5, 0.5])
    }

    @Test func powerZeroHasGradientZeroAtZero() throws {
        let (value, g) = try gradient([0, 2]) { pow($0, 0).sum() }
        #expect(value.scalar == 2)
        #expect(g == [0, 0])
    }

    @Test func nanPropagatesThroughReluMaximumMinimumAndMax() throws {
        let program = try Program(inputShapes: [[3], [3]]) { v in
            Tensor.stack(relu(v[0]), maximum(v[0], v[1]), maximum(v[1], v[0]), minimum(v[0], v[1]), minimum(v[1], v[0]))
        }
        let rows = try program.value([TensorValue([.nan, 1, -1]), TensorValue([1, .nan, 0])])
        // relu: NaN, 1, 0; maximum/minimum: NaN wherever either operand is NaN, in either order.
        #expect(rows.scalars[0].isNaN && rows.scalars[1] == 1 && rows.scalars[2] == 0)
        for k in 1..<5 {
            let row = rows.scalars[(3 * k)..<(3 * k + 3)]
            #expect(row.prefix(2).allSatisfy { $0.isNaN }, "row \(k): \(Array(row))")
        }
        #expect(rows.scalars[8] == 0 && rows.scalars[11] == -1 && rows.scalars[14] == -1)
        let max = try Program(inputShapes: [[2, 2]]) { v in Tensor.stack(v[0].max(), v[0].max(axis: 0).sum()) }
        let m = try max.value([TensorValue(shape: [2, 2], scalars: [1, .nan, 3, 4])])
        #expect(m.scalars[0].isNaN && m.scalars[1].isNaN)
    }

    /// The doc comment says the closures run on several threads for large
    /// tensors; a closure that keeps state behind a lock counts every call.
    @Test func customElementwiseClosuresAreSendable() throws {
        let calls = CallCounter()
        let n = 100_000
        let program = try Program(inputShapes: [[n]], gradientsFor: [0]) { v in
            v[0].elementwise("counted", { x in calls.increment(); return 2 * x }, derivative: { _ in 2 }).sum()
        }
        let r = try program.run([try TensorValue(repeating: 1, shape: [n])])
        #expect(r.value.scalar == Double(2 * n))
        #expect(calls.count == n)
    }
}

/// A counter behind a lock (NSLock, a pthread mutex that ThreadSanitizer understands).
final class CallCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var calls = 0
    func increment() { lock.lock(); calls += 1; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return calls }
}

/// Small helpers for the tests above.
enum TensorValueConstant {
    /// The constant [1, 3, 5, …] shaped like x.
    static func weights(_ x: Tensor) -> Tensor {
        x.tracer.constant(try! TensorValue(shape: x.shape, scalars: (0..<x.count).map { 1 + 2 * Double($0) }))
    }
}

extension Tensor {
    /// Tensors flattened and joined into one vector, for checking several values at once.
    static func stack(_ tensors: Tensor...) -> Tensor {
        (try? Tensor.concatenate(tensors.map { $0.reshaped([$0.count]) }, axis: 0)) ?? tensors[0]
    }
}
