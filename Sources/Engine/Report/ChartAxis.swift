import Foundation

/// Round ticks for a chart axis from 0 to at least a maximum, and their labels:
/// the step is 1, 2 or 5 times a power of ten (of bytes in a binary unit for a
/// byte axis, of seconds or milliseconds for a time axis), so the ticks read
/// 0, 50 MiB, 100 MiB, … rather than quarters of the maximum.
///
/// O(count) per axis.
public struct ChartAxis: Sendable, Equatable {
    /// Tick values in the axis's own quantity (bytes, seconds, steps), ascending from 0.
    public var ticks: [Double]
    /// The label of each tick.
    public var labels: [String]
    /// The top of the axis: the last tick, at least the maximum asked for.
    public var top: Double { ticks.last ?? 1 }

    /// The smallest of 1, 2, 5 × 10^k that is at least `raw` (for raw > 0).
    public static func roundStep(atLeast raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let power = pow(10, floor(log10(raw)))
        for multiple in [1.0, 2, 5, 10] where multiple * power >= raw * (1 - 1e-12) { return multiple * power }
        return 10 * power
    }

    /// Ticks 0, step, 2·step, … up to the first at or above `maximum` (about `count` of them).
    static func values(upTo maximum: Double, count: Int) -> [Double] {
        let step = roundStep(atLeast: max(maximum, 1e-300) / Double(max(count, 1)))
        let n = max(1, Int((maximum / step - 1e-9).rounded(.up)))
        return (0...n).map { Double($0) * step }
    }

    /// Plain numbers (steps, counts): integer steps of at least 1.
    public static func counts(upTo maximum: Int, count: Int = 6) -> ChartAxis {
        let step = max(1, roundStep(atLeast: Double(max(maximum, 1)) / Double(count)))
        let n = max(1, Int((Double(maximum) / step).rounded(.up)))
        let ticks = (0...n).map { Double($0) * step }
        return ChartAxis(ticks: ticks, labels: ticks.map { String(Int($0)) })
    }

    /// Bytes: round multiples of the largest binary unit not above the maximum.
    public static func bytes(upTo maximum: Int, count: Int = 5) -> ChartAxis {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var unit = 0
        while unit < units.count - 1 && Double(maximum) >= pow(1024, Double(unit + 1)) { unit += 1 }
        let scale = pow(1024, Double(unit))
        let ticks = values(upTo: Double(max(maximum, 1)) / scale, count: count)
        return ChartAxis(ticks: ticks.map { $0 * scale }, labels: ticks.map { "\(number($0)) \(units[unit])" })
    }

    /// Seconds: round multiples of seconds, or of milliseconds below one second.
    public static func seconds(upTo maximum: Double, count: Int = 5) -> ChartAxis {
        let milliseconds = maximum < 1
        let scale = milliseconds ? 1e-3 : 1
        let ticks = values(upTo: max(maximum, 1e-9) / scale, count: count)
        return ChartAxis(ticks: ticks.map { $0 * scale }, labels: ticks.map { "\(number($0)) \(milliseconds ? "ms" : "s")" })
    }

    /// A tick value without trailing zeros: 0, 0.5, 2, 250.
    static func number(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
