import Benchmark
import EthereumKit

let benchmarks: @Sendable () -> Void = {
    Benchmark("hex encode 32 bytes") { benchmark in
        var bytes = [UInt8](repeating: 7, count: 32)
        for _ in benchmark.scaledIterations {
            let s = Hex.encode(bytes)
            bytes[0] = UInt8(truncatingIfNeeded: s.utf8.count)
            blackHole(s)
        }
    }
}
