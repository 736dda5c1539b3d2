/// Wall-clock timings of one operation, in seconds.
public struct Samples: Sendable {
    /// Every measured run, in the order measured.
    public private(set) var seconds: [Double] = []

    public init() {}

    public mutating func append(_ value: Double) { seconds.append(value) }

    /// The median (mean of the middle two for an even count); 0 when empty.
    public var median: Double {
        let sorted = seconds.sorted()
        guard !sorted.isEmpty else { return 0 }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// The fastest run; 0 when empty.
    public var minimum: Double { seconds.min() ?? 0 }
}

/// Timing on `ContinuousClock`, a monotonic clock (never set back, unlike the
/// time of day).
public enum Stopwatch {
    private static let clock = ContinuousClock()

    /// Seconds that one run of `body` takes.
    public static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = clock.now
        try body()
        return (clock.now - start).seconds
    }

    /// `warmup` untimed runs of `body`, then `count` timed ones.
    public static func sample(count: Int, warmup: Int = 1, _ body: () throws -> Void) rethrows -> Samples {
        for _ in 0..<warmup { try body() }
        var samples = Samples()
        for _ in 0..<count { samples.append(try time(body)) }
        return samples
    }

    /// `warmup` untimed runs of each, then `count` timed runs of each in the
    /// order a, b, a, b, …, so that both see the same machine conditions.
    public static func alternate(count: Int, warmup: Int = 1, _ a: () throws -> Void,
                                 _ b: () throws -> Void) rethrows -> (a: Samples, b: Samples) {
        for _ in 0..<warmup {
            try a()
            try b()
        }
        var first = Samples(), second = Samples()
        for _ in 0..<count {
            first.append(try time(a))
            second.append(try time(b))
        }
        return (first, second)
    }
}

extension Stopwatch {
    /// `warmup` untimed rounds, then `count` rounds in which every body runs
    /// once, in order: the generalization of `alternate` to several bodies.
    public static func interleave(count: Int, warmup: Int = 1,
                                  _ bodies: [() throws -> Void]) throws -> [Samples] {
        for _ in 0..<warmup { for body in bodies { try body() } }
        var samples = [Samples](repeating: Samples(), count: bodies.count)
        for _ in 0..<count {
            for (k, body) in bodies.enumerated() { samples[k].append(try time(body)) }
        }
        return samples
    }
}

extension Duration {
    /// The duration in seconds.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
