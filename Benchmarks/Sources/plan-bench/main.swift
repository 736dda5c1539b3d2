// Times Planner.plan on random schedules of 10^3, 10^4 and 10^5 buffers.
//
//   cd Benchmarks && swift run -c release plan-bench
//   swift run -c release plan-bench <random|heavy|backprop> <n> <strategy|all>   (one case, for profiling)
//
// Times are process CPU time (the machine may be shared), median of 5 runs, in milliseconds.
// A single-strategy column times plan(strategies: [s]), which also runs what every plan runs:
// the checks, the in-place takeovers, the eager simulation (= first fit by start) and the
// statistics. So the firstFitByStart column is that common part alone.
import BenchmarkSupport
import Foundation
import MemoryPlanner

/// n buffers over n steps, one written per step. Lifetimes mostly short: 80% live 1-3 steps,
/// 15% 4-64, 4% 65-longest/5, 1% up to `longest`; 8 pinned. Sizes log-uniform 256 B - 1 MiB.
/// A fifth of the buffers may take over one that dies where they start.
func randomSchedule(_ n: Int, seed: UInt64, longest: Int) -> (buffers: [Buffer], steps: Int) {
    var rng = SplitMix64(seed: seed)
    var buffers: [Buffer] = []
    var endingAt: [Int: [Int]] = [:]
    for i in 0..<n {
        let roll = Int.random(in: 0..<100, using: &rng)
        let length =
            roll < 80 ? Int.random(in: 1...3, using: &rng)
            : roll < 95 ? Int.random(in: 4...64, using: &rng)
            : roll < 99 ? Int.random(in: 65...max(65, longest / 5), using: &rng)
            : Int.random(in: 1...max(1, longest), using: &rng)
        let first = i, last = min(n - 1, i + length - 1)
        let size = Int(256 * pow(2, Double.random(in: 0...12, using: &rng)))
        var candidates: [Int] = []
        if Int.random(in: 0..<5, using: &rng) == 0, let dying = endingAt[first]?.first { candidates = [dying] }
        buffers.append(Buffer(size: size, firstStep: first, lastStep: last, isPinned: i < 8, inPlaceCandidates: candidates))
        endingAt[last, default: []].append(i)
    }
    return (buffers, n)
}

/// A training step's shape at its worst: n/2 forward ops each saving an activation until the
/// matching backward op (nested lifetimes: n/2 live at the turn), plus a gradient per backward
/// op that lives two steps.
func backpropSchedule(_ n: Int, seed: UInt64) -> (buffers: [Buffer], steps: Int) {
    var rng = SplitMix64(seed: seed)
    let depth = n / 2, steps = 2 * depth
    var buffers: [Buffer] = []
    for i in 0..<depth {
        buffers.append(Buffer(size: Int.random(in: 1...64, using: &rng) * 4096, firstStep: i, lastStep: steps - 1 - i))
    }
    for i in 0..<(n - depth) {
        let step = depth + i
        buffers.append(
            Buffer(size: Int.random(in: 1...64, using: &rng) * 4096, firstStep: step, lastStep: min(steps - 1, step + 1)))
    }
    return (buffers, steps)
}

/// CPU time of this process: the machine may be shared, and wall time then measures the others.
func cpuMilliseconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) * 1e3 + Double(t.tv_nsec) * 1e-6
}

func liveCounts(_ buffers: [Buffer], _ steps: Int) -> (max: Int, mean: Int) {
    var diff = [Int](repeating: 0, count: steps + 1)
    for b in buffers {
        diff[b.isPinned ? 0 : b.firstStep] += 1
        diff[(b.isPinned ? steps - 1 : b.lastStep) + 1] -= 1
    }
    var live = 0, most = 0, total = 0
    for s in 0..<steps { live += diff[s]; most = max(most, live); total += live }
    return (most, total / max(steps, 1))
}

func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count) }

let workloads: [(name: String, make: (Int) -> (buffers: [Buffer], steps: Int))] = [
    ("random: mostly short, some long (longest 1000 steps)", { randomSchedule($0, seed: 42, longest: 1000) }),
    ("heavy tail: as random, longest n/2 steps", { randomSchedule($0, seed: 42, longest: $0 / 2) }),
    ("backprop: n/2 nested saved activations", { backpropSchedule($0, seed: 42) }),
]

let arguments = CommandLine.arguments
if arguments.count == 4 {
    let n = Int(arguments[2])!
    let (buffers, steps) = workloads[["random", "heavy", "backprop"].firstIndex(of: arguments[1])!].make(n)
    let strategies = Strategy(rawValue: arguments[3]).map { [$0] } ?? Strategy.allCases
    var best = Double.infinity, plan: Plan? = nil
    for _ in 0..<5 {
        let start = cpuMilliseconds()
        plan = try! Planner.plan(buffers, stepCount: steps, strategies: strategies)
        best = min(best, cpuMilliseconds() - start)
    }
    print("arena \(plan!.arenaSize) in \(String(format: "%.1f", best)) ms CPU (best of 5)")
    exit(0)
}

let runs = 5
let columns = Strategy.allCases.map { [$0] } + [Strategy.allCases]
for workload in workloads {
    print("\n\(workload.name). Median of \(runs) runs, ms CPU.")
    print(pad("n", 8) + pad("live max/mean", 15) + (Strategy.allCases.map(\.rawValue) + ["plan (all)"]).map { pad($0, 17) }.joined())
    for n in [1_000, 10_000, 100_000] {
        let (buffers, steps) = workload.make(n)
        var cells: [String] = []
        var plan: Plan? = nil
        for strategies in columns {
            var samples: [Double] = []
            for _ in 0..<runs {
                let start = cpuMilliseconds()
                plan = try! Planner.plan(buffers, stepCount: steps, strategies: strategies)
                samples.append(cpuMilliseconds() - start)
            }
            cells.append(pad(String(format: "%.1f", samples.sorted()[runs / 2]), 17))
        }
        let live = liveCounts(buffers, steps)
        print(pad("\(n)", 8) + pad("\(live.max)/\(live.mean)", 15) + cells.joined())
        let p = plan!, s = p.statistics
        let start = cpuMilliseconds()
        try! p.validate()
        let validation = cpuMilliseconds() - start
        print(String(
            format: "        arena %.2f MiB by %@ (lower bound %.2f, eager %.2f, naive %.2f; fragmentation %.1f%%); validate %.1f ms",
            Double(p.arenaSize) / 1048576, p.strategy.rawValue, Double(s.lowerBound) / 1048576, Double(s.eager) / 1048576,
            Double(s.naive) / 1048576, 100 * s.fragmentation, validation))
    }
}
