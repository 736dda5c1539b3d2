extension ProgramResult {
    /// Calls `body` with the storage of gradient `k` (request order), to update it
    /// in place: an all-reduce across processes, an optimizer step. The buffer has
    /// `Shape.count(gradients[k].shape)` elements, column-major.
    public mutating func withUnsafeMutableGradient<R>(_ k: Int, _ body: (UnsafeMutableBufferPointer<Double>) throws -> R)
        rethrows -> R {
        try gradients[k].scalars.withUnsafeMutableBufferPointer { try body($0) }
    }

    /// Calls `body` with the storage of the output value, to update it in place.
    public mutating func withUnsafeMutableValue<R>(_ body: (UnsafeMutableBufferPointer<Double>) throws -> R) rethrows -> R {
        try value.scalars.withUnsafeMutableBufferPointer { try body($0) }
    }
}
