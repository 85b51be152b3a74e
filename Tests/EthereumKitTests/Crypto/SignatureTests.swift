import BigInt
import Foundation
import Testing
@testable import EthereumKit

@Suite struct SignatureTests {
    struct Vector: Decodable {
        let privateKey: String
        let publicKey: String
        let compressedPublicKey: String
        let address: String
        let digest: String
        let r: String
        let s: String
        let recoveryID: UInt8
        let serialized: String
    }

    static let groupOrder = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"

    @Test func signaturesAreByteIdenticalToEthKeysAndRecoverTheSigner() throws {
        let vectors = try CryptoVectorLoader.load("signatures", as: Vector.self)
        #expect(vectors.count >= 300)
        for vector in vectors {
            let key = try PrivateKey(hex: vector.privateKey)
            let digest = try Hex.decode(vector.digest)
            let signature = try key.sign(digest: digest)
            #expect(Hex.encode(signature.r) == vector.r)
            #expect(Hex.encode(signature.s) == vector.s)
            #expect(signature.recoveryID == vector.recoveryID)
            #expect(Hex.encode(signature.serialized) == vector.serialized)
            #expect(signature.isLowS)

            let publicKey = key.publicKey
            #expect(Hex.encode(publicKey.uncompressed) == vector.publicKey)
            #expect(Hex.encode(publicKey.compressed) == vector.compressedPublicKey)
            #expect(key.address.checksummed == vector.address)
            #expect(try signature.recoverPublicKey(digest: digest) == publicKey)
            #expect(try signature.recoverAddress(digest: digest).checksummed == vector.address)
            #expect(publicKey.verify(signature: signature, digest: digest))
            #expect(try Signature(hex: vector.serialized) == signature)
        }
    }

    @Test func publicKeysParseFromCompressedUncompressedAndRawForms() throws {
        let vectors = try CryptoVectorLoader.load("signatures", as: Vector.self)
        for vector in vectors.prefix(50) {
            let uncompressed = try PublicKey(hex: vector.publicKey)
            #expect(try PublicKey(hex: vector.compressedPublicKey) == uncompressed)
            #expect(try PublicKey(bytes: uncompressed.rawBytes) == uncompressed)
            #expect(uncompressed.address.checksummed == vector.address)
        }
        #expect(throws: PublicKeyError.notOnCurve) { try PublicKey(bytes: [UInt8](repeating: 7, count: 64)) }
        #expect(throws: PublicKeyError.wrongLength(63)) { try PublicKey(bytes: [UInt8](repeating: 7, count: 63)) }
    }

    @Test func verificationFailsForAnotherDigestAnotherKeyOrAHighS() throws {
        let key = try PrivateKey(hex: "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
        let digest = Keccak256.hash("message")
        let signature = try key.sign(digest: digest)
        #expect(key.publicKey.verify(signature: signature, digest: digest))
        #expect(!key.publicKey.verify(signature: signature, digest: Keccak256.hash("other")))
        #expect(!PrivateKey.random().publicKey.verify(signature: signature, digest: digest))

        // (r, n - s) is the same signature in its malleable high-s form with the recovery id flipped.
        let highS = try Signature(r: signature.r, s: Self.negate(signature.s), recoveryID: signature.recoveryID ^ 1)
        #expect(!highS.isLowS)
        #expect(!key.publicKey.verify(signature: highS, digest: digest))
        // Recovery still finds the signer for a high-s form (transaction decoding rejects it separately).
        #expect(try highS.recoverAddress(digest: digest) == key.address)
    }

    @Test(arguments: [0, 1, 27, 28] as [UInt8])
    func sixtyFiveByteSignaturesAcceptVZeroOneTwentySevenAndTwentyEight(v: UInt8) throws {
        let key = PrivateKey.random()
        let digest = Keccak256.hash("v forms")
        let signature = try key.sign(digest: digest)
        var bytes = signature.compact
        bytes.append(v)
        let parsed = try Signature(bytes: bytes)
        #expect(parsed.recoveryID == v % 27)
        #expect(parsed.serialized.count == 65 && parsed.serialized[64] == 27 + v % 27)
    }

    @Test func malformedSignaturesGiveTypedErrorsNamingTheProblem() throws {
        let good = try PrivateKey.random().sign(digest: Keccak256.hash("x")).serialized
        #expect(throws: SignatureError.wrongLength(64)) { try Signature(bytes: good.prefix(64)) }
        #expect(throws: SignatureError.wrongLength(66)) { try Signature(bytes: good + [0]) }
        #expect(SignatureError.wrongLength(64).description == "invalid signature: expected 65 bytes (r, s, v), got 64")
        #expect(throws: SignatureError.invalidV(29)) { try Signature(bytes: good.prefix(64) + [29]) }
        #expect(throws: SignatureError.componentOutOfRange(name: "r")) {
            try Signature(bytes: [UInt8](repeating: 0, count: 32) + good[32..<65])
        }
        let n = try Hex.decode(Self.groupOrder)
        #expect(throws: SignatureError.componentOutOfRange(name: "s")) { try Signature(bytes: good[0..<32] + n + [27]) }
        #expect(throws: SignatureError.self) { try Signature(hex: "0xnothex") }
        #expect(throws: SignatureError.wrongDigestLength(31)) { try PrivateKey.random().sign(digest: [UInt8](repeating: 1, count: 31)) }
    }

