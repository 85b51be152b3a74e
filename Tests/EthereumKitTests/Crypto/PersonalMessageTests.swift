import Testing
@testable import EthereumKit

@Suite struct PersonalMessageTests {
    struct Vector: Decodable {
        let privateKey: String
        let message: String
        let digest: String
        let signature: String
        let address: String
    }

    @Test func digestsSignaturesAndRecoveryMatchEthAccount() throws {
        let vectors = try CryptoVectorLoader.load("eip191", as: Vector.self)
        #expect(vectors.count >= 200)
        for vector in vectors {
            let key = try PrivateKey(hex: vector.privateKey)
            let message = try Hex.decode(vector.message)
            #expect(Hex.encode(PersonalMessage.digest(message)) == vector.digest)
            let signature = key.signPersonalMessage(message)
            #expect(Hex.encode(signature.serialized) == vector.signature)
            let parsed = try Signature(hex: vector.signature)
            #expect(try PersonalMessage.recoverAddress(message: message, signature: parsed).checksummed == vector.address)
        }
    }

    @Test func stringMessagesAreHashedAsTheirUTF8Bytes() throws {
        let key = try PrivateKey(hex: "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
        let text = "héllo ✓"
        #expect(PersonalMessage.digest(text) == PersonalMessage.digest(Array(text.utf8)))
        let signature = key.signPersonalMessage(text)
        #expect(try PersonalMessage.recoverAddress(message: text, signature: signature) == key.address)
        #expect(try PersonalMessage.recoverAddress(message: text + "!", signature: signature) != key.address)
    }
}
