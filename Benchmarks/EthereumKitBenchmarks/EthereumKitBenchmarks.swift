// package-benchmark suite for EthereumKit's hot paths: `swift package benchmark` in Benchmarks/.
// The workloads (inputs and chaining) live in EthereumKitWorkloads, shared with EthereumKitCompare,
// which scripts/bench-ethereumkit runs to set our figures beside the Python and C references.
import Benchmark
import EthereumKitWorkloads

let benchmarks: @Sendable () -> Void = {
    for spec in Workloads.all {
        let workload: any Workload
        do {
            workload = try spec.make()
        } catch {
            print("EthereumKitBenchmarks: cannot set up \(spec.name): \(error)")
            continue
        }
        // Sub-microsecond operations run a thousand to a sample so the clock reads do not dominate.
        let configuration = Benchmark.Configuration(
            metrics: [.throughput, .wallClock],
            warmupIterations: 3,
            scalingFactor: spec.batch >= 1000 ? .kilo : .one,
            maxDuration: .seconds(2),
            maxIterations: 100_000
        )
        Benchmark(spec.name, configuration: configuration) { benchmark in
            try workload.run(benchmark.scaledIterations.count)
            blackHole(workload.checksum)
        }
    }
}
