import BenchmarkSupport
import Foundation

/// A deterministic force-directed layout of a graph (Fruchterman and Reingold,
/// "Graph drawing by force-directed placement", 1991): every pair of nodes
/// repels with force k²/d, every edge attracts with d²/k (k = 1/√n), and each
/// node moves along its net force by at most a temperature that cools linearly
/// to zero. Starting points come from `SplitMix64`, so a seed gives one
/// picture. Positions are returned scaled into the unit square (aspect kept,
/// the shorter side centred), then pushed apart until no two nodes are closer
/// than `minimumDistance` (so that drawn discs do not cover each other).
///
/// Cost: O(iterations · (n² + edges)); 34 nodes and 500 iterations take
/// about a millisecond.
public enum ForceLayout {
    public static func positions(nodeCount n: Int, edges: [(Int, Int)], iterations: Int = 500,
                                 seed: UInt64 = 1, minimumDistance: Double = 0.06) -> [(x: Double, y: Double)] {
        guard n > 0 else { return [] }
        var random = SplitMix64(seed: seed)
        var x = (0..<n).map { _ in random.uniform() }, y = (0..<n).map { _ in random.uniform() }
        let k = 1 / Double(n).squareRoot()
        var dx = [Double](repeating: 0, count: n), dy = dx
        for iteration in 0..<iterations {
            for i in 0..<n { dx[i] = 0; dy[i] = 0 }
            for i in 0..<n {
                for j in (i + 1)..<n {
                    let (ex, ey) = (x[i] - x[j], y[i] - y[j])
                    let d = max((ex * ex + ey * ey).squareRoot(), 1e-6)
                    let f = k * k / (d * d)  // (k²/d) along the unit vector (ex, ey)/d
                    dx[i] += ex * f; dy[i] += ey * f
                    dx[j] -= ex * f; dy[j] -= ey * f
                }
            }
            for (i, j) in edges where i != j {
                let (ex, ey) = (x[i] - x[j], y[i] - y[j])
                let d = (ex * ex + ey * ey).squareRoot()
                let f = d / k  // (d²/k) along the unit vector
                dx[i] -= ex * f; dy[i] -= ey * f
                dx[j] += ex * f; dy[j] += ey * f
            }
            let temperature = 0.1 * (1 - Double(iteration) / Double(iterations))
            for i in 0..<n {
                let length = (dx[i] * dx[i] + dy[i] * dy[i]).squareRoot()
                guard length > 0 else { continue }
                let move = min(length, temperature) / length
                x[i] += dx[i] * move; y[i] += dy[i] * move
            }
        }
        return separated(normalized(x, y), minimumDistance: minimumDistance)
    }

    /// Pairs closer than `distance` moved apart along the line between them,
    /// each by half the shortfall, over rounds until none is (at most 200),
    /// then rescaled into the unit square. O(rounds · n²).
    public static func separated(_ points: [(x: Double, y: Double)], minimumDistance distance: Double)
        -> [(x: Double, y: Double)] {
        guard distance > 0, points.count > 1 else { return points }
        var x = points.map(\.x), y = points.map(\.y)
        for _ in 0..<200 {
            var moved = false
            for i in x.indices {
                for j in x.indices where j > i {
                    var (ex, ey) = (x[j] - x[i], y[j] - y[i])
                    var d = (ex * ex + ey * ey).squareRoot()
                    guard d < distance else { continue }
                    if d < 1e-12 { (ex, ey, d) = (1, 0, 1) }  // one on top of the other: apart along x
                    let push = 0.5 * (distance - min(d, distance)) / d * 1.01
                    x[i] -= ex * push; y[i] -= ey * push
                    x[j] += ex * push; y[j] += ey * push
                    moved = true
                }
            }
            let scale = max(x.max()! - x.min()!, y.max()! - y.min()!)
            if !moved && scale <= 1 + 1e-9 { break }
            let next = normalized(x, y)
            (x, y) = (next.map(\.x), next.map(\.y))
        }
        return zip(x, y).map { (x: $0, y: $1) }
    }

    /// The same positions turned about their centre so that node `from` lies
    /// left of node `to` on a horizontal line (e.g. the two leaders of a split).
    public static func oriented(_ points: [(x: Double, y: Double)], from a: Int, to b: Int) -> [(x: Double, y: Double)] {
        let angle = atan2(points[b].y - points[a].y, points[b].x - points[a].x)
        let (c, s) = (cos(-angle), sin(-angle))
        let turned = points.map { (x: c * $0.x - s * $0.y, y: s * $0.x + c * $0.y) }
        return normalized(turned.map(\.x), turned.map(\.y))
    }

    /// Translated and scaled by one factor so that the larger extent spans
    /// [0, 1] and the smaller one is centred on 0.5.
    static func normalized(_ x: [Double], _ y: [Double]) -> [(x: Double, y: Double)] {
        let (minX, maxX, minY, maxY) = (x.min()!, x.max()!, y.min()!, y.max()!)
        let scale = max(maxX - minX, maxY - minY, 1e-12)
        let (shiftX, shiftY) = ((1 - (maxX - minX) / scale) / 2, (1 - (maxY - minY) / scale) / 2)
        return zip(x, y).map { (x: ($0 - minX) / scale + shiftX, y: ($1 - minY) / scale + shiftY) }
    }
}
