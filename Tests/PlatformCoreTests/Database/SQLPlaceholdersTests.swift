import Testing

@testable import PlatformCore

@Suite struct SQLPlaceholdersTests {
    @Test(arguments: [
        ("SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = $1 AND b = $2", 2),
        ("SELECT 'is it?' , ?", "SELECT 'is it?' , $1", 1),
        ("SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1),
        (#"SELECT "odd?col" FROM t WHERE x = ?"#, #"SELECT "odd?col" FROM t WHERE x = $1"#, 1),
        ("SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2", 2),
        ("SELECT /* what? */ ? /*/ still? */, ?", "SELECT /* what? */ $1 /*/ still? */, $2", 2),
        ("INSERT INTO t VALUES (?,?,?)", "INSERT INTO t VALUES ($1,$2,$3)", 3),
        ("SELECT 1", "SELECT 1", 0),
        ("", "", 0),
        ("?", "$1", 1),
    ])
    func questionMarksBecomeNumberedPlaceholdersOutsideLiteralsAndComments(sql: String, expected: String, count: Int) {
        #expect(SQLPlaceholders.numbered(sql) == expected)
        #expect(SQLPlaceholders.count(in: sql) == count)
    }

    @Test func numbersKeepIncreasingPastNine() {
        let sql = Array(repeating: "?", count: 12).joined(separator: ",")
        #expect(SQLPlaceholders.numbered(sql) == (1...12).map { "$\($0)" }.joined(separator: ","))
    }
}
