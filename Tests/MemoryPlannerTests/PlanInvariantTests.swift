import Testing
@testable import MemoryPlanner

/// `validate()` finds each kind of broken plan.
@Suite struct PlanInvariantTests {
    /// A valid plan: A and B overlap in time, C takes A over in place at step 1.
    let buffers = [
        Buffer(size: 64, firstStep: 0, lastStep: 1),
        Buffer(size: 64, firstStep: 0, lastStep: 2),
        Buffer(size: 64, firstStep: 1, lastStep: 2, inPlaceCandidates: [0]),
    ]

    func plan(offsets: [Int] = [0, 64, 0], arena: Int = 128, aliases: [InPlaceAlias]? = nil, buffers: [Buffer]? = nil) -> Plan {
        let valid = try! Planner.plan(self.buffers, stepCount: 3)
        return Plan(
            buffers: buffers ?? self.buffers, stepCount: 3, offsets: offsets, arenaSize: arena, strategy: valid.strategy,
            aliases: aliases ?? valid.aliases, arenaSizeByStrategy: valid.arenaSizeByStrategy, statistics: valid.statistics)
    }

    func violation(_ plan: Plan) -> PlanViolation? {
        do {
            try plan.validate()
            return nil
        } catch {
            return error
        }
    }

    @Test func theValidPlanPasses() throws {
        let planned = try Planner.plan(buffers, stepCount: 3)
        #expect(planned.offsets == [0, 64, 0])
        #expect(planned.aliases == [InPlaceAlias(buffer: 2, reuses: 0, step: 1)])
        #expect(violation(plan()) == nil)
    }

    @Test func offsetCount() {
        #expect(violation(plan(offsets: [0, 64])) == .offsetCountMismatch(offsets: 2, buffers: 3))
    }

    @Test func negativeOffset() {
        #expect(violation(plan(offsets: [0, -64, 0])) == .negativeOffset(buffer: 1, offset: -64))
    }

    @Test func misaligned() {
        #expect(violation(plan(offsets: [0, 96, 0], arena: 160)) == .misaligned(buffer: 1, offset: 96, alignment: 64))
    }

    @Test func outsideArena() {
        #expect(violation(plan(arena: 100)) == .outsideArena(buffer: 1, offset: 64, size: 64, arenaSize: 100))
    }

    @Test func overlap() {
        let expected = PlanViolation.overlap(buffer: 0, bytes: 0..<64, other: 1, otherBytes: 0..<64, step: 0)
        #expect(violation(plan(offsets: [0, 0, 0], arena: 64)) == expected)
        #expect(expected.description == "buffers 0 (bytes 0..<64) and 1 (bytes 0..<64) are both live at step 0 and overlap")
    }

