import CVectorMath
import Foundation
@testable import Engine
import Testing

/// The chunk program of fused regions' backward steps: where gradients live,
/// slots shared by liveness, and the vector kernels it runs.
@Suite struct RegionBackwardLayoutTests {
    static func regionBackwardSteps(_ program: Program) -> [RegionBackwardStep] {
        program.schedule.steps.compactMap { step in
            (step as? RegionBackwardStep) ?? (step as? RegionOnePassStep)?.pass
        }
    }

    /// Bias and relu after a matrix product (W2's layers): the backward step reads
    /// the upstream in place, writes the pre-activation's gradient straight into its
    /// destination, reduces the bias's through its map into the caller's gradient
    /// (the threads' columns are disjoint) and so needs no scratch at all.
    @Test func biasAndReluBackwardNeedsNoScratch() throws {
        // 512 × 160 elements: large enough for two threads, columns of 512 split evenly.
        let shapes = [[512, 48], [48, 160], [160], [160, 10]]
        let body = { (v: [Tensor]) -> Tensor in
            let h = relu(matmul(v[0], v[1]) + v[2])
            return square(matmul(h, v[3])).sum()
        }
        let fused = try Program(inputShapes: shapes, gradientsFor: [0, 1, 2, 3], body)
        let steps = Self.regionBackwardSteps(fused).filter { $0.region.name == "fused(add, relu)" }
        #expect(steps.count == 1)
        for step in steps {
            #expect(step.scratch == -1, "no scratch buffer")
            #expect(step.chunks.scratchElements == 0)
            #expect(step.layout.slots == 0)
            #expect(step.layout.homes[2] == .destination(input: 0), "the add's gradient is the product's")
            #expect(step.layout.homes[3] == .upstream(output: 0), "relu's gradient is read in place")
            #expect(step.broadcastInPlace[1], "the bias's gradient is reduced straight into its destination")
        }
        let unfused = try Program(inputShapes: shapes, gradientsFor: [0, 1, 2, 3],
                                  options: ProgramOptions(optimizeMemory: false), body)
        let x = shapes.enumerated().map { testInput(shape: $1, salt: $0 + 11) }
        let f = try fused.run(x), u = try unfused.run(x)
        // Slopes are 0 or 1 and every bias column is summed in one run, in order, as unfused.
        #expect(f == u, "bit for bit")
        #expect(try fused.run(x) == f)
    }

    /// The elementwise chain of W1: slots are shared by liveness (far fewer than one
    /// per value and gradient), the scalar operands' gradients are reduced as they
    /// come (no slot), and the chunk is correspondingly long.
    @Test func aChainSharesSlotsByLiveness() throws {
        let program = try Program(inputShapes: RegionOnePassTests.shapes, gradientsFor: [0, 1, 2], RegionOnePassTests.chain)
        let step = try #require(Self.regionBackwardSteps(program).first)
        let members = step.region.members.count, inputs = step.region.inputKinds.count
        // 6 layers: 6 tanh outputs the slopes read, plus a few in flight.
        #expect(step.layout.slots <= 6 + 5)
        #expect(step.layout.slots < members)
        for i in 1..<inputs { #expect(step.layout.homes[i] == .scalar) }
        #expect(step.layout.homes[0] == .destination(input: 0))
        #expect(step.chunks.chunk >= 4 * 248)
    }

    /// Regions with two and more terms into one gradient, fan-out and every slope
    /// kind, over lengths with odd remainders against the kernels' vector widths
    /// and the pieces of the diagonal scratch, agree with the unfused schedule.
    @Test(arguments: [1, 3, 15, 17, 31, 2047, 2049, 4095, 4097, 65_537])
    func oddLengthsAgreeWithTheUnfusedSchedule(n: Int) throws {
        let body = { (v: [Tensor]) -> Tensor in
            let t = tanh(v[0] * v[2] + v[1])
            let u = t * v[1] + sigmoid(t) * v[2]  // t read twice, products of full operands
            return (u * u + exp(v[0] * 0.1)).sum() + (t * v[3]).sum() * 0.5
        }
        let shapes = [[n], [n], [], [n]]
        let fused = try Program(inputShapes: shapes, gradientsFor: [0, 1, 2, 3], body)
        let unfused = try Program(inputShapes: shapes, gradientsFor: [0, 1, 2, 3],
                                  options: ProgramOptions(optimizeMemory: false), body)
        let x = shapes.enumerated().map { testInput(shape: $1, salt: $0 + n) }
        let f = try fused.run(x), u = try unfused.run(x)
        expectClose(f.value, u.value, "n \(n) value")
        for k in 0..<4 { expectClose(f.gradients[k], u.gradients[k], "n \(n) gradient \(k)") }
        #expect(try fused.run(x) == f, "the same bits run to run")
    }

    /// The kernels against plain loops on every length up to 70 (vector body,
    /// 16-wide sums, tails), in place too.
    @Test func kernelsAgreeWithPlainLoops() {
        for n in 0...70 {
            let g = (0..<n).map { Foundation.sin(Double($0) * 1.7 + 0.3) }
            let d = (0..<n).map { Foundation.cos(Double($0) * 0.9 - 0.2) }
            let y0 = (0..<n).map { 0.25 * Double($0 % 7) - 0.5 }
            var y = y0
            vm_multiply_into(&y, g, d, n, 0)
            #expect(y == zip(g, d).map { $0 * $1 }, "multiply n \(n)")
            y = y0
            vm_multiply_into(&y, g, d, n, 1)
            // One rounding (a fused multiply-add) or two, element by element.
            for k in 0..<n {
                #expect(y[k] == y0[k].addingProduct(g[k], d[k]) || y[k] == y0[k] + g[k] * d[k], "fused n \(n)")
            }
            y = y0
            vm_scale_into(&y, g, -1.5, n, 0)
            #expect(y == g.map { $0 * -1.5 }, "scale n \(n)")
            vm_shift_into(&y, g, 0.75, n)
            #expect(y == g.map { $0 + 0.75 }, "shift n \(n)")
            y = y0
            vm_add_into(&y, g, n, 1)
            #expect(y == zip(y0, g).map { $0 + $1 }, "add n \(n)")
            y = g
            y.withUnsafeMutableBufferPointer { p in
                guard let base = p.baseAddress else { return }
                vm_multiply_into(base, base, d, n, 0)
            }
            #expect(y == zip(g, d).map { $0 * $1 }, "in place n \(n)")
            let sum = vm_sum(g, n), dot = vm_dot(g, d, n)
            let scale = g.reduce(0) { $0 + Swift.abs($1) } + 1e-300
            #expect(Swift.abs(sum - g.reduce(0, +)) <= 1e-15 * scale, "sum n \(n)")
            #expect(Swift.abs(dot - zip(g, d).reduce(0) { $0 + $1.0 * $1.1 }) <= 1e-15 * scale, "dot n \(n)")
            #expect(vm_sum(g, n) == sum && vm_dot(g, d, n) == dot, "deterministic n \(n)")
        }
    }
}
