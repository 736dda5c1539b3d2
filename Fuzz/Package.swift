// swift-tools-version:6.1
// The libFuzzer target of StructuredAutodiff, in its own package so that the
// library's build never sees the fuzzer flags. Build and run with `make fuzz`
// from the repository root (FUZZ_SECONDS, default 600); by hand:
//
//   swift build --package-path Fuzz --scratch-path Fuzz/.build -Xswiftc -sanitize=fuzzer,address
//   Fuzz/.build/debug/EngineFuzz Fuzz/corpus-work Fuzz/corpus -max_total_time=600
import PackageDescription

/// The library's products the target fuzzes.
let library: [Target.Dependency] = ["Engine", "SparseJacobian"].map { .product(name: $0, package: "StructuredAutodiff") }

let package = Package(
    name: "StructuredAutodiffFuzz",
    dependencies: [.package(name: "StructuredAutodiff", path: "..")],
    targets: [
        // The declaration of libFuzzer's driver (the library comes with -sanitize=fuzzer).
        .target(name: "CFuzzerDriver"),
        .executableTarget(name: "EngineFuzz", dependencies: ["CFuzzerDriver"] + library),
    ]
)
