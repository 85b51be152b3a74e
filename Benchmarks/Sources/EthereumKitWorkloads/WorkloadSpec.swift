/// How to make and measure one workload; `Workloads.all` lists them.
public struct WorkloadSpec: Sendable {
    /// The metric name shared with scripts/bench (`keccak-1MiB`, `sign`, ...).
    public let name: String
    /// The unit of a throughput figure: `op/s`, or `MB/s` where an operation hashes a buffer.
    public let unit: String
    /// Units of `unit` per operation (10^6-byte megabytes for keccak over 1 MiB; 1 otherwise).
    public let unitsPerOperation: Double
    /// Operations per timed sample: enough for samples of a few milliseconds.
    public let batch: Int
    /// Builds the workload, inputs included (not timed).
    public let make: @Sendable () throws -> any Workload

    public init(
        name: String, unit: String = "op/s", unitsPerOperation: Double = 1, batch: Int,
        make: @escaping @Sendable () throws -> any Workload
    ) {
        self.name = name
        self.unit = unit
        self.unitsPerOperation = unitsPerOperation
        self.batch = batch
        self.make = make
    }
}
