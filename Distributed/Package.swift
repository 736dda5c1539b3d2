// swift-tools-version:6.1
// Data-parallel gradients over MPI, in a package of its own: the root package
// (and `make test`) never needs Open MPI, because SwiftPM builds every target of
// a package for `swift test`, and a system library whose headers are missing
// breaks the build of all of them.
//
//   make mpi-test                                   # installs Open MPI if missing, runs the checks on 2 and 3 ranks
//   mpirun -np 2 .build/release/dp-mlp [--bench]    # W2's batch split across ranks, a few SGD steps
import PackageDescription

let package = Package(
    name: "StructuredAutodiffDistributed",
    products: [
        .library(name: "DistributedEngine", targets: ["DistributedEngine"]),
    ],
    dependencies: [
        .package(name: "StructuredAutodiff", path: ".."),
    ],
    targets: [
        // Open MPI's C API (libopenmpi-dev); flags from pkg-config's ompi-c.
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c",
                       providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),
        // MPI_COMM_WORLD, MPI_DOUBLE, MPI_SUM, MPI_IN_PLACE… as functions.
        .target(name: "CMPIShim", dependencies: ["CMPI"]),
        // The Program runner that sums gradients across ranks.
        .target(name: "DistributedEngine",
                dependencies: ["CMPI", "CMPIShim", .product(name: "Engine", package: "StructuredAutodiff")]),
        // The reference MLP (W2) over a range of the batch, shared by the checks and the example.
        .target(name: "DataParallelModels",
                dependencies: [.product(name: "Engine", package: "StructuredAutodiff")]),
        // `make mpi-test`: run under mpirun; exits non-zero when a check fails.
        .executableTarget(name: "distributed-check",
                          dependencies: ["DistributedEngine", "DataParallelModels",
                                         .product(name: "Engine", package: "StructuredAutodiff"),
                                         .product(name: "SparseJacobian", package: "StructuredAutodiff")]),
        // The example and the measurement: W2's batch split across ranks, SGD steps, loss on rank 0.
        .executableTarget(name: "dp-mlp",
                          dependencies: ["DistributedEngine", "DataParallelModels",
                                         .product(name: "Engine", package: "StructuredAutodiff")]),
    ]
)
