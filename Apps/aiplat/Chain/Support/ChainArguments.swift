import BigInt
import EthereumKit
import Foundation

/// Parses command-line strings into EthereumKit values, naming the argument in each error.
enum ChainArguments {
    /// An address (`0x` + 40 hex digits; any case, checksum not enforced, as cast accepts them).
    static func address(_ text: String) throws -> Address {
        try Address(hex: text.trimmingCharacters(in: .whitespaces))
    }

    /// `0x` hex bytes (the prefix is optional); `name` says which argument it was.
    static func hexBytes(_ text: String, name: String) throws -> [UInt8] {
        do {
            return try Hex.decode(text.trimmingCharacters(in: .whitespaces))
        } catch {
            throw ChainCLIError("invalid \(name) \"\(text.prefix(80))\": \(error.reason)")
        }
    }

    /// Hex when it starts with `0x`, else the UTF-8 bytes of the text: how cast reads a message or
    /// keccak input.
    static func hexOrUTF8(_ text: String, name: String) throws -> [UInt8] {
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            return try hexBytes(text, name: name)
        }
        return Array(text.utf8)
    }

    /// An amount of wei: a decimal or `0x` number, optionally with a unit (`1ether`, `1.5 ether`,
    /// `20gwei`, `100wei`), as cast's `--value` and `--gas-price` take it.
    static func wei(_ text: String, name: String) throws -> BigUInt {
        do {
            guard case .uint(let value) = try ABIValue(parsing: separatingUnit(text), as: .uint256) else {
                throw ChainCLIError("invalid \(name) \"\(text)\": expected an amount of wei")
            }
            return value
        } catch let error as ABIParsingError {
            throw ChainCLIError("invalid \(name) \"\(text.prefix(80))\": \(error.reason) (expected wei, or a number with a unit: 1ether, 20gwei)")
        }
    }

    /// `1ether` as `1 ether`: the ABI value parser reads a unit after a space, while cast users write
    /// amounts without one (and the `e` of `ether` would otherwise start an exponent).
    static func separatingUnit(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for unit in ["ether", "gwei", "nanoether", "nano", "wei"] where trimmed.lowercased().hasSuffix(unit) {
            let number = trimmed.dropLast(unit.count)
            if let last = number.last, last.isNumber || last == "." {
                return "\(number) \(unit)"
            }
        }
        return trimmed
    }

    /// A block number or tag: `latest`, `pending`, `earliest`, `safe`, `finalized`, decimal or `0x` hex.
    static func block(_ text: String, name: String) throws -> BlockTag {
        do {
            return try BlockTag(parsing: text)
        } catch {
            throw ChainCLIError("invalid \(name) \"\(text.prefix(80))\": expected latest, pending, earliest, safe, finalized or a block number")
        }
    }

    /// A 32-byte transaction hash.
    static func transactionHash(_ text: String) throws -> Hash32 {
        do {
            return try Hash32(hex: text.trimmingCharacters(in: .whitespaces))
        } catch {
            throw ChainCLIError("invalid transaction hash \"\(text.prefix(80))\": \(error.reason)")
        }
    }

    /// A human-readable function signature (`transfer(address,uint256)`, cast's `f(in)(out)`).
    static func function(_ text: String) throws -> ABIFunction {
        try ABIFunction(parsing: text)
    }

    /// Command-line style arguments for `function`'s inputs, checked for count and type.
    static func encodeCall(_ function: ABIFunction, arguments: [String]) throws -> [UInt8] {
        try function.encodeCall(parsing: arguments)
    }

    /// Values for `types` parsed from command-line style strings, after checking the count.
    static func values(_ arguments: [String], as types: [ABIType], signature: String) throws -> [ABIValue] {
        guard arguments.count == types.count else {
            throw ChainCLIError("\(signature) takes \(types.count) argument\(types.count == 1 ? "" : "s"), got \(arguments.count)")
        }
        var values: [ABIValue] = []
        for (argument, type) in zip(arguments, types) {
            values.append(try ABIValue(parsing: argument, as: type))
        }
        return values
    }
}
