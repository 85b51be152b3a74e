import EthereumKit
import Foundation

/// Prints a transaction receipt the way `cast receipt` and `cast send` do: a two-column table, one
/// field by name, or the node's JSON.
enum ReceiptPrinter {
    /// The field names `receipt HASH FIELD` accepts, in cast's table order.
    static let fieldNames = [
        "blockHash", "blockNumber", "contractAddress", "cumulativeGasUsed", "effectiveGasPrice", "from",
        "gasUsed", "logs", "logsBloom", "root", "status", "transactionHash", "transactionIndex", "type", "to",
    ]

    /// cast's table: a blank line, then `name` padded to 21 columns and the value.
    static func table(_ receipt: TransactionReceipt) throws -> String {
        var lines = [""]
        for name in fieldNames {
            let value = try field(name, of: receipt)
            lines.append((name.padding(toLength: 21, withPad: " ", startingAt: 0) + value).trimmingTrailingSpaces())
        }
        return lines.joined(separator: "\n")
    }

    /// One field as cast prints it: decimal numbers, checksummed addresses, hex hashes,
    /// `1 (success)` / `0 (failed)` for status, JSON for logs; empty when the receipt has none.
    static func field(_ name: String, of receipt: TransactionReceipt) throws -> String {
        switch name {
        case "blockHash": return receipt.blockHash.hex
        case "blockNumber": return String(receipt.blockNumber)
        case "contractAddress": return receipt.contractAddress?.checksummed ?? ""
        case "cumulativeGasUsed": return String(receipt.cumulativeGasUsed)
        case "effectiveGasPrice": return receipt.effectiveGasPrice.map { String($0) } ?? ""
        case "from": return receipt.from.checksummed
        case "gasUsed": return String(receipt.gasUsed)
        case "logs": return try JSONOutput.encode(receipt.logs)
        case "logsBloom": return Hex.encode(receipt.logsBloom)
        case "root": return receipt.root?.hex ?? ""
        case "status":
            guard let status = receipt.status else { return "" }
            return status == 1 ? "1 (success)" : "\(status) (failed)"
        case "transactionHash": return receipt.transactionHash.hex
        case "transactionIndex": return String(receipt.transactionIndex)
        case "type": return String(receipt.type)
        case "to": return receipt.to?.checksummed ?? ""
        default:
            throw ChainCLIError("unknown receipt field \"\(name.prefix(40))\": expected one of \(fieldNames.joined(separator: ", "))")
        }
    }

    /// Prints `receipt` as JSON, as a table, or just `field`.
    static func print(_ receipt: TransactionReceipt, field name: String? = nil, json: Bool) throws {
        if let name {
            let value = try field(name, of: receipt)
            if json { try JSONOutput.print([name: value]) } else { Console.line(value) }
        } else if json {
            try JSONOutput.print(receipt)
        } else {
            Console.line(try table(receipt))
        }
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
