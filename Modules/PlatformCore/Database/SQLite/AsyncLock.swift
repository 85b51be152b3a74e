/// A FIFO mutual-exclusion lock for async code: the holder may suspend while holding it, which an
/// actor alone does not allow (actors are re-entrant at every `await`).
actor AsyncLock {
    private var isLocked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var head = 0

    /// Waits until the lock is free, then holds it.
    func acquire() async {
        guard isLocked else {
            isLocked = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Hands the lock to the longest waiter, or frees it.
    func release() {
        if head < waiters.count {
            let next = waiters[head]
            head += 1
            if head == waiters.count {
                waiters.removeAll(keepingCapacity: true)
                head = 0
            }
            next.resume()  // ownership passes directly: isLocked stays true
        } else {
            isLocked = false
        }
    }
}
