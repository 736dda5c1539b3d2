#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Allocation that reports failure instead of aborting: `posix_memalign`
/// returns nil where Swift's `allocate` and `Array` would stop the process.
/// The engine's `CheckedAllocation` turns nil into a typed error; this module
/// uses `ensureAvailable` before building arrays whose size a caller chose.
public enum SystemAllocation {
    /// `bytes` bytes aligned to `alignment` (a power of two, at least the size
    /// of a pointer), or nil when the system refuses them. Zero bytes allocate
    /// one alignment unit. Release with `free(_:)`. Cost: one `posix_memalign`.
    public static func allocate(bytes: Int, alignment: Int) -> UnsafeMutableRawPointer? {
        guard bytes >= 0 else { return nil }
        var pointer: UnsafeMutableRawPointer?
        guard posix_memalign(&pointer, alignment, Swift.max(bytes, alignment)) == 0 else { return nil }
        return pointer
    }

    /// Releases memory from `allocate`.
    public static func free(_ pointer: UnsafeMutableRawPointer?) {
        #if canImport(Glibc)
        Glibc.free(pointer)
        #else
        Darwin.free(pointer)
        #endif
    }

    /// Whether `bytes` can be allocated now, found by asking for them and giving
    /// them back (no page is touched). For storage Swift allocates itself (an
    /// `Array`), which aborts instead of failing; it catches the sizes the system
    /// refuses outright, not memory overcommitted and missing later.
    public static func isAvailable(bytes: Int) -> Bool {
        guard let pointer = allocate(bytes: bytes, alignment: 16) else { return false }
        free(pointer)
        return true
    }

    /// Bytes of `count` elements of `stride` bytes each, nil when negative or beyond `Int`.
    public static func bytes(count: Int, stride: Int) -> Int? {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: stride)
        return count < 0 || overflow ? nil : bytes
    }
}
