import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Time spent per operator while a plan runs, for `aiplat models bench --profile` (what
/// onnxruntime's `-p` profile gives per node). Installed as a task-local around runs; a run
/// without one pays a single task-local read.
public final class StepProfiler: Sendable {
    /// Accumulated time of one operator type (fused steps under their fused name).
    public struct Entry: Sendable, Equatable {
        public var operatorName: String
        public var calls: Int
        public var nanoseconds: UInt64
    }

    @TaskLocal public static var current: StepProfiler?

    private let entries = Mutex([String: Entry]())

    public init() {}

    /// Entries by total time, largest first.
    public var report: [Entry] {
        entries.withLock { Array($0.values) }.sorted { ($0.nanoseconds, $1.operatorName) > ($1.nanoseconds, $0.operatorName) }
    }

    func record(_ operatorName: String, nanoseconds: UInt64) {
        entries.withLock { entries in
            entries[operatorName, default: Entry(operatorName: operatorName, calls: 0, nanoseconds: 0)].calls += 1
            entries[operatorName]!.nanoseconds += nanoseconds
        }
    }

    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
