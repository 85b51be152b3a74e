import PlatformCore

/// Identifies the HTTP server in `Server` headers and `/healthz`.
public enum PlatformServerIdentity {
    public static let serverName = "aiplat/\(PlatformVersion.current)"
}
