/// A fused region that ends the program in sums (a scalar loss), run forward
/// and backward in one pass: its upstream gradient is the seed, known before
/// the run, so each chunk computes the members, adds its share of the sums
/// and back-propagates at once, and no member is computed twice. A
/// forward-only run (`Program.value`) runs the forward step alone.
/// Cost: one evaluation of each member per element, against two for a
/// forward step followed by a backward step that recomputes.
final class RegionOnePassStep: Step {
    let forward: RegionForwardStep
    let pass: RegionBackwardStep

    init(forward: RegionForwardStep, pass: RegionBackwardStep) {
        precondition(pass.computesSums, "the one-pass step computes the sums in its backward step")
        self.forward = forward
        self.pass = pass
    }

    var label: String { forward.region.name }
    var writesKind: String { "gradient" }

    var access: StepAccess {
        let f = forward.access, b = pass.access
        return StepAccess(reads: f.reads + b.reads.filter { !f.reads.contains($0) }, writes: b.writes,
                          scratch: f.scratch + b.scratch.filter { !f.scratch.contains($0) }, mayOverwrite: b.mayOverwrite)
    }

    func writes(forwardOnly: Bool) -> [Int] { forwardOnly ? forward.writes(forwardOnly: true) : pass.writes(forwardOnly: false) }

    func renamed(_ r: BufferRenaming) -> any Step {
        RegionOnePassStep(forward: forward.renamed(r) as! RegionForwardStep, pass: pass.renamed(r) as! RegionBackwardStep)
    }

    func run(_ table: BufferTable, _ state: ExecutionState) {
        if state.forwardOnly { forward.run(table, state) } else { pass.run(table, state) }
    }
}
