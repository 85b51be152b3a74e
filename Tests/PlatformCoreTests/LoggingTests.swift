import Foundation
import Logging
import Synchronization
import Testing

@testable import PlatformCore

/// Collects written lines in memory.
final class CapturedOutput: Sendable {
    private let storage = Mutex<[String]>([])
    var lines: [String] { storage.withLock { $0 } }
    var output: LogOutput { LogOutput { line in self.storage.withLock { $0.append(line) } } }
}

struct SampleError: Error, CustomStringConvertible {
    var description: String { "disk on fire" }
}

@Suite struct LoggingTests {
    static func logger(_ format: LogFormat, level: Logger.Level = .info, capture: CapturedOutput) -> Logger {
        Logger(label: "aiplat.test") {
            LoggingSetup.makeHandler(label: $0, level: level, format: format, output: capture.output)
        }
    }

    @Test func textLinesCarryTimestampLevelLabelMessageAndSortedMetadata() throws {
        let capture = CapturedOutput()
        var logger = Self.logger(.text, capture: capture)
        logger[metadataKey: "component"] = "server"
        logger.info("listening", metadata: ["port": "8080", "host": "127.0.0.1", "note": "two words"])
        let line = try #require(capture.lines.first)
        let pattern = #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z info aiplat\.test: listening component=server host=127\.0\.0\.1 note="two words" port=8080\n$/#
        #expect(line.wholeMatch(of: pattern) != nil, "\(line)")
    }

    @Test func messagesBelowTheLevelAreDropped() {
        let capture = CapturedOutput()
        let logger = Self.logger(.text, level: .warning, capture: capture)
        logger.info("quiet")
        logger.debug("quieter")
        logger.warning("loud")
        #expect(capture.lines.count == 1)
        #expect(capture.lines.first?.contains("warning aiplat.test: loud") == true)
    }

    @Test func aMultiLineMessageStaysOnOneTextLine() {
        let capture = CapturedOutput()
        Self.logger(.text, capture: capture).error("first\nsecond")
        #expect(capture.lines.count == 1)
        #expect(capture.lines[0].hasSuffix("first\\nsecond\n"))
    }

    @Test func jsonLinesParseAndCarryEveryField() throws {
        let capture = CapturedOutput()
        var logger = Self.logger(.json, level: .debug, capture: capture)
        logger[metadataKey: "request"] = "r-1"
        logger.debug(
            "tab\there \"quoted\" \u{1} ünïcode",
            metadata: ["nested": ["a": "1", "list": ["x", "y"]], "count": "\(3)"])
        let line = try #require(capture.lines.first)
        #expect(line.hasSuffix("}\n") && line.filter { $0 == "\n" }.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "debug")
        #expect(object["label"] as? String == "aiplat.test")
        #expect(object["message"] as? String == "tab\there \"quoted\" \u{1} ünïcode")
        let timestamp = try #require(object["timestamp"] as? String)
        #expect(ISO8601DateFormatter.withFractionalSeconds.date(from: timestamp) != nil)
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["request"] as? String == "r-1")
        #expect(metadata["count"] as? String == "3")
        let nested = try #require(metadata["nested"] as? [String: Any])
        #expect(nested["list"] as? [String] == ["x", "y"])
    }

    @Test func anAttachedErrorIsLoggedInBothFormats() throws {
        let text = CapturedOutput()
        Self.logger(.text, capture: text).error("write failed", error: SampleError())
        #expect(text.lines.first?.contains(#"error="disk on fire""#) == true)

        let json = CapturedOutput()
        Self.logger(.json, capture: json).error("write failed", error: SampleError())
        let line = try #require(json.lines.first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["error"] as? String == "disk on fire")
    }

    @Test func callMetadataOverridesProviderMetadataWhichOverridesHandlerMetadata() {
        let capture = CapturedOutput()
        let provider = Logger.MetadataProvider { ["trace": "from-provider", "shared": "provider"] }
        var logger = Logger(label: "aiplat.test") {
            LoggingSetup.makeHandler(label: $0, level: .info, format: .text, output: capture.output, metadataProvider: provider)
        }
        logger[metadataKey: "shared"] = "handler"
        logger[metadataKey: "own"] = "handler"
        logger.info("m", metadata: ["trace": "from-call"])
        let line = capture.lines.first ?? ""
        #expect(line.contains("own=handler shared=provider trace=from-call"), "\(line)")
    }

    /// Independent reference: Foundation's ISO 8601 formatter, over dates from 1900 to 2200.
    @Test func timestampsMatchFoundationsISO8601Formatter() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let milliseconds = Int64.random(in: -2_208_988_800_000...7_258_118_400_000, using: &generator)
            let seconds = Double(milliseconds) / 1000
            let expected = ISO8601DateFormatter.withFractionalSeconds.string(
                from: Date(timeIntervalSince1970: seconds))
            #expect(LogTimestamp.format(secondsSince1970: seconds) == expected, "\(milliseconds)")
        }
        #expect(LogTimestamp.format(secondsSince1970: 0) == "1970-01-01T00:00:00.000Z")
        #expect(LogTimestamp.format(secondsSince1970: 951_782_400.5) == "2000-02-29T00:00:00.500Z")
    }

    @Test func bootstrapInstallsTheHandlerOnceAndLaterCallsAreIgnored() {
        let capture = CapturedOutput()
        // Process-wide: the first bootstrap in this test process wins; other tests use explicit handlers.
        let first = LoggingSetup.bootstrap(level: .trace, format: .json, output: capture.output)
        let second = LoggingSetup.bootstrap(level: .critical, format: .text)
        #expect(second == false)
        if first {
            Logger(label: "aiplat.bootstrap-test").trace("via the global bootstrap")
            #expect(capture.lines.contains { $0.contains("via the global bootstrap") && $0.hasPrefix("{") })
        }
    }
}

extension ISO8601DateFormatter {
    static var withFractionalSeconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
