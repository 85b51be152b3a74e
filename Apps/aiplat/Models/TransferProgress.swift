import Foundation
import Synchronization

/// Transfer progress on stderr: a live line with bytes/s and ETA when stderr is a terminal,
/// otherwise only the final summary line.
final class TransferProgress: Sendable {
    struct State {
        var done: Int64 = 0
        var lastDraw = ContinuousClock.now - .seconds(1)
    }

    let label: String
    let total: Int64
    /// Bytes already in place before this run (resumed), so the rate counts only what moved.
    let start: Int64
    let started = ContinuousClock.now
    let live = isatty(STDERR_FILENO) == 1
    let state = Mutex(State())

    init(label: String, total: Int64, start: Int64 = 0) {
        self.label = label
        self.total = total
        self.start = start
    }

    static func bytes(_ count: Int64) -> String {
        ByteCountFormatter.string(fromByteCount: count, countStyle: .binary)
    }

    var elapsedSeconds: Double {
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// `done`: bytes in place so far (resumed bytes included).
    func update(_ done: Int64) {
        guard live else { return }
        let line: String? = state.withLock { state in
            state.done = done
            let now = ContinuousClock.now
            guard now - state.lastDraw > .milliseconds(200) || done >= total else { return nil }
            state.lastDraw = now
            let rate = Double(done - start) / max(elapsedSeconds, 0.001)
            let eta = rate > 0 ? Int(Double(total - done) / rate) : 0
            return "\r\(label) \(Self.bytes(done))/\(Self.bytes(total)) \(Self.bytes(Int64(rate)))/s ETA \(eta)s\u{1B}[K"
        }
        if let line { FileHandle.standardError.write(Data(line.utf8)) }
    }

    /// The summary line: what moved, how fast.
    func finish(_ verb: String, moved: Int64) {
        let seconds = elapsedSeconds
        let rate = Double(moved) / max(seconds, 0.001)
        let resumed = start > 0 ? ", resumed at \(start)" : ""
        let line = "\(live ? "\r\u{1B}[K" : "")\(verb) \(label): \(moved) bytes moved of \(total)\(resumed) in \(String(format: "%.2f", seconds))s (\(Self.bytes(Int64(rate)))/s)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
