import Testing
@testable import MemoryPlanner

/// Small plans whose exact layout is drawn in the test: the picture is the assertion.
/// Rows are `unit` bytes of the arena (offset on the left), columns are steps.
@Suite struct PlanPictureTests {
    /// Plans, checks the invariants, and returns the picture.
    func draw(_ buffers: [Buffer], steps: Int, unit: Int = 64, strategies: [Strategy] = Strategy.allCases) throws -> String {
        let plan = try Planner.plan(buffers, stepCount: steps, strategies: strategies)
        try plan.validate()
        return picture(plan, unit: unit)
    }

    @Test func chainOfThreeReusesTheFirstBuffer() throws {
        // A feeds B feeds C: A is dead when C is written, so C takes A's bytes.
        let buffers = [
            Buffer(size: 64, firstStep: 0, lastStep: 1),
            Buffer(size: 64, firstStep: 1, lastStep: 2),
            Buffer(size: 64, firstStep: 2, lastStep: 3),
        ]
        let drawn1 = try draw(buffers, steps: 4)
        #expect(drawn1 == """
                 0123
               0 AACC
              64 .BB.
            arena 128 by greedyBySize, lower bound 128, eager 128, naive 192
            """)
    }

    @Test func inPlaceChainSharesOneSlot() throws {
        // B is written in place of A at step 1, C in place of B at step 2 (`*`: the hand-over step).
        let buffers = [
            Buffer(size: 64, firstStep: 0, lastStep: 1),
            Buffer(size: 64, firstStep: 1, lastStep: 2, inPlaceCandidates: [0]),
            Buffer(size: 64, firstStep: 2, lastStep: 3, inPlaceCandidates: [1]),
            Buffer(size: 64, firstStep: 1, lastStep: 2),
        ]
        let plan = try Planner.plan(buffers, stepCount: 4)
        try plan.validate()
        #expect(picture(plan, unit: 64) == """
                 0123
               0 A**C
              64 .DD.
            arena 128 by greedyBySize, lower bound 128, eager 128, naive 256
            """)
        #expect(plan.aliases == [InPlaceAlias(buffer: 1, reuses: 0, step: 1), InPlaceAlias(buffer: 2, reuses: 1, step: 2)])
        #expect(plan.statistics.liveBytes == [64, 128, 128, 64])
    }

    @Test func pinnedBuffersSpanTheWholeRun() throws {
        // A (input) and B (output) are pinned; C, D, E are temporaries.
        let buffers = [
            Buffer.pinned(size: 64),
            Buffer.pinned(size: 64),
            Buffer(size: 128, firstStep: 0, lastStep: 1),
            Buffer(size: 64, firstStep: 1, lastStep: 2),
            Buffer(size: 128, firstStep: 2, lastStep: 3),
        ]
        let drawn2 = try draw(buffers, steps: 4)
        #expect(drawn2 == """
                 0123
               0 CCEE
              64 CCEE
             128 AAAA
             192 BBBB
             256 .DD.
            arena 320 by greedyBySize, lower bound 320, eager 320, naive 448
            """)
    }

    @Test func greedyBySizeBeatsEager() throws {
        // Eager puts A and B at step 0, frees A, and then C does not fit in A's hole.
        let buffers = [
            Buffer(size: 64, firstStep: 0, lastStep: 0),
            Buffer(size: 64, firstStep: 0, lastStep: 2),
            Buffer(size: 128, firstStep: 1, lastStep: 2),
        ]
        let drawn3 = try draw(buffers, steps: 3, strategies: [.firstFitByStart])
        #expect(drawn3 == """
                 012
               0 A..
              64 BBB
             128 .CC
             192 .CC
            arena 256 by firstFitByStart, lower bound 192, eager 256, naive 256
            """)
        let drawn4 = try draw(buffers, steps: 3)
        #expect(drawn4 == """
                 012
               0 ACC
              64 .CC
             128 BBB
            arena 192 by greedyBySize, lower bound 192, eager 256, naive 256
            """)
        let plan = try Planner.plan(buffers, stepCount: 3)
        #expect(plan.statistics.eagerHighWater == [128, 256, 256])
    }

    @Test func alignmentPaddingIsReused() throws {
        // B (40 bytes, 32-aligned) then A (20 bytes, 16-aligned) leaves bytes 40..<48 as padding;
        // C (8 bytes, 8-aligned) fits in it. Lower case: a row only partly covered.
        let buffers = [
            Buffer(size: 20, alignment: 16, firstStep: 0, lastStep: 1),
            Buffer(size: 40, alignment: 32, firstStep: 0, lastStep: 1),
            Buffer(size: 8, alignment: 8, firstStep: 1, lastStep: 2),
        ]
        let drawn5 = try draw(buffers, steps: 3, unit: 8)
        #expect(drawn5 == """
                 012
               0 BB.
               8 BB.
              16 BB.
              24 BB.
              32 BB.
              40 .CC
              48 AA.
              56 AA.
              64 aa.
            arena 68 by greedyBySize, lower bound 68, eager 72, naive 104
            """)
    }

    @Test func greedyByBreadthPlacesTheWidestStepFirst() throws {
        // Step 1 is the widest (A, B, C live); its buffers go first, largest first, then D at step 3.
        let buffers = [
            Buffer(size: 128, firstStep: 0, lastStep: 1),
            Buffer(size: 64, firstStep: 1, lastStep: 2),
            Buffer(size: 64, firstStep: 1, lastStep: 1),
            Buffer(size: 192, firstStep: 3, lastStep: 3),
        ]
        let drawn6 = try draw(buffers, steps: 4, strategies: [.greedyByBreadth])
        #expect(drawn6 == """
                 0123
               0 AA.D
              64 AA.D
             128 .BBD
             192 .C..
            arena 256 by greedyByBreadth, lower bound 256, eager 256, naive 448
            """)
    }
}
