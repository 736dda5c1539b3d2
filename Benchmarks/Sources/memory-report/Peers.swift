import Foundation

/// Other implementations' results (report/peers.json, written by `make peers`):
/// the same models with NumPy/SciPy by hand, JAX and PyTorch.
struct Peers: Codable {
    struct Peer: Codable {
        var implementation: String
        var version: String?
        var error: String?
        var models: [Model]?
    }

    struct Model: Codable {
        struct Time: Codable {
            var buildSeconds: Double?
            var medianSeconds: Double?
            var minSeconds: Double?
            var runs: Int?
        }

        var model: String
        var variant: String
        var supported: Bool
        var reason: String?
        var loss: Double?
        var checksums: [String: Checksum]?
        var time: Time?
        var peakResidentBytes: Int?
    }

    var peers: [Peer]

    /// The peers' results, or nil when the file is missing or unreadable.
    static func load(from path: String) -> Peers? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(Peers.self, from: data)
    }

    /// Worst relative difference between our checksums and a peer's, over every
    /// gradient and statistic they share (nil when they share none). A sum that
    /// cancels (the gradient of a softmax's bias sums to zero) carries only
    /// rounding noise, so differences are taken relative to at least 10⁻⁶ of the
    /// sum of magnitudes.
    static func worstRelativeDifference(_ ours: [String: Checksum], _ theirs: [String: Checksum]) -> Double? {
        var worst: Double?
        for (name, a) in ours {
            guard let b = theirs[name] else { continue }
            for (x, y) in [(a.sum, b.sum), (a.abs, b.abs), (a.weighted, b.weighted)] {
                let scale = max(abs(x), abs(y), 1e-6 * max(abs(a.abs), abs(b.abs)), 1e-300)
                let difference = abs(x - y) / scale
                worst = max(worst ?? 0, difference)
            }
        }
        return worst
    }
}
