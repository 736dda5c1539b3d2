import CSuiteSparse

extension SparseError {
    /// The error for a CHOLMOD call that failed with `status` (the common's status
    /// after the call): `CHOLMOD_OUT_OF_MEMORY` is `outOfMemory` (with `bytes`
    /// when the caller knows what the call needed), any other status is
    /// `cholmod(call:status:)`. Every failed CHOLMOD call goes through here.
    public static func cholmodFailure(call: String, status: Int32, bytes: Int? = nil) -> SparseError {
        status == CHOLMOD_OUT_OF_MEMORY ? .outOfMemory(call: call, bytes: bytes) : .cholmod(call: call, status: Int(status))
    }

    /// Throws `outOfMemory(call:bytes:)` unless `count` elements of `stride`
    /// bytes can be allocated now; a size beyond `Int` is `dimensionTooLarge`.
    /// Used before building arrays whose size a caller chose.
    static func ensureAvailable(count: Int, stride: Int, call: String, rows: Int, columns: Int) throws(SparseError) {
        guard let bytes = SystemAllocation.bytes(count: count, stride: stride) else {
            throw .dimensionTooLarge(rows: rows, columns: columns)
        }
        guard SystemAllocation.isAvailable(bytes: bytes) else { throw .outOfMemory(call: call, bytes: bytes) }
    }
}
