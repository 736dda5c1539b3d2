/// Errors of a data-parallel run. Every rank throws together: a rank that fails
/// rethrows its own error and the others throw `peerFailed`.
public enum DistributedError: Error, Equatable, CustomStringConvertible {
    /// An MPI call returned an error code (MPI_ERRORS_RETURN is set on the communicator).
    case mpi(call: String, code: Int32, message: String)
    /// `count` ranks threw during this step, or at least one while building its
    /// program (then `count` is 1: that agreement takes a maximum); the gradients
    /// of this step are not valid on any rank.
    case peerFailed(count: Int)
    /// The ranks' programs do not agree on the gradients to reduce: their number,
    /// shapes or output size differ. `shapes` are this rank's.
    case shapeMismatch(rank: Int, shapes: [[Int]], reason: String)
    /// A bad argument to the runner itself.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .mpi(call, code, message): "\(call) failed with MPI error \(code): \(message)"
        case let .peerFailed(count): "\(count) other rank(s) failed in this step; no rank has valid gradients"
        case let .shapeMismatch(rank, shapes, reason): "rank \(rank) with gradient shapes \(shapes): \(reason)"
        case let .invalidArgument(reason): "invalid argument: \(reason)"
        }
    }
}
