import Foundation
import PlatformCore

/// Timestamps as the registry stores them: RFC 3339 UTC with milliseconds, which sort as text.
enum RegistryClock {
    static func timestamp(_ date: Date = Date()) -> String {
        LogTimestamp.format(secondsSince1970: date.timeIntervalSince1970)
    }
}
