#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Linux calls that glibc declares only under `_GNU_SOURCE`, which the Swift Glibc module does
/// not define: looked up once with `dlsym`. Each is nil where the C library lacks it, and callers
/// then take their portable path.
public enum LinuxFileCalls {
    /// `sync_file_range(fd, offset, count, flags)`.
    public typealias SyncFileRange = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32
    /// `copy_file_range(fd_in, off_in, fd_out, off_out, len, flags)`.
    public typealias CopyFileRange = @convention(c) (
        Int32, UnsafeMutablePointer<Int64>?, Int32, UnsafeMutablePointer<Int64>?, Int, UInt32
    ) -> Int

    /// `SYNC_FILE_RANGE_WRITE`: start writeback of dirty pages in the range, without waiting.
    public static let syncFileRangeWrite: UInt32 = 2

    /// `O_DIRECT` (its value differs between architectures; nil off Linux).
    public static let openDirect: Int32? = {
        #if os(Linux) && (arch(arm64) || arch(arm))
        return 0o200000
        #elseif os(Linux)
        return 0o40000
        #else
        return nil
        #endif
    }()

    public static let syncFileRange: SyncFileRange? = lookup("sync_file_range")
    public static let copyFileRange: CopyFileRange? = lookup("copy_file_range")

    private static func lookup<F>(_ name: String) -> F? {
        #if os(Linux)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: F.self)
        #else
        return nil
        #endif
    }
}
