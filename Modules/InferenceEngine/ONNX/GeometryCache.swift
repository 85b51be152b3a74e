import Synchronization

/// Per-node memo of shape-dependent index tables (im2col gather tables for Conv and pooling),
/// created when the plan is compiled and shared by concurrent runs of that plan. Keyed by the
/// input's spatial shape, since attributes are fixed per node.
final class GeometryCache: Sendable {
    private let tables = Mutex<[[Int]: [Int]]>([:])

    func table(for key: [Int], make: () -> [Int]) -> [Int] {
        if let found = tables.withLock({ $0[key] }) { return found }
        let made = make()
        tables.withLock { $0[key] = made }
        return made
    }
}
