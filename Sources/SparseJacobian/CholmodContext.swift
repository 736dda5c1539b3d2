import CSuiteSparse
#if canImport(Glibc)
import Glibc
#endif

/// The `cholmod_common` that the CHOLMOD calls of a program go through.
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
/// Threads: a `cholmod_common` holds workspace that every call mutates, so every
/// use of the common is serialized by a lock held for the length of one CHOLMOD
/// call (or one parallel product): two programs, factors or products that share a
/// context may run on two threads, one call waiting for the other. The lock costs
/// about 20 ns, nothing next to a CHOLMOD call. Parallel products do not run on
/// this common: they use a small pool of worker contexts, one per part of the
/// split, that the context owns and lends out while its lock is held
/// (`withWorkerCommons`). For calls that should really run at the same time,
/// give each thread its own context.
public final class CholmodContext: @unchecked Sendable {
    /// Stable storage for the C struct: CHOLMOD keeps pointers into it. Use it
    /// only inside `withCommon` (or with the lock otherwise held).
    let common: UnsafeMutablePointer<cholmod_common>
    /// Recursive, so that a locked method may call another one that locks.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    /// The worker contexts' commons, made on first use; guarded by `mutex`.
    private var workers: [CholmodContext] = []
    private var workerCommons: [UnsafeMutablePointer<cholmod_common>] = []

    private var analyses = 0
    private var factorizations = 0
    private var solves = 0

    /// Number of symbolic analyses (`cholmod_l_analyze`) run through this context.
    public var analysisCount: Int { withCommon { _ in analyses } }
    /// Number of numeric factorizations (`cholmod_l_factorize`) run through this context.
    public var factorizationCount: Int { withCommon { _ in factorizations } }
    /// Number of solve calls (`cholmod_l_solve2`, any number of right-hand sides
    /// each) run through this context by `SparseCholesky.solve`.
    public var solveCount: Int { withCommon { _ in solves } }

    /// Creates and starts a context.
    public init() {
        common = .allocate(capacity: 1)
        cholmod_l_start(common)
        common.pointee.print = 0
        common.pointee.final_ll = 1
        mutex = .allocate(capacity: 1)
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_RECURSIVE))
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
    }

    deinit {
        workers.removeAll()
        cholmod_l_finish(common)
        common.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the common, holding the context's lock: the only way
    /// the library touches the common.
    func withCommon<R, E: Error>(_ body: (UnsafeMutablePointer<cholmod_common>) throws(E) -> R) throws(E) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(common)
    }

    /// Runs `body` with `count` worker commons (each a started context of its
    /// own, set up like this one), holding this context's lock, so that no
    /// other call of the context uses the same workers meanwhile. Part `k` of a
    /// parallel loop uses common `k`: parts run on different threads, each with
    /// its own common.
    func withWorkerCommons<R, E: Error>(_ count: Int,
                                        _ body: ([UnsafeMutablePointer<cholmod_common>]) throws(E) -> R) throws(E) -> R {
        try withCommon { _ throws(E) in
            while workers.count < count {
                let worker = CholmodContext()
                workers.append(worker)
                workerCommons.append(worker.common)
            }
            return try body(workerCommons)
        }
    }

    /// Counts an analysis or factorization (called with the lock held).
    func count(analysis: Bool) {
        withCommon { _ in if analysis { analyses += 1 } else { factorizations += 1 } }
    }

    /// Counts a solve call.
    func countSolve() {
        withCommon { _ in solves += 1 }
    }

    /// Objects CHOLMOD has allocated and not yet freed (`malloc_count`).
    ///
    /// It includes the workspace CHOLMOD keeps between calls: after
    /// `releaseWorkspace()`, and once every object made through the context is
    /// gone, it is back where it started.
    public var allocationCount: Int { withCommon { Int($0.pointee.malloc_count) } }

    /// Frees the workspace CHOLMOD keeps in the common between calls
    /// (`cholmod_l_free_work`); the next call that needs it allocates it again.
    /// With the workspace released, `allocationCount` counts only live objects.
    public func releaseWorkspace() {
        withCommon { _ = cholmod_l_free_work($0) }
    }

    /// Bytes CHOLMOD currently holds (`memory_inuse`), workspace included.
    public var bytesInUse: Int { withCommon { Int($0.pointee.memory_inuse) } }

    /// Largest `bytesInUse` seen so far (`memory_usage`).
    public var peakBytes: Int { withCommon { Int($0.pointee.memory_usage) } }
}
