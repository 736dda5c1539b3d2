/// The forward and backward steps of a program over buffer ids, with every
/// buffer's shape and storage: everything an executor or a planner needs.
/// Lifetimes and traffic are not stored: `liveness()` computes them from the
/// steps' declared accesses, so a schedule pass only rewrites steps.
struct Schedule {
    var steps: [any Step] = []
    var buffers: [BufferSpec] = []
    /// Steps `0..<forwardCount` are the forward pass.
    var forwardCount = 0
    /// Constants and the buffers they fill.
    var constants: [(buffer: Int, value: TensorValue)] = []
    /// The buffer bound to each external slot (the caller's tensors).
    var externalBuffers: [ExternalSlot: Int] = [:]
    /// Bytes that ops hold outside the arena (factors).
    var externalBytes = 0
    /// Whether backward buffers may live in gradients' storage before those are
    /// written (`GradientStorageLending`): drafts are planned so, and a planned
    /// program lends (an eager one plans its choices the same way, lending nothing).
    var lendsGradientStorage = false

    mutating func addBuffer(_ spec: BufferSpec) -> Int {
        buffers.append(spec)
        return buffers.count - 1
    }

    mutating func append(_ step: any Step) { steps.append(step) }

    /// Lifetimes, traffic and in-place candidates, from the steps' accesses.
    func liveness() -> Liveness { Liveness(steps: steps.map(\.access), buffers: buffers) }

    /// Bytes of the buffers bound to these slots (inputs, gradients) that a run
    /// touches but does not own.
    func externalBytes(where include: (ExternalSlot) -> Bool) -> Int {
        externalBuffers.filter { include($0.key) }.reduce(0) { $0.addingClamped(buffers[$1.value].bytes) }
    }

    /// Bytes of buffers lent by gradients' storage (`GradientStorageLending`).
    var lentBytes: Int {
        buffers.reduce(0) { total, spec in
            if case .lent = spec.storage { return total.addingClamped(spec.bytes) }
            return total
        }
    }

    /// Bytes of constants the program owns outside the arena.
    var constantBytes: Int { buffers.filter { $0.storage == .constant }.reduce(0) { $0.addingClamped($1.bytes) } }
}
