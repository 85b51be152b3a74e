import Foundation

/// Loads the crypto reference vectors written by scripts/vectors/gen_*.py (eth-crypto's areas).
enum CryptoVectorLoader {
    struct File<Case: Decodable>: Decodable {
        let cases: [Case]
    }

    struct MissingVectors: Error, CustomStringConvertible {
        let name: String
        var description: String { "vector file Vectors/\(name).json is missing from the test bundle" }
    }

    static func load<Case: Decodable>(_ name: String, as type: Case.Type = Case.self) throws -> [Case] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Vectors") else {
            throw MissingVectors(name: name)
        }
        return try JSONDecoder().decode(File<Case>.self, from: Data(contentsOf: url)).cases
    }
}
