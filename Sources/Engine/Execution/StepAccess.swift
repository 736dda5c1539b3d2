/// What one step touches, declared by the step itself: the buffers it reads,
/// the ones it writes or accumulates into, its scratch, and the buffers it may
/// overwrite in place. Lifetimes, traffic and in-place candidates are computed
/// from a schedule's list of these by `Liveness`, never tracked on the side.
struct StepAccess {
    struct Write {
        let buffer: Int
        /// Adds into the buffer (so reads it too) instead of overwriting it.
        var accumulates = false
    }

    var reads: [Int]
    /// Usually one buffer; a fused region's steps write one per value leaving
    /// the region (forward) or per gradient of its inputs (backward).
    var writes: [Write]
    /// Buffers alive during this step only.
    var scratch: [Int] = []
    /// Pairs (written, read): `written` may take `read`'s memory when this step
    /// reads `read` last. Only elementwise kernels declare them: they read
    /// element k before writing element k.
    var mayOverwrite: [(written: Int, read: Int)] = []

    init(reads: [Int], writes: [Write], scratch: [Int] = [], mayOverwrite: [(written: Int, read: Int)] = []) {
        self.reads = reads
        self.writes = writes
        self.scratch = scratch
        self.mayOverwrite = mayOverwrite
    }

    /// A step that writes (or accumulates into) one buffer.
    init(reads: [Int], writes buffer: Int, accumulates: Bool = false, scratch: [Int] = [],
         mayOverwrite: Int? = nil) {
        self.init(reads: reads, writes: [Write(buffer: buffer, accumulates: accumulates)], scratch: scratch,
                  mayOverwrite: mayOverwrite.map { [(buffer, $0)] } ?? [])
    }
}
