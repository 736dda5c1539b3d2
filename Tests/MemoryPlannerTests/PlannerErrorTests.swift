import Testing
@testable import MemoryPlanner

@Suite struct PlannerErrorTests {
    func error(_ buffers: [Buffer], steps: Int = 4, strategies: [Strategy] = Strategy.allCases) -> PlannerError? {
        do {
            _ = try Planner.plan(buffers, stepCount: steps, strategies: strategies)
            return nil
        } catch {
            return error
        }
    }

    let ok = Buffer(size: 64, firstStep: 0, lastStep: 1)

    @Test func negativeStepCount() {
        #expect(error([], steps: -1) == .negativeStepCount(-1))
    }

    /// `takeovers` checks its request as `plan` does.
    @Test func takeoversRejectWhatPlanRejects() {
        let bad = [ok, Buffer(size: -8, firstStep: 0, lastStep: 0)]
        #expect(throws: PlannerError.negativeSize(buffer: 1, size: -8)) { try Planner.takeovers(bad, stepCount: 4) }
    }

    @Test func negativeSize() {
        #expect(error([ok, Buffer(size: -8, firstStep: 0, lastStep: 0)]) == .negativeSize(buffer: 1, size: -8))
    }

    @Test(arguments: [0, -64, 3, 48, 100])
    func alignmentNotAPowerOfTwo(alignment: Int) {
        #expect(error([Buffer(size: 8, alignment: alignment, firstStep: 0, lastStep: 0)])
                == .invalidAlignment(buffer: 0, alignment: alignment))
    }

    @Test func firstStepOutOfRange() {
        #expect(error([ok, Buffer(size: 8, firstStep: 4, lastStep: 4)]) == .firstStepOutOfRange(buffer: 1, step: 4, stepCount: 4))
        #expect(error([Buffer(size: 8, firstStep: -1, lastStep: 0)]) == .firstStepOutOfRange(buffer: 0, step: -1, stepCount: 4))
    }

    @Test func lastStepOutOfRange() {
        #expect(error([Buffer(size: 8, firstStep: 2, lastStep: 9)]) == .lastStepOutOfRange(buffer: 0, step: 9, stepCount: 4))
    }

    @Test func lastStepBeforeFirstStep() {
        #expect(error([ok, ok, Buffer(size: 8, firstStep: 3, lastStep: 1)])
                == .lastStepBeforeFirstStep(buffer: 2, firstStep: 3, lastStep: 1))
    }

    @Test func stepsAreCheckedForPinnedBuffersToo() {
        #expect(error([Buffer(size: 8, firstStep: 0, lastStep: 7, isPinned: true)])
                == .lastStepOutOfRange(buffer: 0, step: 7, stepCount: 4))
    }

    @Test func anyBufferIsOutOfRangeWithoutSteps() {
        #expect(error([Buffer.pinned(size: 8)], steps: 0) == .firstStepOutOfRange(buffer: 0, step: 0, stepCount: 0))
    }

    @Test func candidateOutOfRange() {
        #expect(error([ok, Buffer(size: 8, firstStep: 1, lastStep: 1, inPlaceCandidates: [0, 2])])
                == .candidateOutOfRange(buffer: 1, candidate: 2, bufferCount: 2))
        #expect(error([Buffer(size: 8, firstStep: 1, lastStep: 1, inPlaceCandidates: [-1])])
                == .candidateOutOfRange(buffer: 0, candidate: -1, bufferCount: 1))
    }

    @Test func candidateIsSelf() {
        #expect(error([ok, Buffer(size: 8, firstStep: 1, lastStep: 1, inPlaceCandidates: [1])]) == .candidateIsSelf(buffer: 1))
    }

    @Test func totalSizeOverflow() {
        let huge = Buffer(size: Int.max / 2, alignment: 1, firstStep: 0, lastStep: 0)
        #expect(error([huge, huge, huge]) == .totalSizeOverflow)
        #expect(error([Buffer(size: 1, alignment: 1 << 62, firstStep: 0, lastStep: 0)]) == .totalSizeOverflow)
    }

    @Test func noStrategies() {
        #expect(error([ok], strategies: []) == .noStrategies)
    }

    @Test func theFirstBadBufferIsReported() {
        let bad = [ok, Buffer(size: 8, alignment: 3, firstStep: 0, lastStep: 0), Buffer(size: -1, firstStep: 0, lastStep: 0)]
        #expect(error(bad) == .invalidAlignment(buffer: 1, alignment: 3))
    }

    @Test func messagesNameTheBufferAndTheProblem() {
        #expect(PlannerError.lastStepBeforeFirstStep(buffer: 2, firstStep: 3, lastStep: 1).description
                == "buffer 2: last step 1 is before first step 3")
        #expect(PlannerError.invalidAlignment(buffer: 5, alignment: 48).description == "buffer 5: alignment 48 is not a power of two")
        #expect(PlannerError.candidateOutOfRange(buffer: 1, candidate: 9, bufferCount: 3).description
                == "buffer 1: in-place candidate 9 is not a buffer index in 0..<3")
        #expect(PlannerError.firstStepOutOfRange(buffer: 0, step: 4, stepCount: 4).description == "buffer 0: first step 4 is outside 0..<4")
    }
}
