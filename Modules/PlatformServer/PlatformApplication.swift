import EthereumKit
import Hummingbird
import InferenceEngine
import Logging
import ModelRegistry
import NIOCore
import PlatformCore
import ServiceLifecycle

/// What `aiplat serve` runs: the router with every layer's routes, and the services beside it.
///
/// Wiring only: each route group forwards to a layer's library type.
public struct PlatformApplication: Sendable {
    /// What the routes need from the layers below.
    public struct Dependencies: Sendable {
        public var metrics: MetricsSetup
        public var chain: EthereumClient
        /// Models served over the Open Inference Protocol (`aiplat serve --models DIR`).
        public var models: ModelRepository
        /// The model registry behind `/v2/`; nil serves no registry routes.
        public var registry: RegistryService?
        /// Checks model digests against the ModelRegistry contract for infer requests with
        /// `parameters.require_anchored`; nil refuses such requests (no contract configured).
        public var anchors: ModelAnchorVerifier?
        public init(
            metrics: MetricsSetup, chain: EthereumClient, models: ModelRepository = ModelRepository(),
            registry: RegistryService? = nil, anchors: ModelAnchorVerifier? = nil
        ) {
            self.metrics = metrics
            self.chain = chain
            self.models = models
            self.registry = registry
            self.anchors = anchors
        }
    }

    public var host: String
    public var port: Int
    public var dependencies: Dependencies
    public var logger: Logger

    public init(host: String, port: Int, dependencies: Dependencies, logger: Logger) {
        self.host = host
        self.port = port
        self.dependencies = dependencies
        self.logger = logger
    }

    /// The router with every route group; exposed so tests drive it without a socket.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: JSONErrorMiddleware())
        router.add(middleware: RequestMetricsMiddleware(metrics: dependencies.metrics))
        HealthRoutes().register(on: router)
        MetricsRoutes(metrics: dependencies.metrics).register(on: router)
        ChainRoutes(chain: dependencies.chain).register(on: router)
        InferenceRoutes(models: dependencies.models, anchors: dependencies.anchors).register(on: router)
        if let registry = dependencies.registry { RegistryRoutes(service: registry).register(on: router) }
        return router
    }

    /// Serves until SIGTERM/SIGINT, then shuts down gracefully: the HTTP server first, then `devchain`
    /// when one was started for this server (`aiplat serve --dev`).
    ///
    /// - Parameter onListening: called once the socket is bound, with the real port (port 0 picks one).
    public func run(
        devchain: DevchainProcess? = nil,
        onListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) async throws {
        let services: [any Service] = devchain.map { [DevchainService(devchain: $0, logger: logger)] } ?? []
        let configuredPort = port
        let app = makeApplication(services: services) { channel in
            await onListening(channel.localAddress?.port ?? configuredPort)
        }
        try await app.runService()
    }

    /// The Hummingbird application; `services` run beside the HTTP server and stop after it.
    public func makeApplication(
        services: [any Service] = [],
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: makeRouter(),
            configuration: .init(
                address: .hostname(host, port: port),
                serverName: PlatformServerIdentity.serverName
            ),
            services: services,
            onServerRunning: onServerRunning,
            logger: logger
        )
    }
}
