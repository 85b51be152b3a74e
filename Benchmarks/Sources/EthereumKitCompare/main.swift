// Times every EthereumKit workload the way scripts/bench/secp256k1_floor.c and references.py time
// theirs, and prints one JSON object per line for scripts/bench-ethereumkit to put side by side.
//
// Why not package-benchmark's own output: the comparison needs the figures of all three sides taken
// with one method. Every side times samples of `batch` chained operations and reports each sample's
// rate per CPU-second of the benchmarking thread (`rates`, median `value`) and per wall-clock second
// (`wall_rates`, median `wall_value`).
// CPU time stays meaningful while other processes compete for the cores; wall time does not.
//
// Usage: EthereumKitCompare [seconds-per-workload] [workload-name ...]
import EthereumKitWorkloads
import Foundation

#if canImport(Glibc)
import Glibc
#endif

func seconds(of clock: clockid_t) -> Double {
    var ts = timespec()
    clock_gettime(clock, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

@inline(never)
func consume(_ byte: UInt8) {
    // Keeps the last result observable; mirrors package-benchmark's blackHole.
    withExtendedLifetime(byte) {}
}

func measure(_ spec: WorkloadSpec, seconds budget: Double) throws -> String {
    let workload = try spec.make()
    try workload.run(spec.batch)  // warm-up
    var cpuRates: [Double] = [], wallRates: [Double] = []
    let end = seconds(of: CLOCK_MONOTONIC) + budget
    while cpuRates.count < 5 || seconds(of: CLOCK_MONOTONIC) < end {
        let wall0 = seconds(of: CLOCK_MONOTONIC), cpu0 = seconds(of: CLOCK_THREAD_CPUTIME_ID)
        try workload.run(spec.batch)
        let cpu1 = seconds(of: CLOCK_THREAD_CPUTIME_ID), wall1 = seconds(of: CLOCK_MONOTONIC)
        let work = Double(spec.batch) * spec.unitsPerOperation
        cpuRates.append(work / max(cpu1 - cpu0, 1e-9))
        wallRates.append(work / max(wall1 - wall0, 1e-9))
    }
    consume(workload.checksum)
    let list = { (rates: [Double]) in rates.map { String(format: "%.1f", $0) }.joined(separator: ", ") }
    return String(
        format: #"{"metric": "%@", "impl": "aiplat (Swift)", "value": %.1f, "wall_value": %.1f, "unit": "%@", "samples": %d, "rates": [%@], "wall_rates": [%@]}"#,
        spec.name, median(cpuRates), median(wallRates), spec.unit, cpuRates.count, list(cpuRates), list(wallRates))
}

var arguments = CommandLine.arguments.dropFirst()
var budget = 2.0
if let first = arguments.first, let value = Double(first) {
    budget = value
    arguments = arguments.dropFirst()
}
let selected = Set(arguments)
var failed = false
for spec in Workloads.all where selected.isEmpty || selected.contains(spec.name) {
    do {
        print(try measure(spec, seconds: budget))
        fflush(nil)  // all streams: the script reads lines as they come
    } catch {
        FileHandle.standardError.write(Data("EthereumKitCompare: \(spec.name) failed: \(error)\n".utf8))
        failed = true
    }
}
exit(failed ? 1 : 0)
