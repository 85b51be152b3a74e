#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The memory behind one or more ``Tensor`` values: a 64-byte aligned buffer (one cache line, the
/// widest SIMD load) for numeric dtypes, or a Swift array for `.string`.
///
/// `@unchecked Sendable` is safe because of how ``Tensor`` uses it: bytes are written only while
/// the storage is referenced by exactly one tensor (during construction, or after `Tensor`'s
/// copy-on-write check `isKnownUniquelyReferenced`); once a second tensor or another task can see
/// it, it is only read. Every op writes into a fresh storage before returning it.
public final class TensorStorage: @unchecked Sendable {
    /// Alignment of ``bytes``.
    public static let alignment = 64

    /// Start of the buffer (never nil; a zero-byte request still gets one aligned line).
    public let bytes: UnsafeMutableRawPointer
    /// Usable size of ``bytes``.
    public let byteCount: Int
    /// Elements of a `.string` tensor.
    var strings: [String]
    /// Set when ``bytes`` lies inside a file mapping: (mapping start, mapping length).
    private let mapping: (base: UnsafeMutableRawPointer, length: Int)?
    /// Where the buffer goes back to when the storage dies (nil: the system allocator).
    private var pool: BufferPool? = nil

    /// Allocates `byteCount` zeroed bytes (or, with `zeroed: false`, bytes the caller overwrites
    /// completely before anyone reads them: kernels that write every output element).
    /// Inside a run the buffer comes from (and returns to) the plan's ``BufferPool``.
    init(byteCount: Int, zeroed: Bool = true) throws {
        let rounded = max(Self.alignment, (byteCount + Self.alignment - 1) / Self.alignment * Self.alignment)
        let pool = BufferPool.current
        var pointer: UnsafeMutableRawPointer?
        if let pool {
            pointer = pool.take(rounded: rounded, alignment: Self.alignment)
        } else if posix_memalign(&pointer, Self.alignment, rounded) != 0 {
            pointer = nil
        }
        guard let pointer else { throw TensorError(.allocationFailed, "cannot allocate \(byteCount) bytes for a tensor") }
        if zeroed { memset(pointer, 0, rounded) }
        bytes = pointer
        self.byteCount = byteCount
        strings = []
        mapping = nil
        self.pool = pool
    }

    /// Weights straight from a file: `byteCount` bytes at `offset` are mapped copy-on-write
    /// (`MAP_PRIVATE`), so pages load on first touch and are shared with the page cache. An offset
    /// that is not a multiple of ``alignment`` would break the alignment promise, so such data is
    /// read into an allocated buffer instead.
    init(mappingFile path: String, offset: Int, byteCount: Int) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw TensorError(.allocationFailed, "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, Int(status.st_size) >= offset + byteCount else {
            throw TensorError(.allocationFailed, "\(path) is shorter than offset \(offset) + \(byteCount) bytes")
        }
        strings = []
        self.byteCount = byteCount
        if byteCount > 0, offset % Self.alignment == 0 {
            let page = Int(sysconf(Int32(_SC_PAGESIZE)))
            let start = offset / page * page
            let length = byteCount + (offset - start)
            guard let base = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE, descriptor, off_t(start)),
                  base != MAP_FAILED else {
                throw TensorError(.allocationFailed, "cannot map \(path): \(String(cString: strerror(errno)))")
            }
            mapping = (base, length)
            bytes = base + (offset - start)
            return
        }
        var pointer: UnsafeMutableRawPointer?
        let rounded = max(Self.alignment, (byteCount + Self.alignment - 1) / Self.alignment * Self.alignment)
        guard posix_memalign(&pointer, Self.alignment, rounded) == 0, let pointer else {
            throw TensorError(.allocationFailed, "cannot allocate \(byteCount) bytes for a tensor")
        }
        guard pread(descriptor, pointer, byteCount, off_t(offset)) == byteCount else {
            free(pointer)
            throw TensorError(.allocationFailed, "cannot read \(byteCount) bytes at \(offset) from \(path)")
        }
        bytes = pointer
        mapping = nil
    }

    /// Whether the bytes are a file mapping (for reports and tests).
    public var isMemoryMapped: Bool { mapping != nil }

    init(strings: [String]) {
        bytes = UnsafeMutableRawPointer.allocate(byteCount: Self.alignment, alignment: Self.alignment)
        byteCount = 0
        self.strings = strings
        mapping = nil
    }

    deinit {
        if let mapping {
            munmap(mapping.base, mapping.length)
        } else if let pool {
            pool.give(bytes, rounded: max(Self.alignment, (byteCount + Self.alignment - 1) / Self.alignment * Self.alignment))
        } else {
            free(bytes)
        }
    }
}
