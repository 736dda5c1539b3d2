import Engine
import Foundation

/// Round ticks for a chart axis over the data's own range (not from zero),
/// linear or logarithmic, and the map from values to a 0…1 fraction of the
/// axis. Linear steps are 1, 2 or 5 × 10^k (`ChartAxis.roundStep`), labels with
/// as many decimals as the step needs; logarithmic ticks are powers of ten
/// (with 2× and 5× between them when the range spans fewer than three decades;
/// every k-th power when it spans more than six, for about six labels),
/// labelled 0.01, 0.1, 1, 100 or, past those, 10⁻³, 10⁻², 10⁻¹, 1, 10¹. O(ticks).
public struct PlotAxis: Sendable {
    public var ticks: [Double]
    public var labels: [String]
    public var lower: Double
    public var upper: Double
    public var logarithmic: Bool

    /// Where `value` lies between `lower` (0) and `upper` (1).
    public func fraction(_ value: Double) -> Double {
        if logarithmic {
            let v = Foundation.log10(max(value, Double.leastNormalMagnitude))
            return (v - Foundation.log10(lower)) / (Foundation.log10(upper) - Foundation.log10(lower))
        }
        return (value - lower) / (upper - lower)
    }

    /// Ticks covering [minimum, maximum], about `count` intervals.
    public static func linear(from minimum: Double, to maximum: Double, count: Int = 5) -> PlotAxis {
        var (lo, hi) = (minimum, maximum)
        if !(hi > lo) { (lo, hi) = (lo - max(abs(lo) * 0.05, 0.5), hi + max(abs(hi) * 0.05, 0.5)) }
        let step = ChartAxis.roundStep(atLeast: (hi - lo) / Double(max(count, 1)))
        let first = (lo / step + 1e-9).rounded(.down), last = (hi / step - 1e-9).rounded(.up)
        let ticks = stride(from: first, through: last, by: 1).map { $0 * step }
        let decimals = max(0, Int(-Foundation.log10(step).rounded(.down)))
        let labels = ticks.map { tick -> String in
            let text = String(format: "%.\(decimals)f", tick)
            guard text.hasPrefix("-") else { return text }
            return (Double(text) == 0 ? "" : "−") + text.dropFirst()  // a typographic minus; never "-0"
        }
        return PlotAxis(ticks: ticks, labels: labels, lower: ticks.first!, upper: ticks.last!, logarithmic: false)
    }

    /// Ticks at powers of ten around [minimum, maximum] (both > 0).
    public static func logarithmic(from minimum: Double, to maximum: Double) -> PlotAxis {
        let lo = Foundation.log10(max(minimum, 1e-300)).rounded(.down)
        var hi = Foundation.log10(max(maximum, minimum, 1e-300)).rounded(.up)
        if hi <= lo { hi = lo + 1 }
        // Over more than six decades, every second (or third, …) power, so about six labels.
        let every = max(1, Int(((hi - lo) / 6).rounded(.up)))
        let lowest = (lo / Double(every)).rounded(.down) * Double(every)
        let highest = (hi / Double(every)).rounded(.up) * Double(every)
        let decades = Int(highest - lowest)
        var ticks: [Double] = []
        for e in stride(from: Int(lowest), through: Int(highest), by: every) {
            let power = Foundation.pow(10, Double(e))
            ticks.append(power)
            if decades < 3 && e < Int(highest) { ticks += [2 * power, 5 * power] }
        }
        let decimal = lowest >= -2 && highest <= 3
        return PlotAxis(ticks: ticks, labels: ticks.map { powerLabel($0, decimal: decimal) }, lower: ticks.first!,
                        upper: ticks.last!, logarithmic: true)
    }

    /// As a decimal (0.01, 0.5, 1, 200) when every tick is between 0.01 and
    /// 1000, else as a power (10⁻³, 5×10⁻³, 1, 10⁴), so that one axis mixes no styles.
    static func powerLabel(_ value: Double, decimal: Bool) -> String {
        let exponent = Int(Foundation.log10(value * (1 + 1e-12)).rounded(.down))
        let mantissa = Int((value / Foundation.pow(10, Double(exponent))).rounded())
        if decimal || exponent == 0 {
            return exponent >= 0 ? String(mantissa * Int(Foundation.pow(10, Double(exponent))))
                                 : String(format: "%.\(-exponent)f", value)
        }
        let superscripts: [Character: Character] = ["-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴",
                                                    "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹"]
        let power = "10" + String(String(exponent).map { superscripts[$0]! })
        return mantissa == 1 ? power : "\(mantissa)×\(power)"
    }
}
