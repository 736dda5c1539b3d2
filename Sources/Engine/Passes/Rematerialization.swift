/// Schedule pass: recomputes saved values in the backward pass instead of
/// keeping them from the forward pass, chosen by the planner's real arena.
///
/// A candidate is a forward step whose op allows recomputation
/// (`Recomputation.Rule`, declared per op) and whose arena outputs a backward
/// step (or another candidate) reads. It is tried together with the
/// candidates producing its inputs that die in the forward pass (a relu's
/// input, written over by it), since keeping those for the clone saves nothing. Recomputing it clones the step into new
/// buffers right before the first backward step that reads them (after the
/// clones of any recomputed inputs), and points the backward reads at the
/// clone: the forward value then dies at its last forward use.
///
/// The choice is greedy by bytes saved per recompute cost, the method of
/// Chen et al.'s and Checkmate's greedy baselines, but judged by the planner:
/// each round plans every remaining candidate added to the chosen set and
/// takes the one that shrinks the planned arena most per equivalent byte of
/// recomputation (`Recomputation.equivalentBytes`); when none shrinks the
/// arena, the one that shrinks the live area (bytes × steps) most, so that
/// pairs that only help together (a value and the input its clone reads) can
/// be found. A final pass drops every choice (the most expensive first) whose
/// removal keeps the arena reached. Ties go to the earlier step, so the
/// choice is deterministic. Greedy rather than a min-cut because the judge is
/// the arena of a planned schedule, which no cut value models (the reason
/// proxies misjudge, pytorch#141881), and greedy over the few dozen saved
/// values of a model costs a few hundred plans of small problems.
///
/// Along the greedy path the arena never grows, so a budget takes the first
/// prefix that fits, and a smaller budget never gets a larger arena.
struct Rematerialization {
    struct Candidate {
        /// Index of the forward step in the schedule.
        let step: Int
        /// The buffers it writes (all in the arena).
        let outputs: [Int]
        let cost: Recomputation
        let label: String
        /// Node of the first output's buffer, for reports.
        let node: Int
    }

    /// What the pass chose, for `Program.savedValues` and the report.
    struct Outcome {
        /// The schedule the pass started from, and the one it chose.
        let source: Schedule
        let schedule: Schedule
        let recomputed: [Candidate]
        let candidates: [Candidate]
        let arena: Int
    }

    /// At most this many candidates (the largest) are considered: the cost is
    /// quadratic in their number.
    static let candidateLimit = 64
    /// `.automatic` recomputes at most this fraction of the run's estimated cost
    /// (`estimatedRunCost`). The estimate counts bytes and flops only, while a
    /// run's time also holds work that neither measures well (CHOLMOD, the
    /// gathers of a sampled product, BLAS on thin matrices): on W3 a fifth of
    /// the estimate is about a twentieth of the measured time.
    static let automaticCostFraction = 0.20
    /// `.automatic` also stops where the path stops paying: it keeps the last
    /// point of the greedy path reached from the previous kept point by saving
    /// at least this many arena bytes per equivalent byte recomputed. On W3 the
    /// first recomputation (A·X, 122 MiB) saves 123 MiB of arena for about
    /// 370 MB of recomputation (0.3) and costs no measurable time; the next
    /// saves 7 MiB for as much again (0.02) and costs a tenth of the run.
    static let automaticMinimumSaving = 0.10

    let schedule: Schedule
    let candidates: [Candidate]
    /// The candidate that writes each buffer.
    private let producer: [Int: Int]

    init(_ schedule: Schedule) {
        self.schedule = schedule
        let liveness = schedule.liveness()
        let steps = schedule.steps
        // Read by the backward pass, or by a later candidate (whose clone may need it): in reverse.
        var found: [Candidate] = []
        var readByCandidate = Set<Int>()
        for s in (0..<schedule.forwardCount).reversed() {
            guard let cost = Self.recomputation(of: steps[s]) else { continue }
            let outputs = steps[s].access.writes.map(\.buffer)
            guard !outputs.isEmpty,
                  outputs.allSatisfy({ schedule.buffers[$0].inArena && !schedule.buffers[$0].pinned }),
                  outputs.contains(where: { liveness.lastStep[$0] >= schedule.forwardCount || readByCandidate.contains($0) })
            else { continue }
            found.append(Candidate(step: s, outputs: outputs, cost: cost, label: steps[s].label,
                                   node: schedule.buffers[outputs[0]].node))
            readByCandidate.formUnion(steps[s].access.reads)
        }
        found.reverse()
        if found.count > Self.candidateLimit {
            let bytes = { (c: Candidate) in c.outputs.reduce(0) { $0.addingClamped(schedule.buffers[$1].bytes) } }
            found = Array(found.enumerated().sorted { (bytes($0.element), -$0.offset) > (bytes($1.element), -$1.offset) }
                .prefix(Self.candidateLimit).map(\.element)).sorted { $0.step < $1.step }
        }
        candidates = found
        var producer: [Int: Int] = [:]
        for (c, candidate) in found.enumerated() { for o in candidate.outputs { producer[o] = c } }
        self.producer = producer
        // A candidate comes with the producers of its inputs that die in the
        // forward pass: keeping those alive for the clone would save nothing.
        var bundles: [Set<Int>] = []
        for (c, candidate) in found.enumerated() {
            var bundle: Set<Int> = [c]
            for input in steps[candidate.step].access.reads {
                guard let p = producer[input], found[p].outputs.allSatisfy({ liveness.lastStep[$0] < schedule.forwardCount })
                else { continue }
                bundle.formUnion(bundles[p])
            }
            bundles.append(bundle)
        }
        self.bundles = bundles
    }

