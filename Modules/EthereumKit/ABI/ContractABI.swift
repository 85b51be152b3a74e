import Foundation

/// A contract's JSON ABI (the array solc, Vyper and Foundry write): functions, events, custom errors,
/// constructor, fallback and receive, with lookups by name, signature, selector and topic.
///
/// ```swift
/// let abi = try ContractABI(json: artifactABIBytes)
/// let transfer = try abi.function("transfer")
/// let calldata = try transfer.encodeCall([.address(to), .uint(amount)])
/// ```
public struct ContractABI: Sendable, Hashable {
    public var functions: [ABIFunction]
    public var events: [ABIEvent]
    public var errors: [ABIError]
    public var constructor: ABIConstructor?
    /// State mutability of the fallback function, when the contract has one.
    public var fallback: ABIFunction.StateMutability?
    /// Whether the contract has a `receive()` function.
    public var hasReceive: Bool

    public init(functions: [ABIFunction] = [], events: [ABIEvent] = [], errors: [ABIError] = [],
                constructor: ABIConstructor? = nil, fallback: ABIFunction.StateMutability? = nil, hasReceive: Bool = false) {
        self.functions = functions
        self.events = events
        self.errors = errors
        self.constructor = constructor
        self.fallback = fallback
        self.hasReceive = hasReceive
    }

    /// Reads a JSON ABI array (or an artifact object with an `abi` key).
    public init(json: some Collection<UInt8>) throws(LookupError) {
        let data = Data(json)
        do {
            self = try JSONDecoder().decode(ContractABI.self, from: data)
        } catch let decodingError {
            if let artifact = try? JSONDecoder().decode(Artifact.self, from: data) {
                self = artifact.abi
                return
            }
            throw LookupError(reason: "invalid JSON ABI: \(Self.describe(decodingError))")
        }
    }

    /// Reads a JSON ABI array from text.
    public init(json: String) throws(LookupError) {
        try self.init(json: Array(json.utf8))
    }

    /// Human-readable signatures, one per entry (`function transfer(address to, uint256 amount) returns (bool)`, ...).
    public init(humanReadable signatures: [String]) throws(ABIParsingError) {
        self.init()
        for line in signatures {
            let trimmed = line.drop(while: { $0 == " " })
            if trimmed.hasPrefix("event ") {
                events.append(try ABIEvent(parsing: line))
            } else if trimmed.hasPrefix("error ") {
                errors.append(try ABIError(parsing: line))
            } else if trimmed.hasPrefix("constructor") {
                let rest = trimmed.dropFirst("constructor".count)
                guard let close = rest.lastIndex(of: ")") else {
                    throw ABIParsingError(subject: "constructor signature", input: line, reason: "missing ')'")
                }
                let parameters = try ABISignatureParser.parseParameterList(String(rest[...close]))
                constructor = ABIConstructor(inputs: parameters,
                                             stateMutability: Self.saysPayable(rest[close...]) ? .payable : .nonpayable)
            } else if trimmed.hasPrefix("fallback") {
                fallback = Self.saysPayable(trimmed) ? .payable : .nonpayable
            } else if trimmed.hasPrefix("receive") {
                hasReceive = true
            } else {
                functions.append(try ABIFunction(parsing: line))
            }
        }
    }

    private static func saysPayable(_ text: Substring) -> Bool {
        text.split(whereSeparator: { $0 == " " || $0 == ")" }).contains("payable")
    }

    // MARK: - Lookups

    /// A lookup that found nothing, or more than one candidate.
    public struct LookupError: Error, Sendable, Hashable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// All functions called `name` (overloads), in ABI order.
    public func functions(named name: String) -> [ABIFunction] {
        functions.filter { $0.name == name }
    }

    /// The function named by `nameOrSignature`: a plain name when it is not overloaded, or a
    /// signature (`transfer(address,uint256)`, parameter names allowed) to pick an overload.
    public func function(_ nameOrSignature: String) throws(LookupError) -> ABIFunction {
        if nameOrSignature.contains("(") {
            let wanted: ABIFunction
            do throws(ABIParsingError) {
                wanted = try ABIFunction(parsing: nameOrSignature)
            } catch {
                throw LookupError(reason: error.description)
            }
            guard let match = functions.first(where: { $0.signature == wanted.signature }) else {
                throw LookupError(reason: "no function \(wanted.signature) in the ABI\(Self.candidates(functions(named: wanted.name).map(\.signature)))")
            }
            return match
        }
        let matches = functions(named: nameOrSignature)
        switch matches.count {
        case 1: return matches[0]
        case 0: throw LookupError(reason: "no function named \"\(nameOrSignature)\" in the ABI")
        default:
            throw LookupError(reason: "function \"\(nameOrSignature)\" is overloaded; name one of: \(matches.map(\.signature).joined(separator: ", "))")
        }
    }

    /// The function whose selector is `selector` (4 bytes), if any.
    public func function(selector: some Collection<UInt8>) -> ABIFunction? {
        let wanted = Array(selector)
        return functions.first { $0.selector == wanted }
    }

