import Dispatch

/// Runs slow blocking system calls (fsync of a large file, re-reading an upload) on dispatch
/// threads, so they do not hold one of the few threads of Swift's cooperative pool (two on a
/// two-core machine) while the disk works.
enum BlockingIO {
    private static let queue = DispatchQueue(label: "aiplat.blobstore.io", attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
