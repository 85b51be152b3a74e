import Foundation
import Testing
@testable import EthereumKit

@Suite struct TypedDataTests {
    /// The example of the EIP-712 specification.
    static let mail = """
    {
      "types": {
        "EIP712Domain": [
          {"name": "name", "type": "string"}, {"name": "version", "type": "string"},
          {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}
        ],
        "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
        "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person"}, {"name": "contents", "type": "string"}]
      },
      "primaryType": "Mail",
      "domain": {"name": "Ether Mail", "version": "1", "chainId": 1, "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
      "message": {
        "from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
        "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
        "contents": "Hello, Bob!"
      }
    }
    """

    @Test func hashesTheSpecificationExample() throws {
        let typed = try TypedData(json: Self.mail)
        #expect(try typed.encodeType("Mail") == "Mail(Person from,Person to,string contents)Person(string name,address wallet)")
        #expect(Hex.encode(try typed.typeHash("Mail")) == "0xa0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2")
        #expect(Hex.encode(try typed.domainSeparator()) == "0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f")
        #expect(Hex.encode(try typed.messageHash()) == "0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e")
        #expect(Hex.encode(try typed.signingDigest()) == "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2")
    }

    @Test func signsTheSpecificationExampleWithTheCowKey() throws {
        // The specification signs with keccak256("cow").
        let key = try PrivateKey(bytes: Keccak256.hash(Array("cow".utf8)))
        #expect(key.address == (try Address(hex: "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826")))
        let typed = try TypedData(json: Self.mail)
        let signature = try typed.sign(with: key)
        #expect(signature.v == 28)
        #expect(Hex.encode(signature.r) == "0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d")
        #expect(Hex.encode(signature.s) == "0x07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562")
        #expect(try typed.recoverSigner(of: signature) == key.address)
    }

    @Test func readsTheSameThroughCodable() throws {
        let viaCodable = try JSONDecoder().decode(TypedData.self, from: Data(Self.mail.utf8))
        #expect(try viaCodable.signingDigest() == (try TypedData(json: Self.mail).signingDigest()))
        let reencoded = try JSONEncoder().encode(viaCodable)
        #expect(try TypedData(json: Array(reencoded)).signingDigest() == (try viaCodable.signingDigest()))
    }

    @Test func derivesTheDomainTypeWhenItIsNotDeclared() throws {
        var typed = try TypedData(json: Self.mail)
        typed.types["EIP712Domain"] = nil
        #expect(try typed.domainFields().map(\.name) == ["name", "version", "chainId", "verifyingContract"])
        #expect(Hex.encode(try typed.signingDigest()) == "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2")
        typed.domain["color"] = "red"
        #expect(throws: TypedDataError.self) { try typed.signingDigest() }
    }

    static func failure(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch {
            return String(describing: error)
        }
    }

    @Test func explainsMissingTypesUnknownFieldsAndBadValues() throws {
        let base = try TypedData(json: Self.mail)

        var missingType = base
        missingType.types["Person"] = nil
        #expect(Self.failure { _ = try missingType.signingDigest() }.contains("no definition of type \"Person\""))

        var unknownField = base
        unknownField.message["cc"] = "Carol"
        #expect(Self.failure { _ = try unknownField.signingDigest() }
            == "invalid typed data at Mail.cc: unknown field: type Mail has no field \"cc\"")

        var badAddress = base
        badAddress.message["to"] = ["name": "Bob", "wallet": "0x1234"]
        #expect(Self.failure { _ = try badAddress.signingDigest() }.hasPrefix("invalid typed data at Mail.to.wallet: invalid address"))

        var outOfRange = base
        outOfRange.domain["chainId"] = "-1"
        #expect(Self.failure { _ = try outOfRange.signingDigest() }
            == "invalid typed data at domain.chainId: value -1 is out of range for uint256")

        var notANumber = base
        notANumber.domain["chainId"] = "one"
        #expect(Self.failure { _ = try notANumber.signingDigest() }.contains("expected an integer"))

        var wrongShape = base
        wrongShape.message["from"] = "Cow"
        #expect(Self.failure { _ = try wrongShape.signingDigest() }.contains("expected an object of type Person"))

        var missingValue = base
        missingValue.message["from"] = ["name": "Cow"]
        #expect(Self.failure { _ = try missingValue.signingDigest() }.contains("Mail.from.wallet: missing value of type address"))
    }

    @Test func checksArraysAndFixedArrayLengths() throws {
        let typed = TypedData(
            types: ["EIP712Domain": [.init(name: "name", type: "string")],
                    "Batch": [.init(name: "ids", type: "uint8[2]"), .init(name: "tags", type: "string[]")]],
            primaryType: "Batch", domain: ["name": "x"], message: ["ids": [1, 2, 3], "tags": []])
        #expect(Self.failure { _ = try typed.signingDigest() }.contains("expected 2 elements for uint8[2], got 3"))
        var tooBig = typed
        tooBig.message["ids"] = [1, 256]
        #expect(Self.failure { _ = try tooBig.signingDigest() }.contains("Batch.ids[1]: value 256 is out of range for uint8"))
        var fine = typed
        fine.message["ids"] = [1, "0xff"]
        #expect(try fine.signingDigest().count == 32)
    }

    @Test func refusesMalformedJSON() {
        for text in ["", "{", "[]", "{\"types\": {}}", "{\"types\": {\"A\": [{\"name\": 1}]}, \"primaryType\": \"A\", \"message\": {}}",
                     "{\"types\": {}, \"primaryType\": \"A\", \"domain\": {}, \"message\": {}} x",
                     String(repeating: "[", count: 10_000)] {
            #expect(throws: TypedDataError.self, "\(text.prefix(40))") { try TypedData(json: text) }
        }
    }

    @Test func keepsIntegersBeyond64BitsExact() throws {
        let json = """
        {"types": {"EIP712Domain": [], "Big": [{"name": "v", "type": "uint256"}]}, "primaryType": "Big", "domain": {},
         "message": {"v": 115792089237316195423570985008687907853269984665640564039457584007913129639935}}
        """
        let typed = try TypedData(json: json)
        #expect(typed.message["v"] == .number("115792089237316195423570985008687907853269984665640564039457584007913129639935"))
        var asString = typed
        asString.message["v"] = .string("0x" + String(repeating: "f", count: 64))
        #expect(try typed.messageHash() == (try asString.messageHash()))
    }
}
