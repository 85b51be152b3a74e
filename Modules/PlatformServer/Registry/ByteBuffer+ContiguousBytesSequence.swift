import NIOCore
import PlatformCore

// Request bodies arrive as ByteBuffers; letting the blob store read them in place streams uploads
// to disk without copying each chunk. Retroactive: both types belong to other modules, but this
// module is the one place where NIO meets the store (same package, so not retroactive).
extension ByteBuffer: ContiguousBytesSequence {
    public func withUnsafeBytesOfChunk<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withUnsafeReadableBytes(body)
    }
}
