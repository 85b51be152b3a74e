/// The convention every aiplat error follows, so the CLI, the HTTP edge and logs can treat errors
/// from any module the same way.
///
/// - ``errorCode`` is a stable, machine-readable identifier (`"config.invalid_value"`,
///   `"database.constraint"`): safe to match on, to put in a JSON error body or a metric label.
/// - ``message`` is one readable line naming what was wrong, e.g.
///   `invalid value "abc" for server.port from env AIPLAT_SERVER_PORT: expected integer in 0...65535`.
/// - ``cause`` optionally keeps the lower-level error this one wraps, so nothing is lost.
///
/// Conformers get a default `description` (message, then the cause), which is what the CLI prints.
/// Mapping to HTTP statuses or exit codes happens at the edge, never here.
public protocol PlatformError: Error, CustomStringConvertible {
    /// A stable identifier of the kind of failure, `<area>.<snake_case_kind>`.
    var errorCode: String { get }
    /// One line for a human, naming the offending input and what was expected.
    var message: String { get }
    /// The lower-level error this one wraps, if any.
    var cause: (any Error)? { get }
}

extension PlatformError {
    public var cause: (any Error)? { nil }

    public var description: String {
        guard let cause else { return message }
        return "\(message): \(cause)"
    }
}
