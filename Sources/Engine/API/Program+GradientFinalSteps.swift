extension Program {
    /// For each requested gradient (request order), the index of the last step of
    /// the schedule that writes it; after that step the gradient is final. A
    /// gradient that no step writes (none can: an unreached input gets a zeroing
    /// step) would be -1. Cost: one pass over the steps.
    public var gradientFinalSteps: [Int] {
        var requests = [Int: [Int]]()   // a gradient asked for twice shares its buffer
        for (k, buffer) in schedule.gradientBuffers.enumerated() { requests[buffer, default: []].append(k) }
        var finals = [Int](repeating: -1, count: schedule.gradientBuffers.count)
        for (s, step) in schedule.steps.enumerated() {
            for k in requests[step.writes.buffer] ?? [] { finals[k] = s }
        }
        return finals
    }
}
