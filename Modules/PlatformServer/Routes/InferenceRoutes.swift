import Foundation
import Hummingbird
import InferenceEngine
import ModelRegistry
import PlatformCore
import NIOCore
import NIOPosix

/// Open Inference Protocol v2 (KServe/Triton) over the models of `aiplat serve --models DIR`:
/// `GET /v2/health/live|ready`, `GET /v2/models/{name}[/ready]`, `POST /v2/models/{name}/infer`.
/// Runs each inference on NIO's blocking thread pool so the event loops keep serving.
/// A request with `parameters.require_anchored: true` is served only when the model's digest is
/// anchored in the ModelRegistry contract (403 naming the digest otherwise).
struct InferenceRoutes {
    let models: ModelRepository
    var anchors: ModelAnchorVerifier? = nil
    /// Largest request body accepted (JSON tensors are verbose; 64 MiB covers batch-32 images).
    static let maxBodyBytes = 64 << 20

    /// OIP v2 errors are `{"error": "<message>"}`.
    struct OIPError: HTTPResponseError {
        let status: HTTPResponse.Status
        let message: String

        func response(from request: Request, context: some RequestContext) throws -> Response {
            try InferenceRoutes.json(["error": message], status: status)
        }
    }

    static func json(_ object: Any, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    func entry(_ context: some RequestContext) throws -> ModelRepository.Entry {
        let name = context.parameters.get("name") ?? ""
        guard let entry = models.entries[name] else {
            throw OIPError(status: .notFound, message: "model \"\(name)\" not found; served models: \(models.names.joined(separator: ", "))")
        }
        return entry
    }

    /// Refuses (403, the digest named) a model whose digest is not anchored; 503 when the chain
    /// cannot be asked or no contract is configured, 422 when the model has no digest.
    func requireAnchored(_ entry: ModelRepository.Entry) async throws {
        guard let anchors else {
            throw OIPError(
                status: .serviceUnavailable,
                message: "\(ModelRepository.requireAnchoredParameter) needs a ModelRegistry contract: start aiplat serve with --model-registry-contract or AIPLAT_MODEL_REGISTRY_CONTRACT")
        }
        guard let text = entry.modelDigest, let digest = try? BlobDigest(parsing: text) else {
            throw OIPError(status: .unprocessableContent, message: "model \(entry.name) has no digest to check")
        }
        do {
            try await anchors.requireAnchored(digest)
        } catch let error as ModelAnchorError {
            throw OIPError(status: error.code == .notAnchored ? .forbidden : .serviceUnavailable, message: "model \(entry.name): \(error.message)")
        }
    }

    func register(on router: Router<some RequestContext>) {
        let models = self.models
        router.get("/v2/health/live") { _, _ in try Self.json(["live": true]) }
        router.get("/v2/health/ready") { _, _ in
            try Self.json(["ready": models.isReady], status: models.isReady ? .ok : .serviceUnavailable)
        }
        router.get("/v2/models/{name}") { _, context in try Self.json(ModelRepository.metadata(self.entry(context))) }
        router.get("/v2/models/{name}/ready") { _, context in
            let entry = try self.entry(context)
            return try Self.json(["name": entry.name, "ready": entry.session != nil], status: entry.session != nil ? .ok : .serviceUnavailable)
        }
        router.post("/v2/models/{name}/infer") { request, context in
            let entry = try self.entry(context)
            let body: ByteBuffer
            do { body = try await request.body.collect(upTo: Self.maxBodyBytes) } catch {
                throw OIPError(status: .contentTooLarge, message: "request body exceeds \(Self.maxBodyBytes) bytes")
            }
            let bytes = Data(body.readableBytesView)
            if ModelRepository.requestRequiresAnchor(bytes) { try await self.requireAnchored(entry) }
            do {
                // Parse, run and encode off the event loop; only Sendable bytes cross over.
                let data = try await NIOThreadPool.singleton.runIfActive { () throws -> Data in
                    let parsed: Any
                    do { parsed = try JSONSerialization.jsonObject(with: bytes) } catch {
                        throw OIPError(status: .badRequest, message: "request body is not valid JSON")
                    }
                    let response = try ModelRepository.infer(entry, request: parsed)
                    return try JSONSerialization.data(withJSONObject: response, options: [.sortedKeys, .withoutEscapingSlashes])
                }
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
            } catch let error as ONNXError {
                switch error.kind {
                case .invalidInput, .executionFailed: throw OIPError(status: .badRequest, message: error.message)
                case .unsupported, .invalidModel: throw OIPError(status: .unprocessableContent, message: error.message)
                }
            }
        }
    }
}
