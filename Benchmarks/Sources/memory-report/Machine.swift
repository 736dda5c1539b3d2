import BenchmarkSupport
import Foundation

/// The machine the report ran on, with its copy bandwidth measured in the same run.
struct Machine: Codable {
    var cpu: String
    var cores: Int
    var memoryBytes: Int
    /// memcpy of 256 MiB on one thread, bytes read plus written per second (median of 5).
    var copyBandwidthOneThread: Double
    var swiftVersion: String
    var date: String

    static func describe() -> Machine {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces) } ?? "unknown"
        let count = 32 << 20
        let source = [Double](repeating: 1, count: count)
        var destination = [Double](repeating: 0, count: count)
        let copy = Stopwatch.sample(count: 5) {
            destination.withUnsafeMutableBytes { d in source.withUnsafeBytes { s in _ = memcpy(d.baseAddress!, s.baseAddress!, s.count) } }
        }
        #if swift(>=6.3)
        let swift = "6.3 or later"
        #else
        let swift = "before 6.3"
        #endif
        return Machine(cpu: model, cores: ProcessInfo.processInfo.activeProcessorCount,
                       memoryBytes: Int(ProcessInfo.processInfo.physicalMemory),
                       copyBandwidthOneThread: Double(16 * count) / copy.median, swiftVersion: swift,
                       date: ISO8601DateFormatter().string(from: Date()))
    }
}
