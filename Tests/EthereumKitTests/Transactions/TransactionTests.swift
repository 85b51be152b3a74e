import BigInt
import Foundation
import Testing
@testable import EthereumKit

@Suite struct TransactionTests {
    struct Vector: Decodable {
        struct Entry: Decodable {
            let address: String
            let storageKeys: [String]
        }

        let kind: String
        let privateKey: String
        let chainID: UInt64?
        let nonce: UInt64
        let gasLimit: UInt64
        let to: String?
        let value: String
        let data: String
        let gasPrice: String?
        let maxPriorityFeePerGas: String?
        let maxFeePerGas: String?
        let accessList: [Entry]?
        let signingHash: String
        let raw: String
        let hash: String
        let r: String
        let s: String
        let v: String
        let sender: String
        let contractAddress: String?

        func transaction() throws -> Transaction {
            let to = try self.to.map { try Address(hex: $0) }
            let value = try #require(BigUInt(value))
            let data = try Hex.decode(data)
            let accessList = try (accessList ?? []).map {
                AccessListEntry(address: try Address(hex: $0.address), storageKeys: try $0.storageKeys.map { try Hex.decode($0) })
            }
            switch kind {
            case "legacy", "eip155":
                return .legacy(LegacyTransaction(
                    chainID: chainID, nonce: nonce, gasPrice: try #require(gasPrice.flatMap { BigUInt($0) }),
                    gasLimit: gasLimit, to: to, value: value, data: data))
            case "eip2930":
                return .accessList(AccessListTransaction(
                    chainID: try #require(chainID), nonce: nonce, gasPrice: try #require(gasPrice.flatMap { BigUInt($0) }),
                    gasLimit: gasLimit, to: to, value: value, data: data, accessList: accessList))
            default:
                return .feeMarket(FeeMarketTransaction(
                    chainID: try #require(chainID), nonce: nonce,
                    maxPriorityFeePerGas: try #require(maxPriorityFeePerGas.flatMap { BigUInt($0) }),
                    maxFeePerGas: try #require(maxFeePerGas.flatMap { BigUInt($0) }),
                    gasLimit: gasLimit, to: to, value: value, data: data, accessList: accessList))
            }
        }
    }

    static func vectors() throws -> [Vector] {
        try CryptoVectorLoader.load("transactions", as: Vector.self)
    }

    @Test func signingAllFourKindsIsByteIdenticalToEthAccount() throws {
        let vectors = try Self.vectors()
        #expect(vectors.count >= 240)
        #expect(Set(vectors.map(\.kind)) == ["legacy", "eip155", "eip2930", "eip1559"])
        for vector in vectors {
            let key = try PrivateKey(hex: vector.privateKey)
            let transaction = try vector.transaction()
            #expect(Hex.encode(transaction.signingHash) == vector.signingHash, "\(vector.kind)")
            let signed = transaction.sign(with: key)
            #expect(signed.rawHex == vector.raw, "\(vector.kind)")
            #expect(signed.hashHex == vector.hash)
            #expect(signed.sender.checksummed == vector.sender)
            #expect(BigUInt(Data(signed.signature.r)).description == vector.r)
            #expect(BigUInt(Data(signed.signature.s)).description == vector.s)
            #expect(signed.contractAddress?.checksummed == vector.contractAddress)
        }
    }

    @Test func decodingRawBytesRecoversFieldsSignatureAndSender() throws {
        for vector in try Self.vectors() {
            let decoded = try SignedTransaction(rawHex: vector.raw)
            #expect(decoded.transaction == (try vector.transaction()), "\(vector.kind)")
            #expect(decoded.sender.checksummed == vector.sender)
            #expect(decoded.hashHex == vector.hash)
            #expect(decoded.rawHex == vector.raw)
            #expect(decoded.transaction.type == ["legacy": 0, "eip155": 0, "eip2930": 1, "eip1559": 2][vector.kind])
            if vector.kind == "legacy" || vector.kind == "eip155" {
                let v: BigUInt = vector.chainID.map { decoded.signature.v(chainID: $0) } ?? BigUInt(decoded.signature.v)
                #expect(v.description == vector.v)
            } else {
                #expect(String(decoded.signature.recoveryID) == vector.v)
            }
        }
    }

