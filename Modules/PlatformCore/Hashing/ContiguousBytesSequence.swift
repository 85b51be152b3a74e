import Foundation

/// A chunk of bytes that can lend a raw pointer to its storage: what ``SHA256Hasher`` and
/// ``BlobStore`` writes consume. `[UInt8]`, `ArraySlice<UInt8>` and `Data` conform here; the server
/// conforms NIO's `ByteBuffer`, so request bodies stream into the store without a copy.
public protocol ContiguousBytesSequence: Sendable {
    /// Calls `body` with the bytes of this chunk.
    func withUnsafeBytesOfChunk<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result
}

extension Array: ContiguousBytesSequence where Element == UInt8 {
    public func withUnsafeBytesOfChunk<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withUnsafeBytes(body)
    }
}

extension ArraySlice: ContiguousBytesSequence where Element == UInt8 {
    public func withUnsafeBytesOfChunk<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withUnsafeBytes(body)
    }
}

extension Data: ContiguousBytesSequence {
    public func withUnsafeBytesOfChunk<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withUnsafeBytes(body)
    }
}
