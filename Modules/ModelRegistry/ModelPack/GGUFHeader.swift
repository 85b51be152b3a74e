import Foundation

/// The fixed start of a GGUF file: magic `GGUF`, version (u32), tensor count and metadata key/value
/// count (u64 from version 2, u32 in version 1), all little-endian.
public struct GGUFHeader: Sendable, Equatable {
    public let version: UInt32
    public let tensorCount: UInt64
    public let metadataCount: UInt64

    /// Reads the header of the file at `url`.
    public init(contentsOf url: URL, name: String) throws {
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw ModelFormatError(file: name, format: .gguf, reason: "cannot open: \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        try self.init(bytes: [UInt8]((try? handle.read(upToCount: 24)) ?? Data()), name: name)
    }

    /// Parses the first bytes of a GGUF file (24 are enough).
    public init(bytes: [UInt8], name: String) throws {
        let fail = { (reason: String) in ModelFormatError(file: name, format: .gguf, reason: reason) }
        guard bytes.count >= 8 else { throw fail("shorter than the 8-byte magic and version") }
        guard bytes[0..<4].elementsEqual(Array("GGUF".utf8)) else { throw fail("magic is not GGUF") }
        func little(_ offset: Int, _ count: Int) -> UInt64 {
            (0..<count).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
        }
        version = UInt32(little(4, 4))
        guard (1...3).contains(version) else { throw fail("unknown version \(version)") }
        let width = version == 1 ? 4 : 8
        guard bytes.count >= 8 + 2 * width else { throw fail("truncated header") }
        tensorCount = little(8, width)
        metadataCount = little(8 + width, width)
        // A count beyond what any file could hold marks a corrupt header.
        guard tensorCount < 1 << 32, metadataCount < 1 << 32 else { throw fail("implausible tensor or metadata count") }
    }
}
