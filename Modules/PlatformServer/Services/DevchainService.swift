import EthereumKit
import Logging
import ServiceLifecycle

/// Keeps the devchain child process alive while the server runs and stops it on shutdown.
///
/// The process is started before the server (so `/v1/chain/status` answers from the first
/// request); this service only owns its end of life.
public struct DevchainService: Service {
    public let devchain: DevchainProcess
    let logger: Logger

    public init(devchain: DevchainProcess, logger: Logger) {
        self.devchain = devchain
        self.logger = logger
    }

    public func run() async throws {
        // Wait for graceful shutdown (SIGTERM/SIGINT) or cancellation, then stop the child.
        try? await gracefulShutdown()
        logger.info("stopping devchain", metadata: ["pid": "\(devchain.processID)"])
        await devchain.stop()
    }
}
