/// One benchmarked EthereumKit operation together with its inputs.
///
/// `run(_:)` performs `count` operations in a row, each taking its input from the previous one's
/// output (a digest from the last signature, a nonce from the last raw transaction, ...). The chain
/// keeps LLVM from hoisting a pure call out of the timing loop or dropping it, and it is the same
/// chain the C floor and the Python references run (scripts/bench/), so all sides do the same work.
public protocol Workload: AnyObject {
    /// Performs `count` chained operations.
    func run(_ count: Int) throws
    /// A byte of the latest result; pass it to `blackHole` after timing.
    var checksum: UInt8 { get }
}
