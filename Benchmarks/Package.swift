// swift-tools-version:6.1
// Benchmarks for StructuredAutodiff, kept in their own package so that the
// benchmark dependencies (ordo-one/benchmark and what it pulls in) never reach
// the library's dependency graph.
//
//   swift run -c release sparse-bench [--json]          # kernel timings, table or JSON
//   swift run -c release solve-bench [--side M]          # W4 forward + backward, solves per run
//   swift run -c release jacobian-bench [--m30]          # sparse Jacobians, report/jacobian-bench.json
//   swift package --disable-sandbox benchmark            # the package-benchmark suites
//   swift run -c release examples all                    # the training examples, SVGs in report/examples
//   swift test --filter ExamplesTests                    # the examples at their small sizes
import PackageDescription

let package = Package(
    name: "StructuredAutodiffBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "StructuredAutodiff", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        // Already in the graph through ordo-one/benchmark; the examples' command line.
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.6.0"),
    ],
    targets: [
        // CHOLMOD's C API for calling cholmod_l_sdmult directly, side by side with
        // the library. Not named CSuiteSparse: that is the library's own module.
        .systemLibrary(name: "CCholmodDirect"),
        // What both executables share: the workload (grid Laplacian and dense
        // operands) and the monotonic timing helpers.
        .target(
            name: "BenchmarkSupport",
            dependencies: [.product(name: "SparseJacobian", package: "StructuredAutodiff")]),
        // Plain timing table (or JSON) for the 1000×1000 grid; see Sources/sparse-bench.
        .executableTarget(
            name: "sparse-bench",
            dependencies: [
                "BenchmarkSupport", "CCholmodDirect",
                .product(name: "SparseJacobian", package: "StructuredAutodiff"),
            ]),
        // W4 (sparse SPD solve) forward + backward: median time, factorizations and solves per run.
        .executableTarget(
            name: "solve-bench",
            dependencies: ["BenchmarkSupport", "ReferenceModels", .product(name: "Engine", package: "StructuredAutodiff"),
                           .product(name: "SparseJacobian", package: "StructuredAutodiff")]),
        // Engine throughput: elementwise ops against a copy, transcendentals, per-op overhead.
        .executableTarget(
            name: "engine-bench",
            dependencies: ["BenchmarkSupport", .product(name: "Engine", package: "StructuredAutodiff")]),
        // Sparse Jacobians of a Newton residual at m = 1000: pattern, coloring,
        // products (report/jacobian-bench.json).
        .executableTarget(
            name: "jacobian-bench",
            dependencies: ["BenchmarkSupport", .product(name: "Engine", package: "StructuredAutodiff"),
                           .product(name: "SparseJacobian", package: "StructuredAutodiff")]),
        // The four reference models of the memory report, shared by the report and the suites.
        .target(
            name: "ReferenceModels",
            dependencies: [.product(name: "Engine", package: "StructuredAutodiff"),
                           .product(name: "SparseJacobian", package: "StructuredAutodiff")]),
        // `make report`: the memory report (report/results.json, REPORT.md, index.html).
        .executableTarget(
            name: "memory-report",
            dependencies: ["BenchmarkSupport", "ReferenceModels", .product(name: "Engine", package: "StructuredAutodiff")]),
        // Planner speed: 10^3 to 10^5 buffers on three kinds of schedule.
        .executableTarget(
            name: "plan-bench",
            dependencies: ["BenchmarkSupport", .product(name: "MemoryPlanner", package: "StructuredAutodiff")]),
        // The training examples (karate club graph convolution, Poisson inverse
        // problem, Gaussian precision by maximum likelihood), parameterised by size,
        // and the SVG charts they draw.
        .target(
            name: "TrainingExamples",
            dependencies: ["BenchmarkSupport", .product(name: "Engine", package: "StructuredAutodiff"),
                           .product(name: "SparseJacobian", package: "StructuredAutodiff")]),
        // `make examples`: each example at its full size, progress printed, an SVG each.
        .executableTarget(
            name: "examples",
            dependencies: ["TrainingExamples", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // The examples at their small sizes (part of `make test`).
        .testTarget(
            name: "ExamplesTests",
            dependencies: ["TrainingExamples", .product(name: "Engine", package: "StructuredAutodiff"),
                           .product(name: "SparseJacobian", package: "StructuredAutodiff")]),
        // package-benchmark suite; the plugin runs executables whose directory's
        // parent is named "Benchmarks", hence Benchmarks/Benchmarks/SparseKernels.
        .executableTarget(
            name: "SparseKernels",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "SparseJacobian", package: "StructuredAutodiff"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/SparseKernels",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        // package-benchmark suite: the reference models' forward + backward, time and mallocs.
        .executableTarget(
            name: "EngineModels",
            dependencies: [
                "ReferenceModels",
                .product(name: "Engine", package: "StructuredAutodiff"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/EngineModels",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    ]
)