    /// Each candidate with the candidates it needs recomputed too (see `init`).
    private let bundles: [Set<Int>]

    /// The op's (or region's) recomputation, nil when it may not be recomputed.
    private static func recomputation(of step: any Step) -> Recomputation? {
        guard let cost = cost(of: step), cost.rule != .never else { return nil }
        return cost
    }

    /// The recomputation an op's (or region's) forward step declares; nil for other steps.
    private static func cost(of step: any Step) -> Recomputation? {
        if let forward = step as? ForwardStep {
            return forward.op.recomputation(inputShapes: forward.node.inputShapes, outputShape: forward.node.outputShape)
        }
        return (step as? RegionForwardStep)?.region.recomputation
    }

    /// A run's cost in equivalent bytes: the bytes its steps move, plus a
    /// quarter byte per flop of the forward ops, counted three times (forward,
    /// and about twice that backward).
    var estimatedRunCost: Int {
        let traffic = schedule.liveness().traffic.reduce(0) { $0.addingClamped($1) }
        let flops = schedule.steps[0..<schedule.forwardCount].reduce(0) { total, step in
            total.addingClamped(Self.cost(of: step)?.flops ?? 0)
        }
        return traffic.addingClamped(flops.multipliedClamped(by: 3) / 4)
    }

    // MARK: Drafts

    /// The schedule with the candidates in `chosen` recomputed.
    func draft(_ requested: Set<Int>) -> ScheduleDraft {
        var draft = ScheduleDraft(schedule)
        let chosen = cloned(requested)
        guard !chosen.isEmpty else { return draft }
        var fresh = BufferRenaming()
        for c in chosen.sorted() {
            for o in candidates[c].outputs { fresh.map[o] = append(copyOf: o, to: &draft) }
        }
        draft.entries = Array(draft.entries[0..<schedule.forwardCount])
        var emitted = Set<Int>()
        func emit(_ c: Int) {
            guard emitted.insert(c).inserted else { return }
            let step = schedule.steps[candidates[c].step]
            for input in step.access.reads { if let p = producer[input], chosen.contains(p) { emit(p) } }
            var renaming = fresh
            for s in step.access.scratch { renaming.map[s] = append(copyOf: s, to: &draft) }
            draft.entries.append(.init(source: candidates[c].step, renaming: renaming))
        }
        for b in schedule.forwardCount..<schedule.steps.count {
            let reads = schedule.steps[b].access.reads
            var renamed = false
            for r in reads {
                guard let p = producer[r], chosen.contains(p) else { continue }
                emit(p)
                renamed = true
            }
            draft.entries.append(.init(source: b, renaming: renamed ? fresh : BufferRenaming()))
        }
        return draft
    }

    /// The requested candidates a backward step, or the clone of another such
    /// candidate, reads: the ones a draft clones.
    func cloned(_ requested: Set<Int>) -> Set<Int> {
        var chosen = Set<Int>()
        func need(_ c: Int) {
            guard chosen.insert(c).inserted else { return }
            for input in schedule.steps[candidates[c].step].access.reads {
                if let p = producer[input], requested.contains(p) { need(p) }
            }
        }
        for b in schedule.forwardCount..<schedule.steps.count {
            for r in schedule.steps[b].access.reads { if let p = producer[r], requested.contains(p) { need(p) } }
        }
        return chosen
    }

    private func append(copyOf id: Int, to draft: inout ScheduleDraft) -> Int {
        let spec = schedule.buffers[id]
        draft.buffers.append(BufferSpec(role: spec.role, node: spec.node, shape: spec.shape, elements: spec.elements))
        return draft.buffers.count - 1
    }

    // MARK: Choosing

