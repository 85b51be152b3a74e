// swift-tools-version:6.1
import PackageDescription

// The benchmarks are a package of their own so that the main build never resolves or compiles
// package-benchmark. Run them with `scripts/bench-ethereumkit` (or `swift package benchmark` here).
let package = Package(
    name: "aiplat-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "aiplat", path: ".."),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
        // Traits are named explicitly: the default "RuntimeInterposer" trait pulls
        // swift-runtime-interposer, which is not available offline on these machines.
        .package(
            url: "https://github.com/ordo-one/package-benchmark",
            exact: "1.38.1",
            traits: ["MallocInterposer"]
        ),
    ],
    targets: [
        // The operations and their inputs, shared by the two executables below.
        .target(
            name: "EthereumKitWorkloads",
            dependencies: [
                .product(name: "EthereumKit", package: "aiplat"),
                .product(name: "BigInt", package: "BigInt"),
            ],
            path: "Sources/EthereumKitWorkloads"
        ),
        // package-benchmark suite (its plugin runs executables whose folder sits in Benchmarks/).
        .executableTarget(
            name: "EthereumKitBenchmarks",
            dependencies: [
                "EthereumKitWorkloads",
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "EthereumKitBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "InferenceEngineBenchmarks",
            dependencies: [
                .product(name: "InferenceEngine", package: "aiplat"),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "InferenceEngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "RegistryBenchmarks",
            dependencies: [
                .product(name: "PlatformCore", package: "aiplat"),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "RegistryBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        // JSON-lines timer that scripts/bench-ethereumkit runs beside the Python and C references.
        .executableTarget(
            name: "EthereumKitCompare",
            dependencies: ["EthereumKitWorkloads"],
            path: "Sources/EthereumKitCompare"
        ),
    ]
)

for target in package.targets {
    target.swiftSettings = (target.swiftSettings ?? []) + [.swiftLanguageMode(.v6)]
}
