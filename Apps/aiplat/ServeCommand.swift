import ArgumentParser
import InferenceEngine
import ModelRegistry
import EthereumKit
import Foundation
import Logging
import PlatformCore
import PlatformServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the aiplat HTTP server.",
        discussion: """
            Settings come from defaults < <data-dir>/config.json (or --config) < AIPLAT_* environment < flags; \
            see docs/configuration.md. With --dev the local devchain is started on loopback first and \
            stopped on exit.
            """
    )

    @Option(help: "Address to bind (server.host, default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on; 0 picks a free one (server.port, default 8080).") var port: Int?
    @Option(name: .customLong("data-dir"), help: "Data directory (data_dir, default ~/.aiplat).") var dataDirectory: String?
    @Option(help: "A JSON config file to read instead of <data-dir>/config.json.") var config: String?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.") var logLevel: String?
    @Option(name: .customLong("rpc-url"), help: "Chain JSON-RPC endpoint (chain.rpc_url).") var rpcURL: String?
    @Flag(help: "Start the devchain (a local EVM on loopback) and use it as the chain.") var dev = false
    @Option(help: "Serve the ONNX models in DIR over the Open Inference Protocol (DIR/NAME/1/model.onnx or DIR/NAME.onnx).") var models: String?
    @Flag(help: "Run served models with bit-reproducible kernels.") var deterministic = false
    @Option(
        name: .customLong("model-registry-contract"),
        help: ArgumentHelp(
            "The ModelRegistry contract that infer requests with parameters.require_anchored are checked against (default: AIPLAT_MODEL_REGISTRY_CONTRACT).",
            valueName: "ADDRESS"))
    var modelRegistryContract: String?
    @Option(help: "GEMM threads per inference.") var threads: Int = 1

    func run() async throws {
        var flags: [String: String] = [:]
        flags["server.host"] = host
        flags["server.port"] = port.map(String.init)
        flags["data_dir"] = dataDirectory
        flags["log.level"] = logLevel
        flags["chain.rpc_url"] = rpcURL
        var configuration = try PlatformConfiguration.load(flags: flags, configFile: config)

        _ = LoggingSetup.bootstrap(configuration: configuration)
        let logger = Logger(label: "aiplat.serve")
        let metrics = MetricsSetup.bootstrap()

        let dataDirectory = try DataDirectory(configuration: configuration).create()
        let database = try await SQLDatabaseLocation(configuration: configuration, dataDirectory: dataDirectory)
            .open(logger: logger)
        let registry = try await RegistrySetup.makeService(
            configuration: configuration, dataDirectory: dataDirectory, database: database, logger: logger)

        var devchain: DevchainProcess?
        if dev {
            let started = try await DevchainLauncher.start(configuration.devchain, logger: logger)
            configuration.chain.rpcURL = started.rpcURL
            devchain = started
        }

        let chain = try EthereumClient(url: configuration.chain.rpcURL, logger: logger)
        var repository = ModelRepository()
        if let models {
            repository = try ModelRepository(
                directory: URL(fileURLWithPath: models),
                options: ExecutionOptions(deterministic: deterministic, threads: max(threads, 1)))
            for name in repository.names {
                if let error = repository.entries[name]?.loadError { logger.error("model \(name) failed to load: \(error)") }
                else { logger.info("serving model \(name)") }
            }
        }
        var anchors: ModelAnchorVerifier?
        if let text = modelRegistryContract ?? ProcessInfo.processInfo.environment["AIPLAT_MODEL_REGISTRY_CONTRACT"], !text.isEmpty {
            do {
                anchors = ModelAnchorVerifier(chain: chain, contract: try Address(hex: text))
            } catch {
                throw ValidationError("--model-registry-contract \(text) is not an address: \(error)")
            }
        }
        let application = PlatformApplication(
            host: configuration.server.host,
            port: configuration.server.port,
            dependencies: .init(metrics: metrics, chain: chain, models: repository, registry: registry, anchors: anchors),
            logger: logger
        )
        let host = configuration.server.host
        try await application.run(devchain: devchain) { port in
            // One machine-readable line on stdout for scripts and end-to-end tests (port 0 -> the real one);
            // written unbuffered so a pipe sees it at once.
            FileHandle.standardOutput.write(Data("aiplat serving on http://\(host):\(port)\n".utf8))
        }
        try await database.close()
    }
}
