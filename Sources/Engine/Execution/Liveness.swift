/// Lifetimes, traffic and in-place candidates of a schedule, computed from the
/// steps' declared accesses alone: a pure function of the step list, so a pass
/// that rewrites steps gets correct lifetimes by calling it again.
struct Liveness {
    /// First step that touches each buffer (Int.max if none).
    private(set) var firstStep: [Int]
    /// Last step that touches each buffer (-1 if none).
    private(set) var lastStep: [Int]
    /// Bytes each step reads and writes (each buffer it touches counted once;
    /// an accumulated buffer twice: read and written).
    private(set) var traffic: [Int]
    /// For each buffer, the buffers it may take over in place.
    private(set) var inPlaceCandidates: [[Int]]

    init(steps: [StepAccess], buffers: [BufferSpec]) {
        let n = buffers.count
        firstStep = [Int](repeating: .max, count: n)
        lastStep = [Int](repeating: -1, count: n)
        traffic = []
        traffic.reserveCapacity(steps.count)
        inPlaceCandidates = [[Int]](repeating: [], count: n)
        let last = max(steps.count - 1, 0)
        for (s, access) in steps.enumerated() {
            precondition((access.reads + access.scratch + access.writes.map(\.buffer)).allSatisfy { $0 >= 0 && $0 < n },
                         "step \(s) touches a buffer that does not exist: \(access.reads) \(access.scratch) \(access.writes.map(\.buffer))")
            var touched = Set<Int>()
            var bytes = 0
            // Saturating: a schedule whose buffers overflow is refused by the planner with a typed error.
            for id in access.reads + access.scratch where touched.insert(id).inserted { bytes = bytes.addingClamped(buffers[id].bytes) }
            for write in access.writes {
                if touched.insert(write.buffer).inserted { bytes = bytes.addingClamped(buffers[write.buffer].bytes) }
                if write.accumulates { bytes = bytes.addingClamped(buffers[write.buffer].bytes) }
            }
            traffic.append(bytes)
            for id in touched {
                firstStep[id] = min(firstStep[id], s)
                lastStep[id] = max(lastStep[id], s)
            }
            for (written, read) in access.mayOverwrite
            where buffers[written].inArena && buffers[read].inArena && buffers[written].elements == buffers[read].elements {
                inPlaceCandidates[written].append(read)
            }
        }
        for id in buffers.indices where buffers[id].pinned {
            firstStep[id] = 0
            lastStep[id] = last
        }
    }
}
