#if canImport(Glibc)
import Glibc
#endif
import CMPI
import CMPIShim

/// MPI_COMM_WORLD, with MPI initialized once per process (MPI_THREAD_FUNNELED:
/// only the thread that called `world()` calls MPI) and errors returned, not
/// fatal.
///
/// Before initializing it pins Open MPI's all-reduce algorithm to the ring
/// (reduce-scatter then all-gather) for both the blocking (`coll/tuned`) and the
/// non-blocking (`coll/libnbc`) collectives, unless the environment already sets
/// them: Open MPI otherwise picks the algorithm from the message size and the
/// number of ranks, and a pinned algorithm makes the order in which each element
/// is summed a function of the rank count and the bucket sizes alone. In the ring
/// each element is summed once, by one chain of ranks, and then copied to every
/// rank, so all ranks hold bit-for-bit the same sums.
public final class Communicator {
    public let rank: Int
    public let size: Int
    let comm: MPI_Comm

    nonisolated(unsafe) private static var shared: Communicator?

    /// The world communicator; initializes MPI on the first call.
    public static func world() throws(DistributedError) -> Communicator {
        if let shared { return shared }
        setenv("OMPI_MCA_coll_tuned_use_dynamic_rules", "1", 0)
        setenv("OMPI_MCA_coll_tuned_allreduce_algorithm", "4", 0)
        setenv("OMPI_MCA_coll_libnbc_iallreduce_algorithm", "1", 0)
        var initialized: Int32 = 0
        MPI_Initialized(&initialized)
        if initialized == 0 {
            var provided: Int32 = 0
            let code = MPI_Init_thread(nil, nil, cmpi_thread_funneled(), &provided)
            guard code == cmpi_success() else { throw .mpi(call: "MPI_Init_thread", code: code, message: "") }
        }
        let comm = cmpi_comm_world()!
        MPI_Comm_set_errhandler(comm, cmpi_errors_return())
        var rank: Int32 = 0, size: Int32 = 0
        MPI_Comm_rank(comm, &rank)
        MPI_Comm_size(comm, &size)
        let world = Communicator(comm: comm, rank: Int(rank), size: Int(size))
        shared = world
        return world
    }

    private init(comm: MPI_Comm, rank: Int, size: Int) {
        self.comm = comm
        self.rank = rank
        self.size = size
    }

    /// Finalizes MPI (call once, at the end of the program, on every rank).
    public static func finalize() {
        var finalized: Int32 = 0
        MPI_Finalized(&finalized)
        if finalized == 0 { MPI_Finalize() }
    }

    /// Throws `.mpi` when `code` is not MPI_SUCCESS.
    func check(_ code: Int32, _ call: String) throws(DistributedError) {
        guard code != cmpi_success() else { return }
        var text = [CChar](repeating: 0, count: 512)
        var length: Int32 = 0
        MPI_Error_string(code, &text, &length)
        throw .mpi(call: call, code: code, message: String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// The reductions of small integer vectors (agreement steps).
    public enum IntegerReduction { case max, sum }

    /// Element-wise maximum or sum of `values` over all ranks, in place (blocking).
    public func allreduce(_ values: inout [Int64], _ reduction: IntegerReduction) throws(DistributedError) {
        let count = Int32(values.count)
        let op = reduction == .max ? cmpi_max() : cmpi_sum()
        let code = values.withUnsafeMutableBufferPointer {
            MPI_Allreduce(cmpi_in_place(), $0.baseAddress, count, cmpi_int64(), op, comm)
        }
        try check(code, "MPI_Allreduce(\(reduction))")
    }

    /// Sum of `buffer` over all ranks, in place (blocking MPI_Allreduce). MPI counts
    /// are 32-bit: longer buffers go in pieces of at most Int32.max elements.
    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) throws(DistributedError) {
        for piece in Self.pieces(of: buffer) {
            try check(MPI_Allreduce(cmpi_in_place(), piece.baseAddress, Int32(piece.count), cmpi_double(), cmpi_sum(), comm),
                      "MPI_Allreduce(sum)")
        }
    }

    /// Starts the in-place sum of `buffer` over all ranks (MPI_Iallreduce); the
    /// requests go to `requests`. `buffer` must stay untouched until they complete.
    func startAllreduceSum(_ buffer: UnsafeMutableBufferPointer<Double>, into requests: inout [MPI_Request?])
        throws(DistributedError) {
        for piece in Self.pieces(of: buffer) {
            var request: MPI_Request? = cmpi_request_null()
            try check(MPI_Iallreduce(cmpi_in_place(), piece.baseAddress, Int32(piece.count), cmpi_double(), cmpi_sum(),
                                     comm, &request), "MPI_Iallreduce(sum)")
            requests.append(request)
        }
    }

    /// Lets outstanding non-blocking collectives progress (Open MPI's libnbc moves
    /// only inside MPI calls) without waiting.
    func progress(_ requests: inout [MPI_Request?]) throws(DistributedError) {
        guard !requests.isEmpty else { return }
        var done: Int32 = 0
        try check(MPI_Testall(Int32(requests.count), &requests, &done, cmpi_statuses_ignore()), "MPI_Testall")
    }

    /// Waits for all `requests` and empties the list.
    func waitAll(_ requests: inout [MPI_Request?]) throws(DistributedError) {
        guard !requests.isEmpty else { return }
        defer { requests.removeAll(keepingCapacity: true) }
        try check(MPI_Waitall(Int32(requests.count), &requests, cmpi_statuses_ignore()), "MPI_Waitall")
    }

    /// Blocks until every rank has called it.
    public func barrier() throws(DistributedError) { try check(MPI_Barrier(comm), "MPI_Barrier") }

    private static func pieces(of buffer: UnsafeMutableBufferPointer<Double>) -> [UnsafeMutableBufferPointer<Double>] {
        let limit = Int(Int32.max)
        return stride(from: 0, to: buffer.count, by: limit).map {
            UnsafeMutableBufferPointer(rebasing: buffer[$0..<min($0 + limit, buffer.count)])
        }
    }
}