    @Test func eip155VEncodesChainIDAndDecodesBack() throws {
        let signature = try PrivateKey.random().sign(digest: Keccak256.hash("155"))
        let v = signature.v(chainID: 1)
        #expect(v == BigUInt(37 + Int(signature.recoveryID)))
        let decoded = try Signature.recoveryID(fromLegacyV: signature.v(chainID: 31337))
        #expect(decoded.recoveryID == signature.recoveryID && decoded.chainID == 31337)
        #expect(try Signature.recoveryID(fromLegacyV: 28).recoveryID == 1)
        #expect(try Signature.recoveryID(fromLegacyV: 27).chainID == nil)
        #expect(throws: SignatureError.self) { try Signature.recoveryID(fromLegacyV: 30) }
    }

    // MARK: Private keys

    @Test func privateKeysOutsideOneToNMinusOneAreRejected() throws {
        #expect(throws: PrivateKeyError.zero) { try PrivateKey(bytes: [UInt8](repeating: 0, count: 32)) }
        #expect(throws: PrivateKeyError.notBelowGroupOrder) { try PrivateKey(hex: Self.groupOrder) }
        #expect(throws: PrivateKeyError.notBelowGroupOrder) { try PrivateKey(hex: String(repeating: "f", count: 64)) }
        #expect(throws: PrivateKeyError.wrongLength(31)) { try PrivateKey(bytes: [UInt8](repeating: 1, count: 31)) }
        #expect(throws: PrivateKeyError.self) { try PrivateKey(hex: "0x12zz") }
        let nMinusOne = "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140"
        #expect(try PrivateKey(hex: nMinusOne).hex == nMinusOne)
    }

    @Test func privateKeyErrorsAndDescriptionsNeverLeakKeyMaterial() throws {
        let secretHex = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f36231z"
        do {
            _ = try PrivateKey(hex: secretHex)
            Issue.record("accepted a non-hex key")
        } catch {
            #expect(!error.description.contains("4c0883a6"))
            #expect(error.description.hasPrefix("invalid private key hex:"))
        }
        let key = try PrivateKey(hex: String(secretHex.dropLast()) + "8")
        #expect(!"\(key)".contains("4c0883a6"))
        #expect(!String(reflecting: key).contains("4c0883a6"))
    }

    @Test func randomKeysAreDistinctAndUsable() throws {
        let keys = (0..<20).map { _ in PrivateKey.random() }
        #expect(Set(keys).count == 20)
        for key in keys {
            let digest = Keccak256.hash(key.address.hex)
            #expect(try key.sign(digest: digest).recoverAddress(digest: digest) == key.address)
        }
    }

    static func negate(_ s: [UInt8]) throws -> [UInt8] {
        let n = BigUInt(groupOrder, radix: 16)!
        let value = n - BigUInt(Data(s))
        let bytes = [UInt8](value.serialize())
        return [UInt8](repeating: 0, count: 32 - bytes.count) + bytes
    }
}
