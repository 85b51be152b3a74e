/// The version of the aiplat platform, reported by `aiplat --version`, `/healthz` and `web3_clientVersion`-style probes.
public enum PlatformVersion {
    public static let current = "0.1.0"
}