    @Test func truncatedRawTransactionsAreRejectedWithTypedErrors() throws {
        for vector in try Self.vectors().prefix(40) {
            let raw = try Hex.decode(vector.raw)
            for cut in Set([0, 1, raw.count / 2, raw.count - 1]) {
                #expect(throws: TransactionDecodingError.self, "\(vector.kind) cut at \(cut)") {
                    try SignedTransaction(rawBytes: Array(raw.prefix(cut)))
                }
            }
            #expect(throws: TransactionDecodingError.self) { try SignedTransaction(rawBytes: raw + [0]) }
        }
        #expect(throws: TransactionDecodingError.emptyInput) { try SignedTransaction(rawBytes: []) }
    }

    @Test(arguments: [0x00, 0x03, 0x04, 0x7f, 0x80, 0xb0] as [UInt8])
    func unknownTypeBytesAreRejected(first: UInt8) throws {
        let raw = try Hex.decode(try #require(try Self.vectors().first { $0.kind == "eip1559" }).raw)
        let error = #expect(throws: TransactionDecodingError.self) { try SignedTransaction(rawBytes: [first] + raw.dropFirst()) }
        if first < 0x80 {
            #expect(error == .unsupportedType(first))
            #expect(error?.description.contains("unsupported type byte") == true)
        }
    }

    @Test func aTypedTransactionWithAnotherTypesBodyHasTheWrongFieldCount() throws {
        let raw = try Hex.decode(try #require(try Self.vectors().first { $0.kind == "eip1559" }).raw)
        #expect(throws: TransactionDecodingError.wrongFieldCount(type: "EIP-2930", expected: 11, got: 12)) {
            try SignedTransaction(rawBytes: [0x01] + raw.dropFirst())
        }
    }

    @Test func highSAndOutOfRangeSignaturesAreRejected() throws {
        let key = try PrivateKey(hex: "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
        let tx = FeeMarketTransaction(
            chainID: 1, nonce: 7, maxPriorityFeePerGas: 1_000_000_000, maxFeePerGas: 30_000_000_000, gasLimit: 21_000,
            to: try Address(hex: "0x3535353535353535353535353535353535353535"), value: 1)
        let signed = tx.sign(with: key)
        let highS = try Signature(
            r: signed.signature.r, s: SignatureTests.negate(signed.signature.s), recoveryID: signed.signature.recoveryID ^ 1)
        let malleated = Transaction.feeMarket(tx).rawBytes(signature: highS)
        #expect(throws: TransactionDecodingError.highS) { try SignedTransaction(rawBytes: malleated) }

        // r = 0 encodes as the empty string.
        var items = try #require(try RLP.decode(Array(signed.rawBytes.dropFirst())).listValue)
        items[10] = .bytes([])
        #expect(throws: TransactionDecodingError.invalidSignature(.componentOutOfRange(name: "r"))) {
            try SignedTransaction(rawBytes: [0x02] + RLPItem.list(items).encoded)
        }
        items = try #require(try RLP.decode(Array(signed.rawBytes.dropFirst())).listValue)
        items[9] = RLPItem(UInt64(2))
        #expect(throws: TransactionDecodingError.invalidField(name: "yParity", reason: "must be 0 or 1, got 2")) {
            try SignedTransaction(rawBytes: [0x02] + RLPItem.list(items).encoded)
        }
        items = try #require(try RLP.decode(Array(signed.rawBytes.dropFirst())).listValue)
        items[1] = .bytes([0, 7])
        #expect(throws: TransactionDecodingError.invalidRLP(.nonCanonicalInteger(field: "nonce"))) {
            try SignedTransaction(rawBytes: [0x02] + RLPItem.list(items).encoded)
        }
        items = try #require(try RLP.decode(Array(signed.rawBytes.dropFirst())).listValue)
        items[5] = .bytes([1, 2, 3])
        #expect(throws: TransactionDecodingError.self) { try SignedTransaction(rawBytes: [0x02] + RLPItem.list(items).encoded) }
    }

    @Test func legacyVOtherThanTwentySevenTwentyEightOrEIP155IsRejected() throws {
        let vector = try #require(try Self.vectors().first { $0.kind == "legacy" })
        var items = try #require(try RLP.decode(Hex.decode(vector.raw)).listValue)
        items[6] = RLPItem(UInt64(29))
        #expect(throws: TransactionDecodingError.invalidSignature(.invalidV(29))) {
            try SignedTransaction(rawBytes: RLPItem.list(items).encoded)
        }
    }

    @Test func signingHashIsWhatTheSignatureCommitsTo() throws {
        let key = PrivateKey.random()
        let tx = Transaction.legacy(LegacyTransaction(
            chainID: 31337, nonce: 0, gasPrice: 1, gasLimit: 21_000, to: nil, data: [0x60, 0x00]))
        let signed = tx.sign(with: key)
        #expect(try signed.signature.recoverAddress(digest: tx.signingHash) == key.address)
        #expect(signed.contractAddress == Address.contractAddress(sender: key.address, nonce: 0))
        #expect(signed.transaction.to == nil)
    }

    @Test func nonceAndGasLimitCanBeSetWhateverTheType() throws {
        for vector in try Self.vectors().prefix(8) {
            var transaction = try vector.transaction()
            transaction.nonce = 42
            transaction.gasLimit = 99_000
            #expect(transaction.nonce == 42 && transaction.gasLimit == 99_000)
            #expect(transaction.type == (try vector.transaction()).type)
            #expect(transaction.to == (try vector.transaction()).to)
        }
    }

    @Test func contractAddressesMatchKnownDeployments() throws {
        // The first contracts deployed by the well-known Hardhat/anvil account 0.
        let deployer = try Address(hex: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
        #expect(Address.contractAddress(sender: deployer, nonce: 0).checksummed == "0x5FbDB2315678afecb367f032d93F642f64180aa3")
        #expect(Address.contractAddress(sender: deployer, nonce: 1).checksummed == "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512")
        // EIP-1014 example 1.
        let create2 = try Address.create2Address(
            deployer: .zero, salt: [UInt8](repeating: 0, count: 32), initCode: [0x00])
        #expect(create2.checksummed == "0x4D1A2e2bB4F88F0250f26Ffff098B0b30B26BF38")
    }
}
