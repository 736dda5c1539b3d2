@testable import Engine
import Testing

/// Backward buffers placed in a requested gradient's storage before that
/// gradient is first written (`GradientStorageLending`).
@Suite struct GradientStorageLendingTests {
    /// A small MLP (W2's shape of layers, weights larger than a batch's
    /// activations): the last layers' gradients die long before the first
    /// layers' weight gradients are written.
    static let shapes = [[16, 32], [32, 48], [48, 48], [48, 5], [48], [48], [5]]
    static func mlp(_ v: [Tensor]) -> Tensor {
        var h = v[0]
        for l in 0..<2 { h = relu(matmul(h, v[1 + l]) + v[4 + l]) }
        return square(matmul(h, v[3]) + v[6]).sum()
    }
    static let requested = Array(1..<7)

    static func lent(_ program: Program) -> [(id: Int, host: Int, offset: Int)] {
        program.schedule.buffers.indices.compactMap { id in
            guard case let .lent(host, offset) = program.schedule.buffers[id].storage else { return nil }
            return (id, host, offset)
        }
    }

    /// b is written over c, at c's offset, by the step where c dies.
    static func isInPlace(_ b: (id: Int, host: Int, offset: Int), over c: (id: Int, host: Int, offset: Int),
                          _ schedule: Schedule, _ liveness: Liveness) -> Bool {
        let step = liveness.firstStep[b.id]
        return b.offset == c.offset && liveness.lastStep[c.id] == step
            && schedule.steps[step].access.mayOverwrite.contains { $0 == (b.id, c.id) }
    }

    @Test func lentBuffersDieBeforeTheirHostIsWrittenAndNeverOverlap() throws {
        let program = try Program(inputShapes: Self.shapes, gradientsFor: Self.requested, Self.mlp)
        let lent = Self.lent(program)
        #expect(!lent.isEmpty, "some backward buffer is lent")
        let schedule = program.schedule, liveness = schedule.liveness()
        var inPlacePairs = 0
        let gradients = Set(schedule.externalBuffers.compactMap { slot, id -> Int? in
            if case .gradient = slot { return id }
            return nil
        })
        for b in lent {
            #expect(gradients.contains(b.host))
            #expect(liveness.firstStep[b.id] >= schedule.forwardCount, "first touched in the backward pass")
            #expect(liveness.lastStep[b.id] < liveness.firstStep[b.host], "dead before its host is written")
            #expect(b.offset % 64 == 0 && b.offset + schedule.buffers[b.id].bytes <= schedule.buffers[b.host].bytes)
            for c in lent where c.id != b.id && c.host == b.host {
                let together = liveness.firstStep[b.id] <= liveness.lastStep[c.id]
                    && liveness.firstStep[c.id] <= liveness.lastStep[b.id]
                let apart = b.offset + schedule.buffers[b.id].bytes <= c.offset
                    || c.offset + schedule.buffers[c.id].bytes <= b.offset
                // Or in place: one written over the other by the step where that one dies.
                let inPlace = Self.isInPlace(b, over: c, schedule, liveness)
                if inPlace { inPlacePairs += 1 }
                #expect(!together || apart || inPlace || Self.isInPlace(c, over: b, schedule, liveness),
                        "buffers \(b.id) and \(c.id) overlap in time and in their host")
            }
        }
        // The fused bias and relu backward writes each layer's gradient over its upstream, lent or not.
        #expect(inPlacePairs > 0, "an in-place pair is lent together")
        #expect(program.memoryPlan.buffers.count < schedule.buffers.filter(\.inArena).count, "they left the arena")
        #expect(program.memoryReport(name: "mlp").bytes.inGradientStorage == lent.reduce(0) {
            $0 + schedule.buffers[$1.id].bytes
        })
    }

    @Test func runsAgreeWithTheEagerScheduleAndReuseTheirResult() throws {
        let program = try Program(inputShapes: Self.shapes, gradientsFor: Self.requested, Self.mlp)
        let eager = try Program(inputShapes: Self.shapes, gradientsFor: Self.requested,
                                options: ProgramOptions(memory: .eager), Self.mlp)
        #expect(Self.lent(eager).isEmpty, "eager buffers have memory of their own")
        let x = Self.shapes.enumerated().map { testInput(shape: $1, salt: $0 + 3) }
        let expected = try eager.run(x)
        #expect(try program.run(x) == expected, "the same steps, the same bits")
        // A result from another run (gradients already in its storage) is written over.
        let y = Self.shapes.enumerated().map { testInput(shape: $1, salt: $0 + 40) }
        var result = try program.run(y)
        try program.run(x, into: &result)
        #expect(result == expected)
        // Each gradient reported ready holds its final value then.
        var ready: [Int: [Double]] = [:]
        try program.run(x, into: &result) { k, g in ready[k] = Array(g) }
        for k in Self.requested.indices { #expect(ready[k] == expected.gradients[k].scalars, "gradient \(k)") }
        // The forward pass alone never touches a lent buffer (no gradient is bound).
        #expect(try program.value(x) == expected.value)
    }
}
