@testable import Engine
import SparseJacobian
import Testing

/// How the backward pass is put together: which steps run, and on what.
@Suite struct BackwardStructureTests {
    @Test func onlyThePathBetweenRequestedInputsAndOutputIsDifferentiated() throws {
        // y depends on a (requested) and on b (not requested) through its own tanh.
        let f: ([Tensor]) -> Tensor = { v in (v[0] * 2 + tanh(v[1])).sum() }
        let program = try Program(inputShapes: [[4], [4]], gradientsFor: [0], options: ProgramOptions(optimizeMemory: false), f)
        let labels = program.schedule.steps[program.schedule.forwardCount...].map(\.label)
        #expect(!labels.contains { $0.hasPrefix("∂tanh") })
        #expect(labels.contains { $0.hasPrefix("∂scale") })
        // Fused: tanh is in the region but off the path, so its value is not recomputed.
        let fused = try Program(inputShapes: [[4], [4]], gradientsFor: [0], f)
        let region = fused.graph.nodes.indices.first { if case .region = fused.graph.nodes[$0].kind { true } else { false } }!
        let path = GradientPath(graph: fused.graph, output: fused.graph.nodes.count - 1, gradientInputs: [0])
        let plan = try #require(SavedValueChoice(graph: fused.graph, path: path).regionPlans[region])
        guard case let .region(r, _) = fused.graph.nodes[region].kind else { Issue.record("not a region"); return }
        let tanhMember = r.members.firstIndex { $0.op.name == "tanh" }!
        #expect(!plan.memberOnPath[tanhMember] && !plan.recompute.contains(tanhMember))
    }

    @Test func stepsFollowTheDeclaredStructure() throws {
        let a = try SparseMatrix.gridLaplacian(side: 3, shift: 1)
        let program = try Program(inputShapes: [[a.pattern.nonzeroCount], [9, 2], [2, 2]], gradientsFor: [0, 1, 2],
                                  options: ProgramOptions(optimizeMemory: false)) { v in
            relu(matmul(matmul(a.pattern, values: v[0], v[1]), v[2])).sum()
        }
        let kinds = program.schedule.steps[program.schedule.forwardCount...].map { "\(type(of: $0))" }
        #expect(kinds.contains("DiagonalStep"))  // relu
        #expect(kinds.contains("SparseStep"))    // ∂(A·X)/∂X through sdmult
        #expect(kinds.contains("DenseStep"))     // matmul rules and the SDDMM
    }

    @Test func aValueUsedTwiceGetsBothGradientsSummed() throws {
        let program = try Program(inputShapes: [[3]], gradientsFor: [0]) { v in (v[0] * v[0] + exp(v[0])).sum() }
        let x = TensorValue([0.5, -1, 2])
        let g = try program.run([x]).gradients[0]
        for k in 0..<3 { #expect(Swift.abs(g.scalars[k] - (2 * x.scalars[k] + _exp(x.scalars[k]))) < 1e-14) }
    }

    @Test func gradientOfAnIgnoredInputIsZero() throws {
        let program = try Program(inputShapes: [[2], [3]], gradientsFor: [0, 1]) { v in v[1].sum() }
        let result = try program.run([TensorValue([1, 2]), TensorValue([1, 2, 3])])
        #expect(result.gradients[0].scalars == [0, 0])
        #expect(result.gradients[1].scalars == [1, 1, 1])
    }

    @Test func programsRunManyTimesWithoutRetracing() throws {
        var traces = 0
        let program = try Program(inputShapes: [[]], gradientsFor: [0]) { v in traces += 1; return v[0] * v[0] }
        for x in [1.0, -2, 3.5] {
            let result = try program.run([TensorValue(x)])
            #expect(result.value.scalar == x * x && result.gradients[0].scalar == 2 * x)
        }
        #expect(traces == 1)
    }

    @Test func saveOnlyWhatTheRuleReads() throws {
        // tanh saves its output, add saves nothing: after tanh's backward step the
        // input x (not read by any rule) must already be dead.
        let program = try Program(inputShapes: [[4]], gradientsFor: [0], options: ProgramOptions(optimizeMemory: false)) { v in
            (tanh(v[0] * 3) + 1).sum()
        }
        let scale = program.schedule.buffers.firstIndex { $0.role == .value && program.graph.nodes[$0.node].name == "scale(3.0)" }!
        // scale's output feeds tanh only; tanh's rule reads tanh's output, not its input.
        #expect(program.schedule.liveness().lastStep[scale] < program.schedule.forwardCount)
    }
}

private func _exp(_ x: Double) -> Double { Foundation.exp(x) }
import Foundation