    @Test func overlapFromBelow() {
        let shifted = [Buffer(size: 100, alignment: 4, firstStep: 0, lastStep: 1)] + buffers.dropFirst()
        #expect(violation(plan(offsets: [0, 64, 0], arena: 128, aliases: [], buffers: shifted))
                == .overlap(buffer: 0, bytes: 0..<100, other: 1, otherBytes: 64..<128, step: 0))
    }

    @Test func sharingWithoutTakeoverIsAnOverlap() {
        #expect(violation(plan(aliases: []))
                == .overlap(buffer: 0, bytes: 0..<64, other: 2, otherBytes: 0..<64, step: 1))
    }

    @Test func illegalTakeovers() {
        let notListed = InPlaceAlias(buffer: 1, reuses: 0, step: 0)
        #expect(violation(plan(aliases: [notListed])) == .illegalAlias(notListed, .notACandidate))

        let wrongStep = InPlaceAlias(buffer: 2, reuses: 0, step: 2)
        #expect(violation(plan(aliases: [wrongStep])) == .illegalAlias(wrongStep, .wrongStep(recorded: 2, takerFirstStep: 1)))

        var late = buffers
        late[0].lastStep = 2
        let alias0 = InPlaceAlias(buffer: 2, reuses: 0, step: 1)
        #expect(violation(plan(buffers: late)) == .illegalAlias(alias0, .stepMismatch(reusedLastStep: 2, takerFirstStep: 1)))

        let alias = InPlaceAlias(buffer: 2, reuses: 0, step: 1)
        #expect(violation(plan(offsets: [0, 64, 128], arena: 192)) == .illegalAlias(alias, .differentOffset(takerOffset: 128, reusedOffset: 0)))

        var larger = buffers
        larger[2].size = 65
        #expect(violation(plan(arena: 128, buffers: larger)) == .illegalAlias(alias, .tooLarge(takerSize: 65, reusedSize: 64)))

        var pinned = buffers
        pinned[0].isPinned = true
        #expect(violation(plan(buffers: pinned)) == .illegalAlias(alias, .pinned(buffer: 0)))

        var aligned = buffers
        aligned[2].alignment = 128
        #expect(violation(plan(buffers: aligned)) == .illegalAlias(alias, .strongerAlignment(takerAlignment: 128, reusedAlignment: 64)))

        #expect(violation(plan(aliases: [alias, alias])) == .illegalAlias(alias, .takesTwice))
        let outOfRange = InPlaceAlias(buffer: 7, reuses: 0, step: 1)
        #expect(violation(plan(aliases: [outOfRange])) == .aliasOutOfRange(outOfRange))
    }

    @Test func takeoverCycle() {
        let loop = [
            Buffer(size: 64, firstStep: 1, lastStep: 1, inPlaceCandidates: [1]),
            Buffer(size: 64, firstStep: 1, lastStep: 1, inPlaceCandidates: [0]),
        ]
        let a = InPlaceAlias(buffer: 0, reuses: 1, step: 1), b = InPlaceAlias(buffer: 1, reuses: 0, step: 1)
        let bad = Plan(
            buffers: loop, stepCount: 3, offsets: [0, 0], arenaSize: 64, strategy: .greedyBySize, aliases: [a, b],
            arenaSizeByStrategy: [], statistics: PlanStatistics(lowerBound: 64, naive: 128, eager: 64, planned: 64, liveBytes: [], eagerHighWater: []))
        #expect(violation(bad) == .illegalAlias(b, .cycle))
        // The planner takes one of the two only.
        let planned = try! Planner.plan(loop, stepCount: 3)
        #expect(planned.aliases == [a])
        #expect(violation(planned) == nil)
    }

    @Test func reusedTwice() {
        let fork = [
            Buffer(size: 64, firstStep: 0, lastStep: 1),
            Buffer(size: 64, firstStep: 1, lastStep: 2, inPlaceCandidates: [0]),
            Buffer(size: 64, firstStep: 1, lastStep: 2, inPlaceCandidates: [0]),
        ]
        let a = InPlaceAlias(buffer: 1, reuses: 0, step: 1), b = InPlaceAlias(buffer: 2, reuses: 0, step: 1)
        let bad = Plan(
            buffers: fork, stepCount: 3, offsets: [0, 0, 0], arenaSize: 64, strategy: .greedyBySize, aliases: [a, b],
            arenaSizeByStrategy: [], statistics: PlanStatistics(lowerBound: 64, naive: 192, eager: 64, planned: 64, liveBytes: [], eagerHighWater: []))
        #expect(violation(bad) == .illegalAlias(b, .reusedTwice))
        let planned = try! Planner.plan(fork, stepCount: 3)
        #expect(planned.aliases == [a])
    }

    @Test func arenaBelowLowerBound() {
        // Zero-size buffers fit anywhere, so only the bound can catch a too-small arena here.
        let empty = [Buffer(size: 0, firstStep: 0, lastStep: 0), Buffer(size: 0, firstStep: 0, lastStep: 0)]
        let tiny = Plan(
            buffers: [Buffer(size: 64, firstStep: 0, lastStep: 0)] + empty, stepCount: 3, offsets: [0, 0, 0], arenaSize: 64,
            strategy: .greedyBySize, aliases: [], arenaSizeByStrategy: [],
            statistics: PlanStatistics(lowerBound: 0, naive: 0, eager: 0, planned: 0, liveBytes: [], eagerHighWater: []))
        #expect(violation(tiny) == nil)
        let liar = Plan(
            buffers: [Buffer(size: 64, firstStep: 0, lastStep: 0)], stepCount: 1, offsets: [0], arenaSize: 64,
            strategy: .greedyBySize, aliases: [], arenaSizeByStrategy: [],
            statistics: PlanStatistics(lowerBound: 0, naive: 0, eager: 0, planned: 0, liveBytes: [], eagerHighWater: []))
        #expect(violation(liar) == nil)
    }

    @Test func invalidRequest() {
        var broken = buffers
        broken[1].lastStep = 5
        #expect(violation(plan(buffers: broken)) == .invalidRequest(.lastStepOutOfRange(buffer: 1, step: 5, stepCount: 3)))
    }
}
