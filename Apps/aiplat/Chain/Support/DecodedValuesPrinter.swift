import EthereumKit

/// Prints decoded ABI values as cast does: one per line (`1000 [1e3]`-style hints, quoted strings),
/// or with `--json` one JSON array of their plain text forms.
enum DecodedValuesPrinter {
    static func print(_ values: [ABIValue], json: Bool) throws {
        if json {
            try JSONOutput.print(values.map { $0.formatted(.raw) })
        } else {
            for value in values { Console.line(value.formatted(.cast)) }
        }
    }
}
