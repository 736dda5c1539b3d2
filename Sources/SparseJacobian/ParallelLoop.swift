#if canImport(Glibc)
import Glibc
#endif

/// Runs the parts of a loop on the machine's cores: the calling thread and a
/// fixed set of worker threads started once, woken by a condition variable. The
/// body is borrowed, not copied: a run allocates only the 32-byte box with which
/// Swift checks that a borrowed closure did not escape (Dispatch's
/// `concurrentPerform` allocates three blocks). Parts are taken, not assigned:
/// a run ends when its parts are done, so a worker slow to wake (its core
/// held by another library's spinning thread, say) leaves its share to the
/// caller instead of holding the run up. The split, and so every result, is
/// the same whichever thread runs a part.
///
/// One loop at a time: a `run` that finds the pool busy (called from inside a
/// body, or from another thread meanwhile) runs its parts serially on its own
/// thread instead of waiting, so it can never deadlock.
public final class ParallelLoop: @unchecked Sendable {
    /// One pool for the process, with one worker per core beyond the first.
    public static let shared = ParallelLoop(workers: ProcessInfoCores.count - 1)

    /// Parts a loop may be split into (the calling thread plus the workers).
    public let width: Int

    private let lock: UnsafeMutablePointer<pthread_mutex_t>
    private let wake: UnsafeMutablePointer<pthread_cond_t>
    private let finished: UnsafeMutablePointer<pthread_cond_t>
    private let serial: UnsafeMutablePointer<pthread_mutex_t>
    private var body: ((Int) -> Void)?
    private var parts = 0
    private var nextPart = 0
    /// Parts taken or not yet taken whose body has not returned.
    private var unfinishedParts = 0

    init(workers: Int) {
        width = max(workers, 0) + 1
        lock = .allocate(capacity: 1)
        wake = .allocate(capacity: 1)
        finished = .allocate(capacity: 1)
        serial = .allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        pthread_mutex_init(serial, nil)
        pthread_cond_init(wake, nil)
        pthread_cond_init(finished, nil)
        for _ in 0..<max(workers, 0) {
            var thread = pthread_t()
            let context = Unmanaged.passRetained(self).toOpaque()
            let started = pthread_create(&thread, nil, { context in
                Unmanaged<ParallelLoop>.fromOpaque(context!).takeRetainedValue().work()
                return nil
            }, context)
            precondition(started == 0, "could not start a worker thread")
            pthread_detach(thread)
        }
    }

    /// Calls `body(part)` for every part in 0..<parts, spread over the threads,
    /// and returns when all are done.
    public func run(parts: Int, _ body: (Int) -> Void) {
        guard parts > 1, width > 1 else {
            for part in 0..<max(parts, 0) { body(part) }
            return
        }
        guard pthread_mutex_trylock(serial) == 0 else {  // busy: nested or concurrent
            for part in 0..<parts { body(part) }
            return
        }
        defer { pthread_mutex_unlock(serial) }
        pthread_mutex_lock(lock)
        withoutActuallyEscaping(body) { borrowed in
            self.body = borrowed
            self.parts = parts
            nextPart = 0
            unfinishedParts = parts
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(lock)
            claimParts()
            // Wait for the parts, not for the workers: a worker that wakes late
            // (its core busy with another library's spinning thread, say) finds
            // nothing left to take and costs this run nothing.
            pthread_mutex_lock(lock)
            while unfinishedParts > 0 { pthread_cond_wait(finished, lock) }
            self.body = nil
            pthread_mutex_unlock(lock)
        }
    }

    /// Splits 0..<count into ranges of at least `minimumCount` elements, one or
    /// more per thread, and calls `body` with each.
    public func forEachRange(count: Int, minimumCount: Int, _ body: (Range<Int>) -> Void) {
        let parts = min(width, max(1, count / max(minimumCount, 1)))
        if parts == 1 { body(0..<count); return }
        run(parts: parts) { part in body((count * part / parts)..<(count * (part + 1) / parts)) }
    }

    /// Takes parts until none are left (the lock is not held on entry or exit).
    private func claimParts() {
        pthread_mutex_lock(lock)
        while nextPart < parts, let current = body {
            let part = nextPart
            nextPart += 1
            pthread_mutex_unlock(lock)
            current(part)
            pthread_mutex_lock(lock)
            unfinishedParts -= 1
            if unfinishedParts == 0 { pthread_cond_signal(finished) }
        }
        pthread_mutex_unlock(lock)
    }

    /// A worker: wait until a run has a part left, help with it, repeat.
    private func work() {
        pthread_mutex_lock(lock)
        while true {
            while nextPart >= parts || body == nil { pthread_cond_wait(wake, lock) }
            pthread_mutex_unlock(lock)
            claimParts()
            pthread_mutex_lock(lock)
        }
    }
}
