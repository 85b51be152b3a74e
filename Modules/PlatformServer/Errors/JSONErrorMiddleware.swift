import Hummingbird
import Logging

/// Turns every error that reaches the edge into a JSON body: Hummingbird's own `HTTPError`s
/// (404 for unknown routes, 400 for undecodable bodies) keep their status, anything else is a 500
/// whose details go to the log, not to the caller.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            let type = error.status.code < 500 ? "invalid_request_error" : "server_error"
            let message = error.body ?? (error.status == .notFound
                ? "no route for \(request.method) \(request.uri.path)" : error.status.reasonPhrase)
            throw APIError(status: error.status, type: type, code: "http_\(error.status.code)", message: message)
        } catch let error as any HTTPResponseError {
            // Route groups with a protocol-defined error shape (OIP v2, OCI distribution) render their own.
            throw error
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            throw APIError(status: .internalServerError, type: "server_error", code: "internal_error",
                           message: "internal error while handling \(request.method) \(request.uri.path)")
        }
    }
}
