import SparseJacobian

/// Allocation that fails with a typed error instead of aborting.
///
/// Swift's `UnsafeMutableRawPointer.allocate` and `Array`'s storage abort the
/// process when `malloc` returns nothing (an 8 TiB arena, a `[1 << 40]`
/// tensor). These helpers go to `posix_memalign` (`SystemAllocation`) and
/// throw `EngineError.allocationFailed(bytes:)` naming the bytes asked for; a
/// size that overflows `Int` is `EngineError.sizeOverflow`. Memory from
/// `allocate` is released with `deallocate` (`free`). Cost: one
/// `posix_memalign` call.
public enum CheckedAllocation {
    /// `bytes` bytes aligned to `alignment` (a power of two, at least the size of
    /// a pointer). Zero bytes allocate one alignment unit, so the result can
    /// always be freed.
    public static func allocate(bytes: Int, alignment: Int = 64) throws(EngineError) -> UnsafeMutableRawPointer {
        guard bytes >= 0 else {
            throw .invalidArgument(op: "allocate", shape: [bytes], reason: "negative byte count")
        }
        guard let pointer = SystemAllocation.allocate(bytes: bytes, alignment: alignment) else {
            throw .allocationFailed(bytes: bytes)
        }
        return pointer
    }

    /// Room for `count` doubles, 64-byte aligned; the byte size is checked for overflow.
    public static func allocateDoubles(_ count: Int) throws(EngineError) -> UnsafeMutablePointer<Double> {
        guard let bytes = SystemAllocation.bytes(count: count, stride: MemoryLayout<Double>.stride) else {
            throw .sizeOverflow(op: "allocate", shape: [count])
        }
        return try allocate(bytes: bytes).bindMemory(to: Double.self, capacity: count)
    }

    /// Releases memory from `allocate` or `allocateDoubles`.
    public static func deallocate(_ pointer: UnsafeMutableRawPointer?) {
        SystemAllocation.free(pointer)
    }

    /// Releases memory from `allocateDoubles`.
    public static func deallocate(_ pointer: UnsafeMutablePointer<Double>?) {
        SystemAllocation.free(pointer.map(UnsafeMutableRawPointer.init))
    }

    /// Throws `allocationFailed` when `bytes` cannot be allocated now (see
    /// `SystemAllocation.isAvailable`): for storage Swift allocates itself.
    public static func ensureAvailable(bytes: Int) throws(EngineError) {
        guard SystemAllocation.isAvailable(bytes: bytes) else { throw .allocationFailed(bytes: bytes) }
    }
}
