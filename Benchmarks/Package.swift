// swift-tools-version:6.1
import PackageDescription

// The benchmarks are a package of their own so that the main build never resolves or compiles
// package-benchmark. Run them with `scripts/bench-ethereumkit` (or `swift package benchmark` here).
let package = Package(
    name: "aiplat-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "aiplat", path: ".."),
        // Traits are named explicitly: the default "RuntimeInterposer" trait pulls
        // swift-runtime-interposer, which is not available offline on these machines.
        .package(
            url: "https://github.com/ordo-one/package-benchmark",
            exact: "1.38.1",
            traits: ["MallocInterposer"]
        ),
    ],
    targets: [
        .executableTarget(
            name: "EthereumKitBenchmarks",
            dependencies: [
                .product(name: "EthereumKit", package: "aiplat"),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "EthereumKitBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ]
)
