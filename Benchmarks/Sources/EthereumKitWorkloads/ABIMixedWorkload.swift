import BigInt
import EthereumKit

/// `ABI.encode` + `ABI.decode` of static and dynamic types with a nested tuple array:
/// `(address, uint256, bool, bytes, string, uint256[], (address,uint256,bytes32)[])`;
/// the next counter (the uint256) is the decoded one plus one.
public final class ABIMixedWorkload: Workload {
    private let types: [ABIType]
    private let recipient: Address
    private let blob = pattern(count: 100, seed: 0x77)
    private let name = "aiplat benchmark payload"
    private let numbers: [ABIValue] = (0..<8).map { .uint(BigUInt(3).power($0)) }
    private let entries: [ABIValue]
    private var counter: BigUInt = 1

    public init() throws {
        types = try ["address", "uint256", "bool", "bytes", "string", "uint256[]", "(address,uint256,bytes32)[]"]
            .map { (text) throws(ABIParsingError) in try ABIType(parsing: text) }
        recipient = try Address(bytes: pattern(count: 20, seed: 0x66))
        entries = try (0..<3).map { k throws(AddressError) in
            .tuple([
                .address(try Address(bytes: pattern(count: 20, seed: UInt8(0x80 + k)))),
                .uint(BigUInt(1000 * k)),
                .fixedBytes(pattern(count: 32, seed: UInt8(k))),
            ])
        }
    }

    public func run(_ count: Int) throws {
        for _ in 0..<count {
            let values: [ABIValue] = [
                .address(recipient), .uint(counter), .bool(true), .bytes(blob), .string(name),
                .array(numbers), .array(entries),
            ]
            let decoded = try ABI.decode(types, from: try ABI.encode(values, as: types))
            counter = (decoded[1].uintValue ?? 0) + 1
        }
    }

    public var checksum: UInt8 { UInt8(truncatingIfNeeded: counter.words.first ?? 0) }
}
