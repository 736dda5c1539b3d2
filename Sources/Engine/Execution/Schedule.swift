/// The forward and backward steps of a program over buffer ids, with every
/// buffer's size and lifetime: everything an executor or a planner needs.
struct Schedule {
    var steps: [any Step] = []
    /// Bytes each step reads and writes (a model: each buffer touched once).
    var traffic: [Int] = []
    var buffers: [BufferSpec] = []
    /// Steps `0..<forwardCount` are the forward pass.
    var forwardCount = 0
    /// Buffer of each program input.
    var inputBuffers: [Int] = []
    /// Constants and the buffers they fill.
    var constants: [(buffer: Int, value: TensorValue)] = []
    var outputBuffer = -1
    /// The output's gradient (the seed); -1 when nothing is differentiated.
    var seedBuffer = -1
    /// Buffer of the gradient of each requested input, in request order.
    var gradientBuffers: [Int] = []
    /// Bytes that ops hold outside the arena (factors).
    var externalBytes = 0

    mutating func addBuffer(_ role: BufferSpec.Role, node: Int, elements: Int, pinned: Bool = false) -> Int {
        buffers.append(BufferSpec(role: role, node: node, elements: elements, pinned: pinned))
        return buffers.count - 1
    }

    /// Appends a step that writes `written` (reading it too when it accumulates)
    /// and reads `reads`, and records their lifetimes.
    mutating func append(_ step: any Step, writes written: Int, reads: [Int], accumulates: Bool = false) {
        let index = steps.count
        steps.append(step)
        traffic.append(Set(reads).reduce(buffers[written].bytes * (accumulates ? 2 : 1)) { $0 + buffers[$1].bytes })
        for id in reads { buffers[id].read(at: index) }
        if accumulates { buffers[written].read(at: index) }
        buffers[written].written(at: index)
    }

    /// Scratch-like buffers live exactly at the step about to be appended.
    mutating func addStepLocalBuffer(_ role: BufferSpec.Role, node: Int, elements: Int) -> Int {
        let id = addBuffer(role, node: node, elements: elements)
        buffers[id].written(at: steps.count)
        return id
    }

    /// Pinned buffers live from step 0 to the last step.
    mutating func finishLifetimes() {
        let last = max(steps.count - 1, 0)
        for k in buffers.indices {
            if buffers[k].pinned {
                buffers[k].firstStep = 0
                buffers[k].lastStep = last
            } else if buffers[k].firstStep == .max {
                // Never written by a step (cannot happen for a consistent schedule).
                preconditionFailure("buffer \(k) (\(buffers[k].role)) is never written")
            }
        }
    }
}
