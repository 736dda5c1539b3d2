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
        /// How the peer was run ("eager", "torch.compile", "jit, scan over
        /// checkpointed blocks", …); nil in files written before configurations.
        var configuration: String?
        var supported: Bool
        var reason: String?
        var note: String?
        var loss: Double?
        var checksums: [String: Checksum]?
        var time: Time?
        var peakResidentBytes: Int?
        /// Peak resident rise during one forward + backward minus the returned gradients' bytes.
        var workspaceBytes: Int?
        /// An iterative method (its gradients agree to its tolerance, not to rounding).
        var iterative: Bool?
        /// ‖A·x − b‖ / ‖b‖ of an iterative solve.
        var relativeResidual: Double?

        var configurationName: String { configuration ?? "default" }
    }

    var peers: [Peer]

    /// Every configuration a peer ran of one model at one size, in file order.
    func configurations(of peer: Peer, model: String, variant: String) -> [Model] {
        (peer.models ?? []).filter { $0.model == model && $0.variant == variant }
    }

    /// The configuration of `peer` with the least workspace, and the one with the
    /// least median time, among those that ran (nil when none did).
    func best(of peer: Peer, model: String, variant: String) -> (workspace: Model?, time: Model?) {
        let ran = configurations(of: peer, model: model, variant: variant).filter { $0.supported }
        return (ran.filter { $0.workspaceBytes != nil }.min { $0.workspaceBytes! < $1.workspaceBytes! },
                ran.filter { $0.time?.medianSeconds != nil }.min { $0.time!.medianSeconds! < $1.time!.medianSeconds! })
    }

    /// The peers' results, or nil when the file is missing or unreadable.
    static func load(from path: String) -> Peers? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(Peers.self, from: data)
    }

    /// Worst relative difference between our checksums and a peer's, over every
    /// gradient they share (nil when they share none). The sum of magnitudes is
    /// compared relative to itself; the sum and the weighted sum relative to the
    /// sum of magnitudes (times the largest weight, 7), which is the scale of
    /// their rounding error: a sum that cancels (the gradient of a softmax's bias
    /// sums to zero) has no relative digits of its own to compare.
    static func worstRelativeDifference(_ ours: [String: Checksum], _ theirs: [String: Checksum]) -> Double? {
        var worst: Double?
        for (name, a) in ours {
            guard let b = theirs[name] else { continue }
            let magnitude = max(abs(a.abs), abs(b.abs), 1e-300)
            for (x, y, scale) in [(a.abs, b.abs, magnitude), (a.sum, b.sum, magnitude), (a.weighted, b.weighted, 7 * magnitude)] {
                worst = max(worst ?? 0, abs(x - y) / scale)
            }
        }
        return worst
    }
}
