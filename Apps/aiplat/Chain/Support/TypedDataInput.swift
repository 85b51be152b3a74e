import EthereumKit
import Foundation

/// Loads EIP-712 typed data from inline JSON or a file.
enum TypedDataInput {
    static func load(_ argument: String, isPath: Bool) throws -> TypedData {
        if isPath {
            let data = try InputFiles.read(argument, what: "typed-data file")
            do {
                return try TypedData(json: Array(data))
            } catch {
                throw ChainCLIError("typed-data file \"\(argument)\": \(error)")
            }
        }
        return try TypedData(json: argument)
    }
}
