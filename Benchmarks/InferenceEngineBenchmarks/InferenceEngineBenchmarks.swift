// package-benchmark suite for InferenceEngine's hot paths: `swift package benchmark --target
// InferenceEngineBenchmarks` in Benchmarks/. SGEMM at the sizes, and every ONNX fixture model
// at batch 1 and batch 32 on its own inputs. scripts/bench-engine and scripts/bench-models set the
// same figures beside numpy's OpenBLAS and onnxruntime in one run.
import Benchmark
import Foundation
import InferenceEngine

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Tests/InferenceEngineTests/Fixtures")

let benchmarks: @Sendable () -> Void = {
    for size in [256, 512, 1024] {
        let a = (0..<(size * size)).map { Float(($0 * 7919) % 1000) / 1000 - 0.5 }
        let b = (0..<(size * size)).map { Float(($0 * 104_729) % 1000) / 1000 - 0.5 }
        var c = [Float](repeating: 0, count: size * size)
        // The fastest kernel for this CPU, and the portable Swift SIMD one determinism mode runs.
        for backend in [GEMMBackend.automatic, .generic] where backend == .automatic || size <= 512 {
            Benchmark("sgemm \(size) \(backend.rawValue)", configuration: .init(metrics: [.wallClock, .throughput], maxDuration: .seconds(2))) { benchmark in
                for _ in benchmark.scaledIterations {
                    a.withUnsafeBufferPointer { pa in
                        b.withUnsafeBufferPointer { pb in
                            c.withUnsafeMutableBufferPointer { pc in
                                try? Kernels.sgemm(m: size, n: size, k: size, a: pa.baseAddress!, lda: size, b: pb.baseAddress!, ldb: size,
                                                   c: pc.baseAddress!, ldc: size, backend: backend)
                            }
                        }
                    }
                    blackHole(c[0])
                }
            }
        }
    }
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []).filter { !$0.hasSuffix(".md") }.sorted()
    for name in names {
        let directory = fixtures.appendingPathComponent(name)
        guard let session = try? InferenceSession(contentsOf: directory.appendingPathComponent("model.onnx")) else { continue }
        for (set, batch) in [("test_data_set_0", 1), ("test_data_set_1", 32)] {
            var feeds = [String: ONNXValue]()
            for (j, info) in session.model.graph.inputs.enumerated() {
                let url = directory.appendingPathComponent("\(set)/input_\(j).pb")
                if let tensor = try? ONNXTestData.readTensor(url).tensor { feeds[info.name] = .tensor(tensor) }
            }
            Benchmark("\(name) batch \(batch)", configuration: .init(metrics: [.wallClock, .throughput], maxDuration: .seconds(1))) { benchmark in
                for _ in benchmark.scaledIterations { blackHole(try session.run(feeds)) }
            }
        }
    }
}
