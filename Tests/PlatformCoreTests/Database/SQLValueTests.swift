import Testing

@testable import PlatformCore

@Suite struct SQLValueTests {
    @Test func literalsBuildTheMatchingStorageClass() {
        let values: [SQLValue] = [nil, 42, 1.5, "text", true, false]
        #expect(values == [.null, .integer(42), .real(1.5), .text("text"), .integer(1), .integer(0)])
    }

    @Test func optionalsBindAsNullAndDecodeFromNull() {
        let none: String? = nil
        #expect(SQLValue(none) == .null)
        #expect(SQLValue(Optional("x")) == .text("x"))
        #expect(String?(sqlValue: .null) == .some(nil))
        #expect(String?(sqlValue: .integer(1)) == nil)
    }

    @Test func conversionsRefuseValuesThatDoNotFit() {
        #expect(Int32(sqlValue: .integer(Int64(Int32.max) + 1)) == nil)
        #expect(Bool(sqlValue: .integer(2)) == nil)
        #expect(Int64(sqlValue: .real(1)) == nil)
        #expect(String(sqlValue: .blob([65])) == nil)
        #expect(Double(sqlValue: .integer(3)) == 3)
        #expect([UInt8](sqlValue: .blob([1, 2])) == [1, 2])
    }
}
