/// Serialises the two things that must not interleave: a blob becoming visible (rename + its
/// database row) and garbage collection's sweep. Without it, GC could delete a file that a
/// concurrent upload has just renamed into place for a digest GC had found unreferenced.
///
/// A FIFO async lock: the holder may suspend while holding it (an actor alone is re-entrant at
/// every `await`).
actor RegistryCommitLock {
    private var isLocked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func withLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            let result = try await body()
            release()
            return result
        } catch {
            release()
            throw error
        }
    }

    private func acquire() async {
        guard isLocked else {
            isLocked = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            isLocked = false
        } else {
            waiters.removeFirst().resume()  // ownership passes directly: isLocked stays true
        }
    }
}
