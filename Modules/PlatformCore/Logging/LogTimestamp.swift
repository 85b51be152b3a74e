import Foundation

/// RFC 3339 UTC timestamps with milliseconds (`2025-01-31T08:05:09.042Z`), computed with integer
/// arithmetic: no formatter allocation and no locale or time-zone lookups on the logging path.
/// Public because stored timestamps (tag history, API keys) use the same format: it sorts as text.
public enum LogTimestamp {
    /// The current time.
    public static func now() -> String {
        format(secondsSince1970: Date.now.timeIntervalSince1970)
    }

    /// The time `seconds` after the Unix epoch.
    public static func format(secondsSince1970 seconds: Double) -> String {
        let totalMilliseconds = Int64((seconds * 1000).rounded())
        let milliseconds = Int(totalMilliseconds.modulo(1000))
        let totalSeconds = totalMilliseconds.floorDivided(by: 1000)
        let days = totalSeconds.floorDivided(by: 86400)
        let secondOfDay = Int(totalSeconds - days * 86400)
        let (year, month, day) = civilDate(daysSince1970: days)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(milliseconds, 3))Z"
    }

    /// Howard Hinnant's `civil_from_days`: proleptic Gregorian date of a day count since 1970-01-01.
    static func civilDate(daysSince1970: Int64) -> (year: Int, month: Int, day: Int) {
        let z = daysSince1970 + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    fileprivate func modulo(_ divisor: Int64) -> Int64 {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
