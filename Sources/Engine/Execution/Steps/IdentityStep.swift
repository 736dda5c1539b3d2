/// g_in = g_out or g_in += g_out; nothing at all when the planner put g_in in
/// g_out's memory.
final class IdentityStep: BackwardStep {
    let contribution: Contribution
    init(_ contribution: Contribution) { self.contribution = contribution }

    var access: StepAccess {
        StepAccess(reads: [contribution.upstream], writes: contribution.destination, accumulates: contribution.accumulate,
                   mayOverwrite: contribution.accumulate ? nil : contribution.upstream)
    }

    func renamed(_ r: BufferRenaming) -> any Step { IdentityStep(contribution.renamed(r)) }

    func run(_ table: BufferTable, _ state: ExecutionState) {
        let g = table[contribution.upstream], out = table[contribution.destination], count = contribution.count
        if contribution.accumulate {
            for k in 0..<count { out[k] += g[k] }
        } else if g != out {
            out.update(from: g, count: count)
        }
    }
}
