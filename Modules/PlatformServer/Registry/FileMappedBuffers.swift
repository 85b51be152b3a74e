@_spi(CustomByteBufferAllocator) import NIOCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `ByteBuffer`s whose bytes are a private mapping of part of a blob file, so a blob goes to the
/// socket with one copy (page cache -> socket) instead of two (page cache -> buffer -> socket).
///
/// NIO sends a file with `sendfile` only as a `FileRegion`, which Hummingbird's response writer
/// (HTTP parts carrying `ByteBuffer`s) cannot carry; a `ByteBuffer` made by a custom allocator can.
/// The allocator's C callbacks cannot capture, so the mapping to make is handed over in
/// `pending`, set and cleared around one allocation while `gate` is held. Any other allocation
/// through this allocator (a copy-on-write of a shared buffer, which our code never triggers) gets
/// ordinary heap memory. The mapping is read-only (a writable private mapping would make
/// `MAP_POPULATE` copy every page): these buffers are only ever sent, never written. Blob files are immutable and only ever unlinked, never truncated, so a mapped
/// page cannot vanish under a buffer in flight (unlinking keeps the inode while it is mapped).
enum FileMappedBuffers {
    struct Request {
        let fd: Int32
        let offset: Int64
    }

    /// The mapping the next allocation makes; written and read only while `gate` is held.
    // nonisolated(unsafe): every access happens with `gate` locked (`buffer(fd:offset:count:)`)
    // or inside the allocation that call makes, on the same thread.
    nonisolated(unsafe) static var pending: Request?
    static let gate = Mutex(())
    /// Address -> mapped length of every live mapping, for `munmap`.
    static let mappings = Mutex([UInt: Int]())
    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    static let allocator = ByteBufferAllocator(
        allocate: { size in
            if let request = FileMappedBuffers.pending {
                let address = mmap(nil, size, PROT_READ, MAP_SHARED | FileMappedBuffers.mapPopulate, request.fd, off_t(request.offset))
                if let address, address != MAP_FAILED {
                    FileMappedBuffers.mappings.withLock { $0[UInt(bitPattern: address)] = size }
                    return address
                }
            }
            return malloc(max(size, 1))
        },
        reallocate: { pointer, oldSize, newSize in
            guard let pointer, let mapped = FileMappedBuffers.unmapEntry(pointer) else { return realloc(pointer, newSize) }
            let moved = malloc(max(newSize, 1))
            if let moved { memcpy(moved, pointer, min(mapped, min(oldSize, newSize))) }
            munmap(pointer, mapped)
            return moved
        },
        deallocate: { pointer in
            if let mapped = FileMappedBuffers.unmapEntry(pointer) {
                munmap(pointer, mapped)
            } else {
                free(pointer)
            }
        },
        copy: { target, source, count in _ = memcpy(target, source, count) }
    )

    /// `MAP_POPULATE`: fill the page tables at map time (one walk) instead of one fault per page
    /// while the socket copies out. Not exported by the Swift Glibc module.
    static let mapPopulate: Int32 = 0x8000

    static func unmapEntry(_ pointer: UnsafeMutableRawPointer) -> Int? {
        mappings.withLock { $0.removeValue(forKey: UInt(bitPattern: pointer)) }
    }

    /// A buffer holding `count` bytes of `fd` from `offset` (page-aligned), or nil where the
    /// offset is not page-aligned or the mapping failed (the caller reads instead).
    static func buffer(fd: Int32, offset: Int64, count: Int) -> ByteBuffer? {
        guard count > 0, offset % Int64(pageSize) == 0 else { return nil }
        return gate.withLock { _ -> ByteBuffer? in
            pending = Request(fd: fd, offset: offset)
            var buffer = allocator.buffer(capacity: count)
            pending = nil
            let mapped = buffer.withVeryUnsafeBytes { bytes in
                mappings.withLock { $0[UInt(bitPattern: bytes.baseAddress)] != nil }
            }
            guard mapped else { return nil }
            buffer.moveWriterIndex(forwardBy: count)
            return buffer
        }
    }
}
