// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "StructuredAutodiff",
    products: [
        .library(name: "SparseJacobian", targets: ["SparseJacobian"]),
        .library(name: "MemoryPlanner", targets: ["MemoryPlanner"]),
        .library(name: "Engine", targets: ["Engine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        // `make docs` only: the DocC plugin (a command plugin; no library target depends on it).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // CHOLMOD (SuiteSparse) and the cblas interface of OpenBLAS, which CHOLMOD links with.
        .systemLibrary(name: "CSuiteSparse"),
        .target(name: "SparseJacobian", dependencies: ["CSuiteSparse"]),
        .target(name: "MemoryPlanner"),
        // SLEEF's vectorized exp, log and tanh over arrays (AVX2 chosen at run time).
        .target(name: "CVectorMath", linkerSettings: [.linkedLibrary("sleef")]),
        .target(name: "Engine", dependencies: ["SparseJacobian", "MemoryPlanner", "CVectorMath"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "SparseJacobian"]),
        .testTarget(name: "SparseJacobianTests", dependencies: ["SparseJacobian"]),
        .testTarget(
            name: "MemoryPlannerTests",
            dependencies: [
                "MemoryPlanner",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
    ]
)
