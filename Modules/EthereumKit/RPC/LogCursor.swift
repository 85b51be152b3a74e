/// Where a ``LogPoller`` stands: the next block to read and the recent blocks it has read (their
/// hashes and the logs it delivered from them), so a reorg can be detected and its logs withdrawn.
/// Codable: persist it after handling each ``LogBatch`` and resume from it after a restart.
public struct LogCursor: Sendable, Hashable, Codable {
    /// A block the poller has read.
    public struct ScannedBlock: Sendable, Hashable, Codable {
        public var number: UInt64
        public var hash: Hash32
        /// The matching logs delivered from this block.
        public var logs: [Log]

        public init(number: UInt64, hash: Hash32, logs: [Log]) {
            self.number = number
            self.hash = hash
            self.logs = logs
        }
    }

    /// The first block not read yet.
    public var nextBlock: UInt64
    /// The most recent blocks read (at most the poller's `reorgDepth`), oldest first.
    public var recentBlocks: [ScannedBlock]

    /// Start reading at `block`.
    public init(startingAt block: UInt64) {
        self.nextBlock = block
        self.recentBlocks = []
    }

    public init(nextBlock: UInt64, recentBlocks: [ScannedBlock]) {
        self.nextBlock = nextBlock
        self.recentBlocks = recentBlocks
    }
}

/// What one poll found: logs in delivery order (withdrawn ones first, with `removed == true`, newest
/// first; then new or re-delivered ones, oldest first) and the cursor to continue from.
public struct LogBatch: Sendable, Hashable {
    public var logs: [Log]
    public var cursor: LogCursor
    /// The block number where a reorg was detected, if one was.
    public var reorgedFrom: UInt64?

    /// The withdrawn logs.
    public var removedLogs: [Log] { logs.filter(\.removed) }
    /// The newly delivered logs.
    public var addedLogs: [Log] { logs.filter { !$0.removed } }
}