    /// The schedule the policy asks for, and what it recomputes.
    func run(_ policy: SavePolicy) throws(EngineError) -> Outcome {
        let base = try draft([]).score()
        guard let rule = policy.allowedRule, !candidates.isEmpty else { return outcome([], arena: base.arena) }
        if let bytes = policy.budgetBytes {
            if base.arena <= bytes { return outcome([], arena: base.arena) }
            let path = try greedyPath(rule: rule, from: base, costCap: .max, stopAt: bytes)
            if let fit = path.first(where: { $0.score.arena <= bytes }) { return outcome(fit.chosen, arena: fit.score.arena) }
            // The path ran out before fitting: it is minimum memory's path. Its end
            // may still fit once the passes after this one have run (the order
            // is chosen again around the clones), so `Program` judges the
            // final plan against the budget, and the error names that arena.
            return try outcome(prune(path.last?.chosen ?? [], to: path.last?.score ?? base))
        }
        let automatic = policy == .automatic
        let cap = automatic ? Int(Double(estimatedRunCost) * Self.automaticCostFraction) : .max
        let path = try greedyPath(rule: rule, from: base, costCap: cap)
        let end = automatic ? payingPrefix(path, from: base) : path.last
        return try outcome(prune(end?.chosen ?? [], to: end?.score ?? base))
    }

    /// The last point of `path` that each kept point reaches from the one
    /// before (the base first) saving at least `automaticMinimumSaving` arena
    /// bytes per equivalent byte recomputed; steps that only shorten lifetimes
    /// count with the saving they lead to.
    private func payingPrefix(_ path: [PathPoint], from base: ScheduleDraft.Score) -> PathPoint? {
        var kept: PathPoint?, keptArena = base.arena, keptCost = 0
        for point in path {
            let cost = point.chosen.reduce(0) { $0.addingClamped(candidates[$1].cost.equivalentBytes) }
            let saved = keptArena - point.score.arena
            if saved > 0, Double(saved) >= Self.automaticMinimumSaving * Double(cost - keptCost) {
                (kept, keptArena, keptCost) = (point, point.score.arena, cost)
            }
        }
        return kept
    }

    private func outcome(_ chosen: (chosen: Set<Int>, arena: Int)) -> Outcome { outcome(chosen.chosen, arena: chosen.arena) }

    private func outcome(_ chosen: Set<Int>, arena: Int) -> Outcome {
        Outcome(source: schedule, schedule: draft(chosen).materialized(), recomputed: cloned(chosen).sorted().map { candidates[$0] },
                candidates: candidates, arena: arena)
    }

    /// One point of the greedy path: the set chosen so far and its score.
    struct PathPoint {
        let chosen: Set<Int>
        let score: ScheduleDraft.Score
    }

    /// Adds candidates one at a time, each round the best by gain per cost, while
    /// something improves (and the total cost stays under `costCap`, and the
    /// arena is above `stopAt`).
    private func greedyPath(rule: Recomputation.Rule, from base: ScheduleDraft.Score, costCap: Int,
                            stopAt target: Int = -1) throws(EngineError) -> [PathPoint] {
        var chosen = Set<Int>(), current = base, spent = 0
        var path: [PathPoint] = []
        while current.arena > target {
            var best: (candidate: Int, score: ScheduleDraft.Score, arenaRate: Double, areaRate: Double)?
            for c in candidates.indices where !chosen.contains(c) {
                let added = bundles[c].subtracting(chosen)
                guard added.allSatisfy({ candidates[$0].cost.rule >= rule }) else { continue }
                let cost = max(added.reduce(0) { $0.addingClamped(candidates[$1].cost.equivalentBytes) }, 1)
                guard spent.addingClamped(cost) <= costCap else { continue }
                let trial = chosen.union(added)
                let score = try draft(trial).score()
                guard score.arena <= current.arena, score < current else { continue }
                let arenaRate = Double(current.arena - score.arena) / Double(cost)
                let areaRate = Double(current.area - score.area) / Double(cost)
                if let b = best, (b.arenaRate, b.areaRate) >= (arenaRate, areaRate) { continue }
                best = (c, score, arenaRate, areaRate)
            }
            guard let best else { break }
            let added = bundles[best.candidate].subtracting(chosen)
            chosen.formUnion(added)
            spent = spent.addingClamped(max(added.reduce(0) { $0.addingClamped(candidates[$1].cost.equivalentBytes) }, 1))
            current = best.score
            path.append(PathPoint(chosen: chosen, score: current))
        }
        return path
    }

    /// Drops choices, the most expensive first, while the arena stays at most the one reached.
    private func prune(_ chosen: Set<Int>, to reached: ScheduleDraft.Score) throws(EngineError) -> (chosen: Set<Int>, arena: Int) {
        var kept = chosen, arena = reached.arena
        let order = chosen.sorted { (candidates[$0].cost.equivalentBytes, $0) > (candidates[$1].cost.equivalentBytes, $1) }
        for c in order {
            var trial = kept
            trial.remove(c)
            let score = try draft(trial).score()
            if score.arena <= reached.arena {
                kept = trial
                arena = score.arena
            }
        }
        return (kept, arena)
    }
}
