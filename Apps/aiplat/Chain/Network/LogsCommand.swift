import ArgumentParser
import EthereumKit

/// `aiplat chain logs [SIG_OR_TOPIC] [TOPICS_OR_ARGS...]` (cast logs): fetches logs over a block range
/// and, when an event signature is given, filters by it and decodes each log's arguments.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Fetch event logs, filtered by event signature or topics, and decode them.",
        discussion: """
            With an event signature such as "Transfer(address indexed from, address indexed to, uint256 value)",
            the values after it filter on the indexed inputs in order ("" or null matches anything) and each
            log is decoded. With a 0x topic instead, the values after it are further topics.
            """)

    @Option(name: .customLong("from-block"), help: "The first block: a number or earliest, latest, pending.")
    var fromBlock = "earliest"

    @Option(name: .customLong("to-block"), help: "The last block: a number or earliest, latest, pending.")
    var toBlock = "latest"

    @Option(help: ArgumentHelp("Only logs emitted by this contract (repeatable).", valueName: "ADDRESS"))
    var address: [String] = []

    @OptionGroup var rpc: RPCOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("An event signature or a 0x topic 0.", valueName: "sig-or-topic"))
    var signatureOrTopic: String?

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("Indexed values (with a signature) or further topics.", valueName: "topics-or-args"))
    var topicsOrArguments: [String] = []

    func validate() throws {
        for text in address { _ = try ChainArguments.address(text) }
        _ = try ChainArguments.block(fromBlock, name: "--from-block")
        _ = try ChainArguments.block(toBlock, name: "--to-block")
        if signatureOrTopic == nil, !topicsOrArguments.isEmpty {
            throw ValidationError("topics given without an event signature or topic 0")
        }
    }

    func run() async throws {
        let query = try LogQuery(signatureOrTopic: signatureOrTopic, values: topicsOrArguments)
        let filter = LogFilter(
            fromBlock: try ChainArguments.block(fromBlock, name: "--from-block"),
            toBlock: try ChainArguments.block(toBlock, name: "--to-block"),
            addresses: try address.map(ChainArguments.address),
            topics: query.topics)
        let logs = try await rpc.client().logs(filter)
        let entries = logs.map { LogEntry(log: $0, decoded: query.decode($0)) }
        if output.json {
            try output.printJSON(entries)
        } else {
            for entry in entries { Console.line(entry.text) }
        }
    }
}

/// The topic filter and (with an event signature) the decoder that `logs` arguments describe.
struct LogQuery: Sendable {
    let event: ABIEvent?
    let topics: [[Hash32]?]

    init(signatureOrTopic: String?, values: [String]) throws {
        guard let first = signatureOrTopic else {
            event = nil
            topics = []
            return
        }
        if first.hasPrefix("0x") || first.hasPrefix("0X") {
            event = nil
            topics = try ([first] + values).map { try Self.topic($0) }
            return
        }
        let event = try ABIEvent(parsing: first)
        let indexed = event.inputs.filter(\.indexed)
        guard values.count <= indexed.count else {
            let hint = indexed.isEmpty && !event.inputs.isEmpty
                ? " (mark filtered inputs indexed: \"\(event.name)(address indexed from, ...)\")" : ""
            throw ChainCLIError("\(event.signature) has \(indexed.count) indexed input\(indexed.count == 1 ? "" : "s"), got \(values.count) filter value\(values.count == 1 ? "" : "s")\(hint)")
        }
        var filterValues: [ABIValue?] = []
        for (text, input) in zip(values, indexed) {
            filterValues.append(Self.isWildcard(text) ? nil : try ABIValue(parsing: text, as: input.type))
        }
        let encoded = try event.encodeTopics(filterValues)
        self.event = event
        self.topics = try encoded.map { topic in try topic.map { [try Hash32(bytes: $0)] } }
    }

    /// A log decoded with the event it was decoded as (which may have inferred `indexed` markers).
    struct DecodedEvent: Sendable {
        let event: ABIEvent
        let values: ABIDecodedValues
    }

    /// The decoded arguments of `log`, or nil when no signature was given or the log is not this event.
    func decode(_ log: Log) -> DecodedEvent? {
        guard let event else { return nil }
        let topics = log.topics.map(\.bytes)
        if let values = try? event.decodeLog(topics: topics, data: log.data) { return DecodedEvent(event: event, values: values) }
        // A signature written without `indexed` markers (as in cast sig): the log's extra topics
        // belong to its first inputs, which is how Solidity and Vyper events are usually declared.
        let topicInputs = topics.count - (event.anonymous ? 0 : 1)
        guard !event.inputs.contains(where: \.indexed), topicInputs > 0, topicInputs <= event.inputs.count else { return nil }
        var inputs = event.inputs
        for index in 0..<topicInputs { inputs[index].indexed = true }
        let inferred = ABIEvent(name: event.name, inputs: inputs, anonymous: event.anonymous)
        guard let values = try? inferred.decodeLog(topics: topics, data: log.data) else { return nil }
        return DecodedEvent(event: inferred, values: values)
    }

    private static func isWildcard(_ text: String) -> Bool {
        ["", "null", "*"].contains(text.lowercased())
    }

    private static func topic(_ text: String) throws -> [Hash32]? {
        if isWildcard(text) { return nil }
        do {
            return [try Hash32(hex: text)]
        } catch {
            throw ChainCLIError("invalid topic \"\(text.prefix(80))\": \(error.reason)")
        }
    }
}

/// One log as `logs` prints it: the node's fields, plus the decoded event when there is one.
struct LogEntry: Encodable {
    let log: Log
    let decoded: LogQuery.DecodedEvent?

    private enum ExtraKeys: String, CodingKey { case event, args }

    func encode(to encoder: any Encoder) throws {
        try log.encode(to: encoder)
        guard let decoded else { return }
        var container = encoder.container(keyedBy: ExtraKeys.self)
        try container.encode(decoded.event.signature, forKey: .event)
        var args: [String: String] = [:]
        for (name, value) in decoded.values.named { args[name] = value.formatted(.raw) }
        try container.encode(args, forKey: .args)
    }

    /// cast's YAML-like text for a log, with `event:` and `args:` appended when decoded.
    var text: String {
        var lines = [
            "- address: \(log.address.checksummed)",
            "  blockHash: \(log.blockHash?.hex ?? "")",
            "  blockNumber: \(log.blockNumber.map(String.init) ?? "")",
            "  data: \(Hex.encode(log.data))",
            "  logIndex: \(log.logIndex.map(String.init) ?? "")",
            "  removed: \(log.removed)",
            "  topics: [",
        ]
        lines += log.topics.map { "  \t\($0.hex)" }
        lines += [
            "  ]",
            "  transactionHash: \(log.transactionHash?.hex ?? "")",
            "  transactionIndex: \(log.transactionIndex.map(String.init) ?? "")",
        ]
        if let decoded {
            lines.append("  event: \(decoded.event.signature)")
            lines.append("  args:")
            lines += decoded.values.named.map { "  \t\($0.name): \($0.value.formatted(.cast))" }
        }
        return lines.joined(separator: "\n")
    }
}
