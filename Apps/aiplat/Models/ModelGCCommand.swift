import ArgumentParser
import ModelRegistry

/// `aiplat models gc`: the registry's mark and sweep, run offline against its data directory.
/// The commit lock that keeps a sweep from racing an upload lives in the server process, so beside a
/// running server only the grace period protects a push in flight: stop the server or keep `--grace`
/// longer than any push takes.
struct ModelGCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc", abstract: "Delete blobs no manifest references, from the registry's data directory (offline).")

    @OptionGroup var data: RegistryDataOptions
    @Option(help: "Keep links younger than this many seconds.") var grace: Double = 3600
    @Option(help: "Expire upload sessions idle for this many seconds.") var uploadExpiry: Double = 86400
    @Flag(help: "Report what would go, change nothing.") var dryRun = false

    func run() async throws {
        let report = try await data.withService {
            try await $0.garbageCollect(gracePeriod: grace, uploadExpiry: uploadExpiry, dryRun: dryRun)
        }
        for digest in report.deletedBlobs { print("\(dryRun ? "would delete" : "deleted") \(digest)") }
        print("\(report.deletedBlobs.count) blobs, \(report.freedBytes) bytes\(dryRun ? " would be" : "") freed; \(report.unlinked) links dropped; \(report.expiredUploads.count) uploads expired")
    }
}
