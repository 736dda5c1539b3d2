import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Resident memory of this process from /proc/self/status (Linux).
enum ResidentMemory {
    /// VmRSS and VmHWM (peak) in bytes.
    static func current() -> (resident: Int, peak: Int) {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
        func field(_ name: String) -> Int {
            for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
                let digits = line.split(separator: " ").compactMap { Int($0) }
                return (digits.first ?? 0) * 1024
            }
            return 0
        }
        return (field("VmRSS"), field("VmHWM"))
    }

    /// Resets the peak to the current resident size (writing 5 to clear_refs).
    static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }

    /// Returns freed heap memory to the system (glibc's malloc_trim, looked up at
    /// run time: <malloc.h> is not part of Swift's Glibc module), so that memory an
    /// earlier model freed does not hide this one's growth.
    static func trimHeap() {
        typealias Trim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
    }

    /// Peak resident bytes added while `body` runs: the peak during it minus the
    /// resident size just before (nil if the peak cannot be reset).
    static func peakIncrease(_ body: () throws -> Void) rethrows -> Int? {
        trimHeap()
        guard resetPeak() else { try body(); return nil }
        let before = current().resident
        try body()
        return max(0, current().peak - before)
    }
}
