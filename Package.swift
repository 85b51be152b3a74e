// swift-tools-version:6.1
import PackageDescription

// Layering (see docs/architecture.md): a module imports only modules on a lower level.
//   L0 PlatformCore            config, logging, metrics, SQLDatabase
//   L1 EthereumKit             keccak, secp256k1, RLP, ABI, transactions, JSON-RPC   <- PlatformCore
//   L1 InferenceEngine         tensors, f32 kernels (SIMD/BLAS), tensor ops            <- PlatformCore
//   L2 ModelRegistry           OCI registry logic and client, ModelPack manifests        <- PlatformCore
//   L6 PlatformServer          Hummingbird routes and wiring only                     <- every layer
//   L7 Apps/aiplat             the CLI                                                <- PlatformServer

let package = Package(
    name: "aiplat",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PlatformCore", targets: ["PlatformCore"]),
        .library(name: "EthereumKit", targets: ["EthereumKit"]),
        .library(name: "InferenceEngine", targets: ["InferenceEngine"]),
        .library(name: "ModelRegistry", targets: ["ModelRegistry"]),
        .library(name: "PlatformServer", targets: ["PlatformServer"]),
        .executable(name: "aiplat", targets: ["aiplat"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
        // exact: scripts/onnx/gen-proto-swift builds the matching protoc plugin for the committed code.
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
    ],
    targets: [
        // MARK: C system libraries
        .systemLibrary(
            name: "CSecp256k1",
            path: "Modules/CSecp256k1",
            pkgConfig: "libsecp256k1",
            providers: [.apt(["libsecp256k1-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            path: "Modules/COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CBLAS",
            path: "Modules/CBLAS",
            providers: [.apt(["libopenblas-dev"])]
        ),

        // MARK: C kernels
        .target(
            name: "CInferenceKernels",
            path: "Modules/CInferenceKernels",
            cSettings: [
                // SIMD kernels must be optimized even in debug builds (intrinsics at -O0 spill every
                // register); no FP contraction keeps the generic kernels bit-identical across machines.
                .unsafeFlags(["-O3", "-ffp-contract=off"]),
            ]
        ),

        // MARK: L0
        .target(
            name: "PlatformCore",
            dependencies: [
                "COpenSSL",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Modules/PlatformCore"
        ),

        // MARK: L1
        .target(
            name: "EthereumKit",
            dependencies: [
                "PlatformCore",
                "CSecp256k1",
                "COpenSSL",
                .product(name: "BigInt", package: "BigInt"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Modules/EthereumKit"
        ),
        .target(
            name: "InferenceEngine",
            dependencies: [
                "PlatformCore",
                "CInferenceKernels",
                "CBLAS",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "Modules/InferenceEngine"
        ),

        // MARK: L2
        .target(
            name: "ModelRegistry",
            dependencies: [
                "PlatformCore",
                "EthereumKit",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Modules/ModelRegistry"
        ),

        // MARK: L6
        .target(
            name: "PlatformServer",
            dependencies: [
                "PlatformCore",
                "EthereumKit",
                "InferenceEngine",
                "ModelRegistry",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Modules/PlatformServer"
        ),

        // MARK: L7
        .executableTarget(
            name: "aiplat",
            dependencies: [
                "PlatformServer",
                "PlatformCore",
                "EthereumKit",
                "InferenceEngine",
                "ModelRegistry",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "BigInt", package: "BigInt"),
            ],
            path: "Apps/aiplat"
        ),

        // MARK: Tests
        .testTarget(
            name: "PlatformCoreTests",
            dependencies: ["PlatformCore"],
            path: "Tests/PlatformCoreTests"
        ),
        .testTarget(
            name: "EthereumKitTests",
            dependencies: ["EthereumKit", .product(name: "BigInt", package: "BigInt")],
            path: "Tests/EthereumKitTests",
            resources: [.copy("Vectors")]
        ),
        .testTarget(
            name: "InferenceEngineTests",
            dependencies: ["InferenceEngine"],
            path: "Tests/InferenceEngineTests",
            resources: [.copy("Vectors"), .copy("Fixtures")]
        ),
        .testTarget(
            name: "ModelRegistryTests",
            dependencies: [
                "ModelRegistry", "PlatformCore", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/ModelRegistryTests"
        ),
        .testTarget(
            name: "PlatformServerTests",
            dependencies: [
                "PlatformServer",
                "InferenceEngine",
                "ModelRegistry",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/PlatformServerTests"
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["EthereumKit", "PlatformCore", .product(name: "BigInt", package: "BigInt")],
            path: "Tests/EndToEndTests"
        ),
    ]
)

// One settings list for every target (as swift-nio and swift-log do).
let sharedSwiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + sharedSwiftSettings
}
