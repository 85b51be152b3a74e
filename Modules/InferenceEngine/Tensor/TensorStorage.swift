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

    /// Allocates `byteCount` zeroed bytes.
    init(byteCount: Int) throws {
        var pointer: UnsafeMutableRawPointer?
        let rounded = max(Self.alignment, (byteCount + Self.alignment - 1) / Self.alignment * Self.alignment)
        guard posix_memalign(&pointer, Self.alignment, rounded) == 0, let pointer else {
            throw TensorError(.allocationFailed, "cannot allocate \(byteCount) bytes for a tensor")
        }
        memset(pointer, 0, rounded)
        bytes = pointer
        self.byteCount = byteCount
        strings = []
    }

    init(strings: [String]) {
        bytes = UnsafeMutableRawPointer.allocate(byteCount: Self.alignment, alignment: Self.alignment)
        byteCount = 0
        self.strings = strings
    }

    deinit { free(bytes) }
}
