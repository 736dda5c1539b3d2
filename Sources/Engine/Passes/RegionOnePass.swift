/// Schedule pass: a fused region whose outputs are the program's output and
/// all sums (a scalar loss at the end of an elementwise chain) runs forward
/// and backward in one step (`RegionOnePassStep`) in place of its forward
/// step, and its backward step goes. Its upstream gradient is the seed, bound
/// before the run, and its backward step is the first of the backward pass
/// (the region computes the output), so nothing it reads is late and nothing
/// it writes was written before. The members are then computed once per
/// element instead of twice; the sums are added in the backward step's
/// chunks, which groups their terms differently from the forward step's
/// (equal to rounding; forward-only runs still use the forward step).
struct RegionOnePass {
    func run(_ schedule: Schedule) -> Schedule {
        guard let seed = schedule.externalBuffers[.seed], let output = schedule.externalBuffers[.output],
              schedule.forwardCount < schedule.steps.count,
              let backward = schedule.steps[schedule.forwardCount] as? RegionBackwardStep,
              let f = schedule.steps[0..<schedule.forwardCount].lastIndex(where: {
                  ($0 as? RegionForwardStep)?.region === backward.region
              }),
              let forward = schedule.steps[f] as? RegionForwardStep,
              forward.outputBuffers == [output], backward.outputBuffers == forward.outputBuffers,
              backward.upstream == [seed], !backward.accumulates.contains(true),
              forward.region.outputs.allSatisfy({ if case .sum = $0 { true } else { false } })
        else { return schedule }
        var result = schedule
        let pass = RegionBackwardStep(region: backward.region, plan: backward.plan, inputBuffers: backward.inputBuffers,
                                      outputBuffers: backward.outputBuffers, upstream: backward.upstream,
                                      destinations: backward.destinations, accumulates: backward.accumulates,
                                      computesSums: true)
        // One scratch for both ways of running (the forward step's, resized); the
        // backward step's is left untouched, so it is not planned.
        let scratch = forward.scratch
        result.buffers[scratch] = BufferSpec(role: .scratch, node: result.buffers[scratch].node,
                                             shape: [max(pass.chunks.scratchElements, forward.chunks.scratchElements)])
        pass.scratch = scratch
        result.steps[f] = RegionOnePassStep(forward: forward, pass: pass)
        result.steps.remove(at: schedule.forwardCount)
        return result
    }
}
