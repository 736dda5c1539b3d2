// W2 (the reference dense MLP: B = 512, D = 1024, four hidden layers of 1024,
// C = 10, mean cross-entropy) with its batch split across MPI ranks, trained with
// plain SGD; every rank applies the same summed gradients, so the replicas stay
// identical. Rank 0 prints the loss of the whole batch at each step.
//
//   mpirun --allow-run-as-root -np 2 .build/release/dp-mlp [--steps 5] [--lr 0.05]
//          [--reduction overlapped|afterRun] [--bucket-bytes 4194304] [--small]
//   mpirun ... dp-mlp --bench [--steps 20]   # time per step, both reductions alternated
import DataParallelModels
import DistributedEngine
import Engine
#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var steps = 5
    var learningRate = 0.05
    var reduction = DataParallelProgram.Reduction.overlapped
    var bucketBytes = DataParallelProgram.defaultBucketBytes
    var bench = false
    var small = false

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        func value() throws -> String {
            guard let v = rest.popFirst() else { throw DistributedError.invalidArgument("missing value") }
            return v
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--steps": steps = Int(try value()) ?? steps
            case "--lr": learningRate = Double(try value()) ?? learningRate
            case "--bucket-bytes": bucketBytes = Int(try value()) ?? bucketBytes
            case "--reduction":
                let name = try value()
                guard let r = DataParallelProgram.Reduction(rawValue: name) else {
                    throw DistributedError.invalidArgument("unknown reduction \(name)")
                }
                reduction = r
            case "--bench": bench = true
            case "--small": small = true
            default: throw DistributedError.invalidArgument("unknown option \(flag)")
            }
        }
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? .nan : (sorted[(sorted.count - 1) / 2] + sorted[sorted.count / 2]) / 2
}

func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + 1e-9 * Double(t.tv_nsec)
}

/// SGD steps; the loss of the whole batch on rank 0.
func train(_ model: DataParallelMLP, _ world: Communicator, _ options: Options) throws {
    let rows = model.share(rank: world.rank, of: world.size)
    let runner = try DataParallelProgram(communicator: world, reduction: options.reduction,
                                         bucketBytes: options.bucketBytes) { try model.program(rows: rows) }
    var parameters = model.initialParameters()
    let (features, _) = model.data(rows: rows)
    var result = runner.makeResult()
    if world.rank == 0 {
        print("W2 over \(world.size) rank(s): B = \(model.batch) (rank 0: rows \(rows)), \(options.reduction), "
              + "\(runner.callsPerStep) all-reduce call(s), \(runner.bytesReducedPerStep) bytes per step and rank")
    }
    for step in 0..<options.steps {
        let loss = try runner.run([features] + parameters, seed: model.seed(rows: rows), into: &result)
        if world.rank == 0 { print("step \(step): loss \(loss)") }
        for k in parameters.indices {
            let g = result.gradients[k].scalars
            parameters[k].scalars.withUnsafeMutableBufferPointer { p in
                for i in p.indices { p[i] -= options.learningRate * g[i] }
            }
        }
    }
}

/// Time per step of both reductions, alternated step by step in one process so
/// that the machine's noise hits both alike; on one rank also the plain program.
func bench(_ model: DataParallelMLP, _ world: Communicator, _ options: Options) throws {
    let rows = model.share(rank: world.rank, of: world.size)
    let reductions: [DataParallelProgram.Reduction] = [.afterRun, .overlapped]
    let runners = try reductions.map { reduction in
        try DataParallelProgram(communicator: world, reduction: reduction, bucketBytes: options.bucketBytes) {
            try model.program(rows: rows)
        }
    }
    let plain = try model.program(rows: rows)
    let inputs = [model.data(rows: rows).features] + model.initialParameters()
    let seed = model.seed(rows: rows)
    var results = runners.map { $0.makeResult() }
    var plainResult = plain.makeResult()
    var times = [[Double]](repeating: [], count: 4), tails = [[Double]](repeating: [], count: 2)
    // The same buckets all-reduced alone, after a barrier: the communication without the wait for the slowest rank.
    let layout = runners[0].layout
    let scratch = UnsafeMutableBufferPointer<Double>.allocate(capacity: layout.totalCount)
    scratch.initialize(repeating: 1e-3)
    defer { scratch.deallocate() }
    for step in -2..<options.steps {   // two warm-up rounds
        for (m, runner) in runners.enumerated() {
            try world.barrier()
            let start = monotonicSeconds()
            try runner.run(inputs, seed: seed, into: &results[m])
            let elapsed = monotonicSeconds() - start
            // The step's time is the slowest rank's.
            var slowest: [Int64] = [Int64(elapsed * 1e9)]
            try world.allreduce(&slowest, .max)
            if step >= 0 { times[m].append(Double(slowest[0]) * 1e-9); tails[m].append(runner.lastTailSeconds) }
        }
        try world.barrier()
        let start = monotonicSeconds()
        try plain.run(inputs, seed: seed, into: &plainResult)
        var slowest: [Int64] = [Int64((monotonicSeconds() - start) * 1e9)]
        try world.allreduce(&slowest, .max)
        if step >= 0 { times[2].append(Double(slowest[0]) * 1e-9) }
        try world.barrier()
        let reduceStart = monotonicSeconds()
        for b in 0..<layout.bucketCount {
            try world.allreduceSum(UnsafeMutableBufferPointer(rebasing: scratch[layout.starts[b]..<layout.starts[b + 1]]))
        }
        slowest = [Int64((monotonicSeconds() - reduceStart) * 1e9)]
        try world.allreduce(&slowest, .max)
        if step >= 0 { times[3].append(Double(slowest[0]) * 1e-9) }
    }
    guard world.rank == 0 else { return }
    let names = reductions.map(\.rawValue) + ["local program alone (no reduction)", "the buckets' MPI_Allreduce alone"]
    print("W2, \(world.size) rank(s), rows per rank \(rows.count), \(options.steps) steps each, medians (slowest rank):")
    print("bytes reduced per step and rank: \(runners[0].bytesReducedPerStep) in \(runners[0].callsPerStep) call(s)")
    for m in 0..<4 {
        let tail = m < 2 ? String(format: ", after the backward pass %.2f ms", 1e3 * median(tails[m])) : ""
        print(String(format: "  %@: %.1f ms per step%@", names[m], 1e3 * median(times[m]), tail))
    }
    let saved = zip(times[0], times[1]).map { $0 - $1 }
    print(String(format: "  overlap saved (median of per-step afterRun − overlapped): %.1f ms", 1e3 * median(saved)))
}

let world = try Communicator.world()
do {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    let model = options.small ? DataParallelMLP(batch: 64, inputs: 64, width: 64, hidden: 2, classes: 10) : .w2
    if options.bench { try bench(model, world, options) } else { try train(model, world, options) }
} catch {
    print("rank \(world.rank): \(error)")
    Communicator.finalize()
    exit(1)
}
Communicator.finalize()
