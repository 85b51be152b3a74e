import CInferenceKernels
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The memory plan of an ``ExecutionPlan``: tensor buffers that die (an intermediate after its
/// last reader, or a result the caller dropped) come back here by size, and the next allocation
/// of that size takes one instead of calling the allocator. Within a run a buffer is reused by a
/// later step as soon as the executor releases it, so peak memory follows the live set; across
/// runs of the same shapes, a warm plan allocates nothing from the system.
///
/// Allocations find the pool through ``current`` (a thread-local the executor sets for the
/// duration of a run, see ``withCurrent(_:_:)``), so every kernel's `Tensor(zeros:)`/
/// `Tensor(uninitialized:)` takes part without threading an allocator through ~200 operators.
/// Thread-safe: concurrent runs of one plan share it under a lock held only for a lookup.
public final class BufferPool: Sendable {
    /// Bytes the pool may hold idle; a buffer given back beyond it is freed.
    public let capacity: Int
    private let state = Mutex(State())

    struct State {
        /// Idle buffers up to `smallLimit` bytes by size class (rounded size / 64), then larger
        /// ones by rounded size; addresses as plain integers keep the state Sendable. The array
        /// spares small tensors (most of a batch-1 run) a hash per allocation.
        var small = [[UInt]](repeating: [], count: BufferPool.smallLimit / 64 + 1)
        var large: [Int: [UInt]] = [:]
        var idleBytes = 0
        var statistics = Statistics()

        mutating func pop(_ rounded: Int) -> UInt? {
            rounded <= BufferPool.smallLimit ? small[rounded / 64].popLast() : large[rounded]?.popLast()
        }

        mutating func push(_ address: UInt, _ rounded: Int) {
            if rounded <= BufferPool.smallLimit { small[rounded / 64].append(address) } else { large[rounded, default: []].append(address) }
        }
    }

    static let smallLimit = 64 << 10

    /// Counters for reports and tests.
    public struct Statistics: Sendable, Equatable {
        /// Buffers obtained from the system allocator.
        public var allocated = 0
        /// Allocations served by an idle buffer.
        public var reused = 0
        /// Buffers given back and kept.
        public var returned = 0
    }

    /// The pool of the run executing on this thread, if any.
    public static var current: BufferPool? {
        aiplat_current_buffer_pool().map { Unmanaged<BufferPool>.fromOpaque($0).takeUnretainedValue() }
    }

    /// Runs `body` with `pool` as this thread's ``current``. `body` must be synchronous (a run
    /// is), so it ends on the thread it started on; the previous pool is restored after it.
    public static func withCurrent<Result>(_ pool: BufferPool, _ body: () throws -> Result) rethrows -> Result {
        let previous = aiplat_current_buffer_pool()
        // Unretained: `withExtendedLifetime` keeps the pool alive while the pointer is installed.
        aiplat_set_current_buffer_pool(Unmanaged.passUnretained(pool).toOpaque())
        defer { aiplat_set_current_buffer_pool(previous) }
        return try withExtendedLifetime(pool) { try body() }
    }

    public init(capacity: Int = 256 << 20) {
        self.capacity = capacity
    }

    public var statistics: Statistics { state.withLock { $0.statistics } }

    /// An aligned buffer of `rounded` bytes (a multiple of the alignment), reused when possible.
    func take(rounded: Int, alignment: Int) -> UnsafeMutableRawPointer? {
        let reused: UInt? = state.withLock { state in
            guard let address = state.pop(rounded) else {
                state.statistics.allocated += 1
                return nil
            }
            state.idleBytes -= rounded
            state.statistics.reused += 1
            return address
        }
        if let reused { return UnsafeMutableRawPointer(bitPattern: reused) }
        var pointer: UnsafeMutableRawPointer?
        guard posix_memalign(&pointer, alignment, rounded) == 0 else { return nil }
        return pointer
    }

    /// Takes back a buffer from ``take(rounded:alignment:)``; frees it when the pool is full.
    func give(_ pointer: UnsafeMutableRawPointer, rounded: Int) {
        let kept = state.withLock { state in
            guard state.idleBytes + rounded <= capacity else { return false }
            state.push(UInt(bitPattern: pointer), rounded)
            state.idleBytes += rounded
            state.statistics.returned += 1
            return true
        }
        if !kept { free(pointer) }
    }

    deinit {
        // Buffers still in use hold a reference to the pool, so everything left here is idle.
        state.withLock { state in
            for addresses in state.small + Array(state.large.values) {
                for address in addresses { free(UnsafeMutableRawPointer(bitPattern: address)) }
            }
        }
    }
}