    /// All events called `name`.
    public func events(named name: String) -> [ABIEvent] {
        events.filter { $0.name == name }
    }

    /// The event named by `nameOrSignature` (plain name when unique, or a signature).
    public func event(_ nameOrSignature: String) throws(LookupError) -> ABIEvent {
        if nameOrSignature.contains("(") {
            let wanted: ABIEvent
            do throws(ABIParsingError) {
                wanted = try ABIEvent(parsing: nameOrSignature)
            } catch {
                throw LookupError(reason: error.description)
            }
            guard let match = events.first(where: { $0.signature == wanted.signature }) else {
                throw LookupError(reason: "no event \(wanted.signature) in the ABI\(Self.candidates(events(named: wanted.name).map(\.signature)))")
            }
            return match
        }
        let matches = events(named: nameOrSignature)
        switch matches.count {
        case 1: return matches[0]
        case 0: throw LookupError(reason: "no event named \"\(nameOrSignature)\" in the ABI")
        default:
            throw LookupError(reason: "event \"\(nameOrSignature)\" is overloaded; name one of: \(matches.map(\.signature).joined(separator: ", "))")
        }
    }

    /// The non-anonymous event whose topic 0 is `topic`, if any.
    public func event(topic: some Collection<UInt8>) -> ABIEvent? {
        let wanted = Array(topic)
        return events.first { !$0.anonymous && $0.topic0 == wanted }
    }

    /// The custom error whose selector is `selector`, if any.
    public func error(selector: some Collection<UInt8>) -> ABIError? {
        let wanted = Array(selector)
        return errors.first { $0.selector == wanted }
    }

    /// The custom error called `name` (the first, if overloaded).
    public func error(named name: String) -> ABIError? {
        errors.first { $0.name == name }
    }

    // MARK: - Decoding

    /// A log decoded against the event it belongs to.
    public struct DecodedLog: Sendable, Hashable {
        public let event: ABIEvent
        public let values: ABIDecodedValues
    }

    /// Decodes a log by its topic 0; nil when no non-anonymous event of this ABI has that topic.
    public func decodeLog(topics: [[UInt8]], data: some Collection<UInt8>) throws(ABIDecodingError) -> DecodedLog? {
        guard let first = topics.first, let event = event(topic: first) else { return nil }
        return DecodedLog(event: event, values: try event.decodeLog(topics: topics, data: data))
    }

    /// Decodes calldata by its selector; nil when no function of this ABI has that selector.
    public func decodeCall(_ calldata: some Collection<UInt8>) throws(ABIDecodingError) -> (function: ABIFunction, arguments: ABIDecodedValues)? {
        let bytes = Array(calldata)
        guard bytes.count >= 4, let function = function(selector: bytes[0..<4]) else { return nil }
        return (function, ABIDecodedValues(parameters: function.inputs, values: try function.decodeInput(bytes)))
    }

    /// Decodes revert data against `Error(string)`, `Panic(uint256)` and this ABI's custom errors.
    public func decodeRevert(_ data: some Collection<UInt8>) -> RevertReason {
        RevertReason.decode(data, errors: errors)
    }

    private static func candidates(_ signatures: [String]) -> String {
        signatures.isEmpty ? "" : " (have: \(signatures.joined(separator: ", ")))"
    }

    private static func describe(_ error: any Error) -> String {
        guard let decodingError = error as? DecodingError else { return String(describing: error) }
        switch decodingError {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context):
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return (path.isEmpty ? "" : "at \(path): ") + context.debugDescription
        @unknown default:
            return String(describing: decodingError)
        }
    }

    private struct Artifact: Decodable {
        let abi: ContractABI
    }
}

extension ContractABI: Codable {
    private enum EntryKind: String, Decodable {
        case function, event, error, constructor, fallback, receive
    }

    private struct EntryHeader: Decodable {
        let type: EntryKind?
        let stateMutability: ABIFunction.StateMutability?
        let payable: Bool?
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        var container = try decoder.unkeyedContainer()
        while !container.isAtEnd {
            let entryDecoder = try container.superDecoder()
            let header = try EntryHeader(from: entryDecoder)
            switch header.type ?? .function {
            case .function: functions.append(try ABIFunction(from: entryDecoder))
            case .event: events.append(try ABIEvent(from: entryDecoder))
            case .error: errors.append(try ABIError(from: entryDecoder))
            case .constructor: constructor = try ABIConstructor(from: entryDecoder)
            case .fallback: fallback = header.stateMutability ?? (header.payable == true ? .payable : .nonpayable)
            case .receive: hasReceive = true
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        if let constructor { try container.encode(constructor) }
        for function in functions { try container.encode(function) }
        for event in events { try container.encode(event) }
        for error in errors { try container.encode(error) }
        if let fallback { try container.encode(SpecialEntry(type: "fallback", stateMutability: fallback)) }
        if hasReceive { try container.encode(SpecialEntry(type: "receive", stateMutability: .payable)) }
    }

    private struct SpecialEntry: Encodable {
        let type: String
        let stateMutability: ABIFunction.StateMutability
    }
}
