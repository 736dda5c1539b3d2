/// The fill-reducing ordering of a `SparseCholesky` analysis.
///
/// On the 5-point Laplacian of a 1000×1000 grid (measured here with CHOLMOD):
/// AMD gives nnz(L) = 44.7 M and 18.2 GFLOP per factorization with a 1 s
/// analysis; METIS 34.0 M and 12.6 GFLOP with a 5 s analysis.
public enum CholeskyOrdering: Hashable, Sendable, CustomStringConvertible {
    /// Approximate minimum degree (CHOLMOD_AMD): the cheapest analysis.
    case amd
    /// METIS nested dissection (CHOLMOD_METIS): less fill on meshes and grids,
    /// a slower analysis.
    case metis
    /// CHOLMOD's own nested dissection (CHOLMOD_NESDIS: METIS separators, then
    /// constrained minimum degree on the parts).
    case nestedDissection
    /// AMD, then METIS as well when the factorization will be run often enough to
    /// repay METIS's slower analysis; the ordering with fewer flops is kept
    /// (AMD's if METIS fails).
    ///
    /// The rule: METIS is tried when `expectedRuns · flops(AMD) ≥
    /// metisBreakEven · nnz(A)`. The right side is METIS's extra analysis time
    /// expressed in factorization flops (measured here: 4 s more than AMD on
    /// nnz(A) = 5·10⁶, at 8 GFLOP/s factorization speed, for a 30 % flop saving:
    /// 4 s · 8·10⁹ / 0.3 / 5·10⁶ ≈ 2·10⁴ flops per nonzero). For the 10⁶ grid,
    /// flops/nnz(A) = 3640, so METIS is tried from 6 expected runs on. Both sides
    /// scale with the machine's speed, so the rule does not depend on it much.
    case automatic(expectedRuns: Int)

    /// Factorization flops per nonzero of A that METIS's extra analysis costs
    /// (see `automatic`).
    public static let metisBreakEven = 20_000.0

    public var description: String {
        switch self {
        case .amd: return "AMD"
        case .metis: return "METIS"
        case .nestedDissection: return "nested dissection"
        case let .automatic(runs): return "automatic (\(runs) expected runs)"
        }
    }
}
