import CSuiteSparse

/// The one `cholmod_common` that every CHOLMOD call of this library goes through.
///
/// The context is started (`cholmod_l_start`) when created and finished
/// (`cholmod_l_finish`) when the last reference to it goes away. It is set up so
/// that CHOLMOD never prints (`print = 0`) and always reports a matrix that is not
/// positive definite: `final_ll = 1` keeps factors in LLᵀ form, so a simplicial
/// factorization meets a non-positive pivot instead of carrying it in D as an
/// LDLᵀ factorization would (supernodal factorizations are always LLᵀ).
///
/// CHOLMOD's 64-bit integer interface (`cholmod_l_*`) is used throughout, so
/// index arrays are Swift `[Int]` and are handed to CHOLMOD without conversion.
///
/// Thread rules: a `cholmod_common` holds workspace that every call mutates, so a
/// context must be used by one thread at a time. Objects created with it (factors,
/// products) keep it alive and share those rules. Use one context per thread for
/// parallel work; the type is deliberately not `Sendable`.
public final class CholmodContext {
    /// Stable storage for the C struct: CHOLMOD keeps pointers into it.
    let common: UnsafeMutablePointer<cholmod_common>

    /// Number of symbolic analyses (`cholmod_l_analyze`) run through this context.
    public internal(set) var analysisCount = 0
    /// Number of numeric factorizations (`cholmod_l_factorize`) run through this context.
    public internal(set) var factorizationCount = 0

    /// Creates and starts a context.
    public init() {
        common = .allocate(capacity: 1)
        cholmod_l_start(common)
        common.pointee.print = 0
        common.pointee.final_ll = 1
    }

    deinit {
        cholmod_l_finish(common)
        common.deallocate()
    }

    /// Objects CHOLMOD has allocated and not yet freed (`malloc_count`).
    ///
    /// It includes the workspace CHOLMOD keeps between calls: after
    /// `releaseWorkspace()`, and once every object made through the context is
    /// gone, it is back where it started.
    public var allocationCount: Int { Int(common.pointee.malloc_count) }

    /// Frees the workspace CHOLMOD keeps in the common between calls
    /// (`cholmod_l_free_work`); the next call that needs it allocates it again.
    /// With the workspace released, `allocationCount` counts only live objects.
    public func releaseWorkspace() {
        cholmod_l_free_work(common)
    }

    /// Bytes CHOLMOD currently holds (`memory_inuse`), workspace included.
    public var bytesInUse: Int { Int(common.pointee.memory_inuse) }

    /// Largest `bytesInUse` seen so far (`memory_usage`).
    public var peakBytes: Int { Int(common.pointee.memory_usage) }

    /// CHOLMOD's status after the last call (`CHOLMOD_OK` is 0; negative is an error,
    /// positive a warning).
    var status: Int32 { common.pointee.status }
}
