/// Follows the logs matching a filter by polling `eth_getLogs` over block ranges, and survives reorgs.
///
/// Each poll first re-reads the headers of the last `reorgDepth` blocks it has read; when a stored
/// hash no longer matches (or the block is gone), every log it delivered from that block on is
/// reported again with `removed: true`, and reading resumes at the fork point, so logs of the new
/// branch are delivered as new ones. Ranges are read in chunks of at most `maxBlockRange` blocks.
/// The poller persists nothing: it takes a ``LogCursor`` and returns the next one.
///
/// A reorg deeper than `reorgDepth` blocks is not detected.
public struct LogPoller: Sendable {
    public let client: EthereumClient
    /// Addresses and topics to match; its block range and block hash are ignored.
    public let filter: LogFilter
    public let maxBlockRange: UInt64
    public let reorgDepth: UInt64
    public let pollInterval: Duration

    public init(
        client: EthereumClient, filter: LogFilter, maxBlockRange: UInt64 = 1_000, reorgDepth: UInt64 = 12,
        pollInterval: Duration = .seconds(1)
    ) {
        self.client = client
        self.filter = filter
        self.maxBlockRange = max(1, maxBlockRange)
        self.reorgDepth = max(1, reorgDepth)
        self.pollInterval = pollInterval
    }

    /// A cursor that starts after the current head (only logs from new blocks).
    public func cursorAtHead() async throws -> LogCursor {
        LogCursor(startingAt: try await client.blockNumber() + 1)
    }

    /// Reads everything new since `cursor` once.
    public func poll(from cursor: LogCursor) async throws -> LogBatch {
        // A reorg can land between our reads; retry the poll a few times when the answers disagree.
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await pollOnce(from: cursor)
            } catch is InconsistentRead where attempt < 5 {
                continue
            }
        }
    }

    /// Polls forever (every `pollInterval`), yielding each batch that has logs or moves the cursor.
    /// Ends when the task is cancelled.
    public func updates(from cursor: LogCursor) -> Updates {
        Updates(poller: self, cursor: cursor)
    }

    /// The async sequence of ``LogBatch``es returned by ``updates(from:)``.
    public struct Updates: AsyncSequence, Sendable {
        public typealias Element = LogBatch
        let poller: LogPoller
        let cursor: LogCursor

        public func makeAsyncIterator() -> Iterator { Iterator(poller: poller, cursor: cursor) }

        public struct Iterator: AsyncIteratorProtocol {
            let poller: LogPoller
            var cursor: LogCursor
            var first = true

            public mutating func next() async throws -> LogBatch? {
                while !Task.isCancelled {
                    if !first {
                        do { try await Task.sleep(for: poller.pollInterval) } catch { return nil }
                    }
                    first = false
                    let batch = try await poller.poll(from: cursor)
                    let moved = batch.cursor != cursor
                    cursor = batch.cursor
                    if !batch.logs.isEmpty || moved { return batch }
                }
                return nil
            }
        }
    }

    // MARK: One poll

    private struct InconsistentRead: Error {}

    private func pollOnce(from start: LogCursor) async throws -> LogBatch {
        var cursor = start
        var removed: [Log] = []
        var reorgedFrom: UInt64?

        // 1. Re-read the recent blocks; find the oldest whose hash changed.
        if !cursor.recentBlocks.isEmpty {
            let hashes = try await canonicalHashes(of: cursor.recentBlocks.map(\.number))
            if let forkIndex = cursor.recentBlocks.indices.first(where: {
                hashes[cursor.recentBlocks[$0].number] != cursor.recentBlocks[$0].hash
            }) {
                let withdrawn = cursor.recentBlocks[forkIndex...]
                reorgedFrom = withdrawn.first?.number
                for block in withdrawn.reversed() {
                    for log in block.logs.reversed() {
                        var gone = log
                        gone.removed = true
                        removed.append(gone)
                    }
                }
                cursor.nextBlock = withdrawn.first?.number ?? cursor.nextBlock
                cursor.recentBlocks.removeSubrange(forkIndex...)
            }
        }

        // 2. Read new blocks up to the head, in ranges.
        let head = try await client.blockNumber()
        var added: [Log] = []
        if head >= cursor.nextBlock {
            var from = cursor.nextBlock
            while from <= head {
                let to = min(head, from + maxBlockRange - 1)
                var rangeFilter = filter
                rangeFilter.blockHash = nil
                rangeFilter.fromBlock = .number(from)
                rangeFilter.toBlock = .number(to)
                added += try await client.logs(rangeFilter).filter { !$0.removed }
                from = to + 1
            }

            // 3. Remember the last `reorgDepth` blocks read, with their hashes and delivered logs.
            let windowStart = max(cursor.nextBlock, head >= reorgDepth ? head - reorgDepth + 1 : 0)
            let numbers = Array(windowStart...head)
            let hashes = try await canonicalHashes(of: numbers)
            var logsByBlock: [UInt64: [Log]] = [:]
            for log in added {
                guard let number = log.blockNumber else { continue }
                // A log from another branch than the header we just read: a reorg is in progress.
                if let logHash = log.blockHash, let header = hashes[number], logHash != header {
                    throw InconsistentRead()
                }
                logsByBlock[number, default: []].append(log)
            }
            for number in numbers {
                guard let hash = hashes[number] else { throw InconsistentRead() }
                cursor.recentBlocks.append(.init(number: number, hash: hash, logs: logsByBlock[number] ?? []))
            }
            if cursor.recentBlocks.count > Int(reorgDepth) {
                cursor.recentBlocks.removeFirst(cursor.recentBlocks.count - Int(reorgDepth))
            }
            cursor.nextBlock = head + 1
        }
        added.sort { ($0.blockNumber ?? 0, $0.logIndex ?? 0) < ($1.blockNumber ?? 0, $1.logIndex ?? 0) }
        return LogBatch(logs: removed + added, cursor: cursor, reorgedFrom: reorgedFrom)
    }

    /// The canonical hash of each block number (absent when the chain is shorter), read in one batch.
    private func canonicalHashes(of numbers: [UInt64]) async throws -> [UInt64: Hash32] {
        guard !numbers.isEmpty else { return [:] }
        var batch = JSONRPCBatch()
        let handles = numbers.map {
            batch.add(method: "eth_getBlockByNumber", params: RPCParams(BlockTag.number($0), false), as: Block?.self)
        }
        let answers = try await client.rpc.send(batch)
        var hashes: [UInt64: Hash32] = [:]
        for (number, handle) in zip(numbers, handles) {
            if let block = try answers.result(handle), let hash = block.hash {
                hashes[number] = hash
            }
        }
        return hashes
    }
}
