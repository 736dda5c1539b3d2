import Foundation
import MemoryPlanner

/// How much memory a program's forward and backward pass takes, by strategy,
/// known before it runs: the figures of its `memoryPlan` in a form to print,
/// save (JSON), read (Markdown) and draw (SVG).
///
/// ```swift
/// let report = program.memoryReport(name: "my model")
/// print(report.markdown())
/// try report.json().write(to: URL(fileURLWithPath: "memory.json"))
/// try report.svg().write(toFile: "memory.svg", atomically: true, encoding: .utf8)
/// ```
public struct MemoryReport: Codable, Sendable, Equatable {
    /// Bytes of the run under each way of placing buffers.
    public struct Bytes: Codable, Sendable, Equatable {
        /// The most bytes live at any one step: no placement can use less.
        public var lowerBound: Int
        /// The planned arena.
        public var planned: Int
        /// A first-fit allocator that allocates at first write and frees after last read.
        public var eager: Int
        /// Every buffer its own memory for the whole run.
        public var naive: Int
        /// The program's inputs and the gradients (and output) it returns: bytes
        /// a run touches but does not own. With `optimizeMemory` (the default)
        /// they stay in the caller's tensors; without it they are also copied
        /// into pinned arena buffers, which the arena figures then include.
        public var inputs: Int
        public var gradients: Int
        public var output: Int
        /// Constants the program owns outside the arena (0 when they are in it).
        public var constants: Int
        /// Bytes ops hold outside the arena (sparse Cholesky factors).
        public var outsideArena: Int
        /// Bytes of backward buffers placed in the caller's gradient storage before
        /// those gradients are written (`GradientStorageLending`), not in the arena;
        /// nil in reports written before it existed.
        public var inGradientStorage: Int?
    }

    /// Memory in use at each step of the schedule, one series per strategy.
    public struct Timeline: Codable, Sendable, Equatable {
        /// Bytes live at the step (the lower bound's profile).
        public var live: [Int]
        /// Top of the planned arena in use at the step.
        public var planned: [Int]
        /// Top of the eager allocator's heap at the step.
        public var eager: [Int]
        /// Bytes allocated so far without reuse.
        public var naive: [Int]
    }

    /// Where one buffer sat in the planned arena and when: a rectangle of offset ×
    /// lifetime in the placement chart.
    public struct Placement: Codable, Sendable, Equatable {
        /// What the buffer holds, for the chart's colours.
        public enum Kind: String, Codable, Sendable {
            /// A program input or a returned gradient (live over the whole run).
            case input, gradient
            /// Any other buffer pinned for the whole run (the output).
            case pinned
            /// First written by a forward step, or by a backward step.
            case forward, backward
        }

        public var offset: Int
        public var size: Int
        /// The steps over which the buffer is live, inclusive.
        public var firstStep: Int
        public var lastStep: Int
        public var kind: Kind
    }

    /// A value the backward pass reads: kept from the forward pass or recomputed
    /// (`Program.memoryChoices`), its bytes and what recomputing it costs.
    public struct Value: Codable, Sendable, Equatable {
        public var kind: String
        public var op: String
        public var shape: [Int]
        public var bytes: Int
        /// "allowed", "expensive" or "never".
        public var recomputeRule: String
        public var recomputeFlops: Int
        public var recomputeBytes: Int
    }

    /// The policy, the values, and the memory-aware order's effect.
    public struct Choices: Codable, Sendable, Equatable {
        public var policy: String
        public var values: [Value]
        public var lowerBoundBeforeOrder: Int
        public var lowerBoundAfterOrder: Int
        public var arenaBeforeOrder: Int
        public var arenaSavingEverything: Int
    }

    public var name: String
    /// Absent in reports written before the save policies existed.
    public var choices: Choices?
    public var steps: Int
    /// Steps `0..<forwardSteps` are the forward pass.
    public var forwardSteps: Int
    public var buffers: Int
    /// In-place takeovers the plan made.
    public var inPlaceTakeovers: Int
    /// The strategy whose arena was kept.
    public var strategy: String
    /// Arena bytes of every strategy tried.
    public var arenaByStrategy: [String: Int]
    public var bytes: Bytes
    /// (planned − lower bound) / lower bound.
    public var fragmentation: Double
    public var timeline: Timeline
    /// Every buffer of the plan with its offset and lifetime (zero-size buffers left out).
    public var placements: [Placement]

