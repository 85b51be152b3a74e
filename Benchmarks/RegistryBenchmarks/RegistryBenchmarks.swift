// package-benchmark suite for the model registry's hot paths: `swift package benchmark --target
// RegistryBenchmarks` in Benchmarks/. SHA-256 over a 64 MiB blob in the 4 MiB pieces pulls and
// pushes hash in, and LocalBlobStore writing (hash, fsync, rename) and reading that blob back.
// scripts/bench-registry times whole pushes and pulls beside cp, sha256sum, docker-registry and moto.
import Benchmark
import Foundation
import PlatformCore

let blobBytes = 64 << 20
let piece = 4 << 20
let blob: [UInt8] = (0..<blobBytes).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
let blobDigest = BlobDigest.of(blob)
let storeRoot = FileManager.default.temporaryDirectory.appendingPathComponent("aiplat-registry-bench-\(getpid())").path

let benchmarks: @Sendable () -> Void = {
    let throughput = Benchmark.Configuration(metrics: [.wallClock, .throughput], maxDuration: .seconds(3))

    Benchmark("sha256 64 MiB in 4 MiB pieces", configuration: throughput) { benchmark in
        for _ in benchmark.scaledIterations {
            var hasher = SHA256Hasher()
            blob.withUnsafeBytes { bytes in
                for start in stride(from: 0, to: bytes.count, by: piece) {
                    hasher.update(UnsafeRawBufferPointer(rebasing: bytes[start..<min(start + piece, bytes.count)]))
                }
            }
            blackHole(hasher.finalize())
        }
    }

    Benchmark("LocalBlobStore write 64 MiB (hash, fsync, rename)", configuration: throughput) { benchmark in
        let store = try LocalBlobStore(root: storeRoot)
        for _ in benchmark.scaledIterations {
            blackHole(try await store.write(blob, expected: blobDigest))
        }
    }

    Benchmark("LocalBlobStore read 64 MiB", configuration: throughput) { benchmark in
        let store = try LocalBlobStore(root: storeRoot)
        if try await !store.exists(blobDigest) { try await store.write(blob, expected: blobDigest) }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await store.readAll(blobDigest))
        }
    }
}
