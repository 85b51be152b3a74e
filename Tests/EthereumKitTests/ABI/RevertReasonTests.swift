import BigInt
import Testing
@testable import EthereumKit

@Suite struct RevertReasonTests {
    @Test func decodesErrorStringFromRequireMessages() throws {
        // revert("Not enough Ether provided.") as in the Solidity documentation.
        let data = try Hex.decode("0x08c379a0"
            + "0000000000000000000000000000000000000000000000000000000000000020"
            + "000000000000000000000000000000000000000000000000000000000000001a"
            + "4e6f7420656e6f7567682045746865722070726f76696465642e000000000000")
        let reason = RevertReason.decode(data)
        #expect(reason == .error("Not enough Ether provided."))
        #expect(reason.description == "execution reverted: Not enough Ether provided.")
    }

    @Test(arguments: [(0x01, "assertion failed"), (0x11, "arithmetic overflow or underflow"),
                      (0x12, "division or modulo by zero"), (0x21, "conversion to an invalid enum value"),
                      (0x32, "array index out of bounds"), (0x41, "out of memory"), (0x99, "unknown panic code")])
    func decodesPanicCodesWithTheirMeaning(code: Int, meaning: String) throws {
        let data = RevertReason.panicSelector + (try ABI.encode(.uint(BigUInt(code)), as: .uint256))
        guard case .panic(let decoded, let text) = RevertReason.decode(data) else {
            Issue.record("not a panic")
            return
        }
        #expect(decoded == BigUInt(code))
        #expect(text.hasPrefix(meaning))
        #expect(RevertReason.decode(data).description.contains("0x\(String(code, radix: 16))"))
    }

    @Test func decodesCustomErrorsFromTheGivenList() throws {
        let errors = [try ABIError(parsing: "error Unauthorized(address caller)"),
                      try ABIError(parsing: "error InsufficientFunds(uint256 available, uint256 required)")]
        let data = try errors[1].encode([10, 20])
        #expect(RevertReason.decode(data, errors: errors) == .custom(errors[1], [10, 20]))
        #expect(RevertReason.decode(data, errors: errors).description == "custom error InsufficientFunds(10, 20)")
        #expect(RevertReason.decode(data) == .unknown(data))
    }

    @Test func classifiesEmptyShortAndMalformedData() {
        #expect(RevertReason.decode([UInt8]()) == .empty)
        #expect(RevertReason.decode([0x08, 0xc3]) == .unknown([0x08, 0xc3]))
        let truncated = RevertReason.errorSelector + [UInt8](repeating: 0, count: 31)
        #expect(RevertReason.decode(truncated) == .unknown(truncated))
        let hostile = RevertReason.errorSelector + [UInt8](repeating: 0xff, count: 64)
        #expect(RevertReason.decode(hostile) == .unknown(hostile))
    }
}
