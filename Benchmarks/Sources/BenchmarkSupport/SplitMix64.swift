import Foundation

/// SplitMix64 (Steele, Lea and Flood 2014): a tiny deterministic generator for
/// benchmark operands and schedules and the examples' layouts and samples; the
/// same seed gives the same numbers on every machine. O(1) per number.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1), from the top 53 bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A standard normal deviate (Box–Muller; the second deviate is dropped).
    public mutating func normal() -> Double {
        let u = 1 - uniform()  // in (0, 1]: log(u) is finite
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * uniform())
    }

    /// `count` values uniform in [−1, 1).
    mutating func uniformValues(count: Int) -> [Double] {
        (0..<count).map { _ in Double(next() >> 11) * 0x1p-52 - 1 }
    }
}