    /// The report as pretty-printed JSON with sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}

extension Program {
    /// The memory report of this program, from its plan (nothing runs).
    public func memoryReport(name: String) -> MemoryReport {
        let plan = memoryPlan, stats = plan.statistics
        let steps = max(schedule.steps.count, 1)
        var plannedTop = [Int](repeating: 0, count: steps)
        var allocated = [Int](repeating: 0, count: steps)
        for (id, buffer) in plan.buffers.enumerated() {
            let first = buffer.isPinned ? 0 : buffer.firstStep, last = buffer.isPinned ? steps - 1 : buffer.lastStep
            for s in first...last { plannedTop[s] = max(plannedTop[s], plan.offsets[id] + buffer.size) }
            allocated[first] = allocated[first].addingClamped((buffer.size + buffer.alignment - 1) / buffer.alignment * buffer.alignment)
        }
        for s in allocated.indices.dropFirst() { allocated[s] = allocated[s].addingClamped(allocated[s - 1]) }
        let inputBytes = schedule.externalBytes(where: Self.isInput)
        let gradientBytes = schedule.externalBytes(where: Self.isGradient)
        let outputBytes = schedule.externalBytes(where: Self.isOutput)
        // The arena's buffers by what they hold (baseline copies of inputs and gradients are pinned roles).
        let placements = plan.buffers.indices.compactMap { id -> MemoryReport.Placement? in
            let buffer = plan.buffers[id], spec = schedule.buffers[plannedBufferIDs[id]]
            guard buffer.size > 0 else { return nil }
            let kind: MemoryReport.Placement.Kind = spec.role == .input ? .input : spec.role == .gradient && buffer.isPinned
                ? .gradient : buffer.isPinned ? .pinned : buffer.firstStep < schedule.forwardCount ? .forward : .backward
            return .init(offset: plan.offsets[id], size: buffer.size, firstStep: buffer.isPinned ? 0 : buffer.firstStep,
                         lastStep: buffer.isPinned ? steps - 1 : buffer.lastStep, kind: kind)
        }
        let c = memoryChoices
        let choices = MemoryReport.Choices(
            policy: c.policy.name,
            values: c.values.map { value in
                let rule: String
                switch value.recomputation.rule {
                case .allowed: rule = "allowed"
                case .expensive: rule = "expensive"
                case .never: rule = "never"
                }
                return .init(kind: value.kind.rawValue, op: value.op, shape: value.shape, bytes: value.bytes,
                             recomputeRule: rule, recomputeFlops: value.recomputation.flops,
                             recomputeBytes: value.recomputation.bytes)
            },
            lowerBoundBeforeOrder: c.lowerBoundBeforeOrder, lowerBoundAfterOrder: c.lowerBoundAfterOrder,
            arenaBeforeOrder: c.arenaBeforeOrder, arenaSavingEverything: c.arenaSavingEverything)
        return MemoryReport(
            name: name, choices: choices, steps: schedule.steps.count, forwardSteps: schedule.forwardCount,
            buffers: plan.buffers.count, inPlaceTakeovers: plan.aliases.count, strategy: plan.strategy.rawValue,
            arenaByStrategy: Dictionary(uniqueKeysWithValues: plan.arenaSizeByStrategy.map { ($0.strategy.rawValue, $0.arenaSize) }),
            bytes: .init(lowerBound: stats.lowerBound, planned: stats.planned, eager: stats.eager, naive: stats.naive,
                         inputs: inputBytes, gradients: gradientBytes, output: outputBytes,
                         constants: schedule.constantBytes,
                         outsideArena: schedule.externalBytes, inGradientStorage: schedule.lentBytes),
            fragmentation: stats.fragmentation,
            timeline: .init(live: stats.liveBytes, planned: plannedTop, eager: stats.eagerHighWater, naive: allocated),
            placements: placements)
    }

    private static func isInput(_ slot: ExternalSlot) -> Bool {
        if case .input = slot { return true }
        return false
    }

    /// The output and the auxiliary outputs.
    private static func isOutput(_ slot: ExternalSlot) -> Bool {
        switch slot {
        case .output, .auxiliary: return true
        default: return false
        }
    }

    private static func isGradient(_ slot: ExternalSlot) -> Bool {
        if case .gradient = slot { return true }
        return false
    }
}
