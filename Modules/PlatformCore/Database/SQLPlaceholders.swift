/// Placeholder translation between the portable `?` form and PostgreSQL's `$n` form.
public enum SQLPlaceholders {
    /// Rewrites each `?` placeholder to `$1, $2, ...`, leaving `?` inside string literals
    /// (`'...'`, with `''` escapes), quoted identifiers (`"..."`), line comments (`-- ...`) and
    /// block comments (`/* ... */`) untouched.
    public static func numbered(_ sql: String) -> String {
        var output = ""
        output.reserveCapacity(sql.utf8.count + 8)
        var number = 0
        forEachPlaceholder(in: sql) { segment, isPlaceholder in
            if isPlaceholder {
                number += 1
                output += "$\(number)"
            } else {
                output += segment
            }
        }
        return output
    }

    /// The number of `?` placeholders outside literals, identifiers and comments.
    public static func count(in sql: String) -> Int {
        var count = 0
        forEachPlaceholder(in: sql) { _, isPlaceholder in
            if isPlaceholder { count += 1 }
        }
        return count
    }

    /// Splits `sql` into literal text segments and placeholders, in order.
    private static func forEachPlaceholder(in sql: String, _ visit: (Substring, Bool) -> Void) {
        enum State { case code, singleQuoted, doubleQuoted, lineComment, blockComment }
        var state = State.code
        var segmentStart = sql.startIndex
        var index = sql.startIndex
        while index < sql.endIndex {
            let character = sql[index]
            let next = sql.index(after: index)
            let following: Character? = next < sql.endIndex ? sql[next] : nil
            switch state {
            case .code:
                if character == "?" {
                    visit(sql[segmentStart..<index], false)
                    visit(sql[index..<next], true)
                    segmentStart = next
                } else if character == "'" {
                    state = .singleQuoted
                } else if character == "\"" {
                    state = .doubleQuoted
                } else if character == "-", following == "-" {
                    state = .lineComment
                } else if character == "/", following == "*" {
                    state = .blockComment
                    index = next  // skip the `*` so `/*/` does not close the comment
                }
            case .singleQuoted:
                // A doubled quote is an escaped quote: leaving and re-entering handles it.
                if character == "'" { state = .code }
            case .doubleQuoted:
                if character == "\"" { state = .code }
            case .lineComment:
                if character == "\n" { state = .code }
            case .blockComment:
                if character == "*", following == "/" {
                    state = .code
                    index = next
                }
            }
            index = sql.index(after: index)
        }
        visit(sql[segmentStart..<sql.endIndex], false)
    }
}
