// package-benchmark suite for the SparseJacobian kernels on the 5-point grid
// Laplacian of a 300×300 grid (n = 90 000), tracking wall clock and mallocs:
//
//   swift package --disable-sandbox benchmark --target SparseKernels
//   swift package --disable-sandbox benchmark --filter 'sdmult.*'
import Benchmark
import BenchmarkSupport
import SparseJacobian

/// Operands shared by the suite, built on first use (in a warm-up iteration,
/// so neither the setup nor the Cholesky analysis is measured).
private final class Fixture {
    lazy var workload = GridWorkload(side: 300, columns: 16)
    /// The analysed (not yet factorized) Cholesky factor of the workload's matrix.
    lazy var factor: SparseCholesky = {
        do { return try workload.analyse() } catch { fatalError("Cholesky analysis failed: \(error)") }
    }()
}

let benchmarks: @Sendable () -> Void = {
    let fixture = Fixture()
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal],
        warmupIterations: 1,
        maxDuration: .seconds(2),
        maxIterations: 100)

    Benchmark("sdmult A*X grid300 k16", configuration: configuration) { benchmark in
        let workload = fixture.workload
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { try workload.multiply() }
        benchmark.stopMeasurement()
        blackHole(workload.y[0])
    }

    Benchmark("SDDMM grid300 k16", configuration: configuration) { benchmark in
        let workload = fixture.workload
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { workload.sampledProduct() }
        benchmark.stopMeasurement()
        blackHole(workload.sampled[0])
    }

    Benchmark("Cholesky factorize+solve grid300", configuration: configuration) { benchmark in
        let workload = fixture.workload, factor = fixture.factor
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            try workload.factorize(factor)
            try workload.solve(factor)
        }
        benchmark.stopMeasurement()
        blackHole(workload.solution[0])
    }
}
