import Foundation
import SparseJacobian

/// What a program keeps per input for its sparse Jacobians: the composed
/// pattern, and the row coloring with its read-back plan, each computed once.
final class JacobianCache: @unchecked Sendable {
    private let lock = NSLock()
    private var patterns: [Int: SparsityPattern] = [:]
    private var compressions: [Int: RowCompression] = [:]

    /// The cached pattern of `input`, or the one `make` computes. `make` runs
    /// under the lock: it uses the program's CHOLMOD context, which must not be
    /// entered twice at once.
    func pattern(input: Int, _ make: () throws -> SparsityPattern) rethrows -> SparsityPattern {
        try cached(\.patterns, input, make)
    }

    /// The cached coloring and read-back plan of `input`, or the one `make` computes.
    func compression(input: Int, _ make: () throws -> RowCompression) rethrows -> RowCompression {
        try cached(\.compressions, input, make)
    }

    private func cached<V>(_ table: ReferenceWritableKeyPath<JacobianCache, [Int: V]>, _ input: Int,
                           _ make: () throws -> V) rethrows -> V {
        lock.lock()
        defer { lock.unlock() }
        if let value = self[keyPath: table][input] { return value }
        let made = try make()
        self[keyPath: table][input] = made
        return made
    }

    /// The cache of `program`. Until `Program` stores one itself, caches live in a
    /// table keyed by the program's identity that also holds a weak reference to
    /// it: an entry whose program is gone is dropped (and never matched by a new
    /// program at the same address).
    static func of(_ program: Program) -> JacobianCache { registry.cache(of: program) }

    private static let registry = Registry()

    private final class Registry: @unchecked Sendable {
        private struct Entry {
            weak var program: Program?
            let cache: JacobianCache
        }
        private let lock = NSLock()
        private var entries: [ObjectIdentifier: Entry] = [:]

        func cache(of program: Program) -> JacobianCache {
            lock.withLock {
                let key = ObjectIdentifier(program)
                if let entry = entries[key], entry.program === program { return entry.cache }
                entries = entries.filter { $0.value.program != nil }
                let cache = JacobianCache()
                entries[key] = Entry(program: program, cache: cache)
                return cache
            }
        }
    }
}
