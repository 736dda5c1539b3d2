import Foundation

/// The input recipes of the reference models, exactly as the report states them,
/// so that any implementation can rebuild the same numbers.
public enum Recipe {
    /// shift + scale·sin(a·k + b), k = 0..<n.
    public static func sinseq(_ n: Int, _ a: Double, _ b: Double, scale: Double = 1, shift: Double = 0) -> [Double] {
        (0..<n).map { shift + scale * sin(a * Double($0) + b) }
    }

    /// frac(0.6180339887498949·k + s): a multiply, an add, a floor and a subtract,
    /// each rounded (Swift does not fuse them).
    public static func weyl(_ n: Int, _ s: Double) -> [Double] {
        (0..<n).map { k in
            let product = 0.6180339887498949 * Double(k)
            let sum = product + s
            return sum - sum.rounded(.down)
        }
    }

    /// c·(2·weyl(n, s) − 1).
    public static func centered(_ n: Int, _ s: Double, _ c: Double) -> [Double] {
        weyl(n, s).map { c * (2 * $0 - 1) }
    }
}
