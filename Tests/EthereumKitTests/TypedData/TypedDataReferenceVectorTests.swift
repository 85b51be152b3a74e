import Foundation
import Testing
@testable import EthereumKit

/// Cross-checks against eth-account on the vectors of scripts/vectors/gen_eip712.py.
@Suite struct TypedDataReferenceVectorTests {
    struct Case {
        let json: Data
        let fields: [String: Any]
    }

    static func cases() throws -> [Case] {
        let file = try ABIVectors.load("eip712")
        let cases = try ABIVectors.cases(file, "cases")
        return try cases.map { fields in
            let typed = try #require(fields["typedData"] as? String)
            return Case(json: Data(typed.utf8), fields: fields)
        }
    }

    @Test func hashesRandomTypedDataExactlyAsEthAccount() throws {
        let cases = try Self.cases()
        #expect(cases.count >= 200)
        for (index, vector) in cases.enumerated() {
            let typed = try TypedData(json: vector.json)
            #expect(try typed.encodeType(typed.primaryType) == vector.fields["encodeType"] as? String, "case \(index)")
            #expect(try typed.typeHash(typed.primaryType) == (try ABIVectors.bytes(vector.fields["typeHash"])), "case \(index)")
            #expect(try typed.domainSeparator() == (try ABIVectors.bytes(vector.fields["domainSeparator"])), "case \(index)")
            #expect(try typed.messageHash() == (try ABIVectors.bytes(vector.fields["messageHash"])), "case \(index)")
            #expect(try typed.signingDigest() == (try ABIVectors.bytes(vector.fields["digest"])), "case \(index)")
        }
    }

    @Test func signsRandomTypedDataExactlyAsEthAccount() throws {
        let file = try ABIVectors.load("eip712")
        let key = try PrivateKey(hex: try #require(file["privateKey"] as? String))
        let address = try Address(hex: try #require(file["address"] as? String))
        #expect(key.address == address)
        for (index, vector) in try Self.cases().enumerated() {
            let typed = try TypedData(json: vector.json)
            let signature = try key.signTypedData(typed)
            #expect(signature.serialized == (try ABIVectors.bytes(vector.fields["signature"])), "case \(index)")
            #expect(try typed.recoverSigner(of: signature) == address)
        }
    }
}
