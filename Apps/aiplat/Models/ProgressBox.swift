import Synchronization

/// Holds the progress reporter of a transfer that learns its starting offset only once it begins.
final class ProgressBox: Sendable {
    private let value = Mutex<TransferProgress?>(nil)

    var reporter: TransferProgress? { value.withLock { $0 } }

    func start(_ reporter: TransferProgress) { value.withLock { $0 = reporter } }
}
