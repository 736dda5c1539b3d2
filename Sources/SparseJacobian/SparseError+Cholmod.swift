import CSuiteSparse

extension SparseError {
    /// The error for a CHOLMOD call that failed with `status` (the common's status
    /// after the call). Every failed CHOLMOD call goes through here:
    ///
    /// | status | error |
    /// | --- | --- |
    /// | `CHOLMOD_OUT_OF_MEMORY` (−2) | `outOfMemory(call:bytes:)`, with `bytes` when the caller knows what the call needed |
    /// | `CHOLMOD_TOO_LARGE` (−3, an integer overflow inside CHOLMOD) | `dimensionTooLarge(rows:columns:)` when the caller gives the matrix's shape |
    /// | any other | `cholmod(call:status:)` |
    ///
    /// `CHOLMOD_NOT_POSDEF` is a warning that a factorization reports with the
    /// failing column (`L->minor`); `SparseCholesky` turns it into
    /// `notPositiveDefinite(column:)` itself.
    public static func cholmodFailure(call: String, status: Int32, bytes: Int? = nil,
                                      shape: (rows: Int, columns: Int)? = nil) -> SparseError {
        switch status {
        case CHOLMOD_OUT_OF_MEMORY: return .outOfMemory(call: call, bytes: bytes)
        case CHOLMOD_TOO_LARGE: if let shape { return .dimensionTooLarge(rows: shape.rows, columns: shape.columns) }
        default: break
        }
        return .cholmod(call: call, status: Int(status))
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
