/// How log lines are written to stderr.
public enum LogFormat: String, Sendable, CaseIterable, Hashable {
    /// `timestamp level label: message key=value ...`, for people.
    case text
    /// One JSON object per line, for log shippers.
    case json
}
