import Foundation
import HTTPTypes
import Hummingbird
import ModelRegistry
import NIOCore
import PlatformCore

/// Blobs, uploads and manifests: the byte-moving half of the API.
extension RegistryRoutes {
    /// Bytes per chunk when streaming a blob out (one file mapping each): large enough that a GiB
    /// takes few mappings and writes (server CPU per 1 GiB pull: 0.32-0.42 s with 1 MiB chunks,
    /// 0.22-0.24 s with 4 MiB; larger chunks measured no better), small enough that a mapping is
    /// cheap to set up (its page tables are filled at once, `MAP_POPULATE`).
    static let readChunk = 4 << 20
    /// Bytes per read from a blob store that is not a local file (S3: one ranged GET each, so
    /// larger pieces mean fewer round trips; moto answers each GET in time that grows with the object).
    static let remoteReadChunk = 16 << 20

    // MARK: Blobs

    func getBlob(_ request: Request, _ name: RepositoryName, _ digest: BlobDigest) async throws -> Response {
        let size = try await service.blobSize(name, digest)
        var headers: HTTPFields = [
            .dockerContentDigest: digest.description, .contentType: "application/octet-stream", .acceptRanges: "bytes",
            .eTag: "\"\(digest)\"",
        ]
        var status = HTTPResponse.Status.ok
        var range: Range<Int64>?
        if let header = request.headers[.range] {
            guard let parsed = Self.byteRange(header, size: size) else {
                headers[.contentRange] = "bytes */\(size)"
                return RegistryHTTPError.response(
                    RegistryError(.rangeInvalid, "range \(header.prefix(80)) is not satisfiable for a blob of \(size) bytes"),
                    headers: headers)
            }
            range = parsed
            status = .partialContent
            headers[.contentRange] = "bytes \(parsed.lowerBound)-\(parsed.upperBound - 1)/\(size)"
        }
        let length = range.map { Int64($0.count) } ?? size
        headers[.contentLength] = String(length)
        if request.method == .head {
            return Response(status: status, headers: headers, body: ResponseBody())
        }
        let reader = try await service.openBlob(name, digest, range: range)
        let body = ResponseBody(contentLength: Int(length)) { writer in
            do {
                // A local blob goes out as mapped file pages (one copy, into the socket). Where an
                // offset is not page-aligned (a Range request) or a mapping fails, the bytes up to
                // the next page boundary (or one chunk) are read into a buffer instead.
                var direct = true
                while direct {
                    var mapped: ByteBuffer?
                    var readLimit = Self.readChunk
                    let taken = reader.withNextFileSpan(maxBytes: Self.readChunk) { fd, offset, count in
                        guard let buffer = FileMappedBuffers.buffer(fd: fd, offset: offset, count: count) else {
                            let page = Int64(FileMappedBuffers.pageSize)
                            readLimit = offset % page == 0 ? Self.readChunk : Int(page - offset % page)
                            return 0
                        }
                        mapped = buffer
                        return count
                    }
                    if let mapped, let taken, taken > 0 {
                        try await writer.write(mapped)
                        continue
                    }
                    var buffer = ByteBufferAllocator().buffer(capacity: readLimit)
                    var supported = true
                    let count = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: readLimit) { target in
                        guard let count = try reader.readNext(into: UnsafeMutableRawBufferPointer(rebasing: target.prefix(readLimit))) else {
                            supported = false
                            return 0
                        }
                        return count
                    }
                    if !supported { direct = false } else if count == 0 { break } else { try await writer.write(buffer) }
                }
                if !direct {
                    while let chunk = try await reader.next(maxBytes: Self.remoteReadChunk) {
                        try await writer.write(ByteBuffer(bytes: chunk))
                    }
                }
                await reader.close()
            } catch {
                await reader.close()
                throw error
            }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: headers, body: body)
    }

    /// `bytes=START-END`, `bytes=START-` or `bytes=-SUFFIX` as a half-open range inside `size`.
    static func byteRange(_ header: String, size: Int64) -> Range<Int64>? {
        guard header.hasPrefix("bytes="), !header.contains(",") else { return nil }
        let spec = header.dropFirst("bytes=".count)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        if parts[0].isEmpty {
            guard let suffix = Int64(parts[1]), suffix > 0, size > 0 else { return nil }
            return max(0, size - suffix)..<size
        }
        guard let start = Int64(parts[0]), start >= 0, start < size else { return nil }
        if parts[1].isEmpty { return start..<size }
        guard let end = Int64(parts[1]), end >= start else { return nil }
        return start..<min(end + 1, size)
    }

    // MARK: Uploads

    func startUpload(_ request: Request, _ name: RepositoryName, principal: RegistryPrincipal?) async throws -> Response {
        let query = request.uri.queryParameters
        if let mount = query["mount"] {
            let digest = try Self.digest(String(mount))
            if let from = query["from"], let source = try? RepositoryName(String(from)), service.canPull(principal, source),
                try await service.mountBlob(name, digest, from: source)
            {
                return Response(status: .created, headers: [
                    .location: "/v2/\(name)/blobs/\(digest)", .dockerContentDigest: digest.description, .contentLength: "0",
                ])
            }
        }
        if let digestText = query["digest"] {
            let digest = try Self.digest(String(digestText))
            try await service.pushBlob(name, digest: digest, request.body)
            return Response(status: .created, headers: [
                .location: "/v2/\(name)/blobs/\(digest)", .dockerContentDigest: digest.description, .contentLength: "0",
            ])
        }
        let status = try await service.startUpload(name)
        return Response(status: .accepted, headers: uploadHeaders(status))
    }

    func patchUpload(_ request: Request, _ name: RepositoryName, id: String) async throws -> Response {
        var offset: Int64?
        if let contentRange = request.headers[.contentRange] {
            // `START-END` (what the spec says) or `bytes START-END/TOTAL` (RFC 9110, sent by some clients).
            let text = contentRange.hasPrefix("bytes ") ? String(contentRange.dropFirst(6)) : contentRange
            guard let start = text.split(separator: "-").first.flatMap({ Int64($0) }) else {
                throw RegistryError(.rangeInvalid, "Content-Range \(contentRange.prefix(80)) is not START-END")
            }
            offset = start
        }
        let status = try await service.appendToUpload(name, id: id, request.body, offset: offset)
        return Response(status: .accepted, headers: uploadHeaders(status))
    }

    func finishUpload(_ request: Request, _ name: RepositoryName, id: String) async throws -> Response {
        guard let digestText = request.uri.queryParameters["digest"] else {
            throw RegistryError(.digestInvalid, "closing an upload needs ?digest=sha256:...")
        }
        let digest = try Self.digest(String(digestText))
        try await service.finishUpload(name, id: id, digest: digest, finalChunks: request.body)
        return Response(status: .created, headers: [
            .location: "/v2/\(name)/blobs/\(digest)", .dockerContentDigest: digest.description, .contentLength: "0",
        ])
    }

    func uploadHeaders(_ status: UploadStatus) -> HTTPFields {
        [
            .location: "/v2/\(status.repository)/blobs/uploads/\(status.id)",
            .range: "0-\(max(status.size - 1, 0))",
            .dockerUploadUUID: status.id,
            .contentLength: "0",
        ]
    }

    static func digest(_ text: String) throws -> BlobDigest {
        do {
            return try BlobDigest(parsing: text)
        } catch {
            throw RegistryError(.digestInvalid, "\(error)", detail: String(text.prefix(300)))
        }
    }

    // MARK: Manifests

    func getManifest(_ request: Request, _ name: RepositoryName, _ reference: ManifestReference) async throws -> Response {
        let manifest = try await service.manifest(name, reference: reference)
        let headers: HTTPFields = [
            .contentType: manifest.mediaType, .dockerContentDigest: manifest.digest.description,
            .contentLength: String(manifest.bytes.count), .eTag: "\"\(manifest.digest)\"",
        ]
        if request.method == .head {
            return Response(status: .ok, headers: headers, body: ResponseBody())
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: manifest.bytes)))
    }

    func putManifest(
        _ request: Request, _ name: RepositoryName, _ reference: ManifestReference, actor: String
    ) async throws -> Response {
        let limit = service.limits.maxManifestBytes
        let body = request.body
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: limit)
        } catch {
            throw RegistryError(.tooLarge, "manifest exceeds the limit of \(limit) bytes")
        }
        let stored = try await service.putManifest(
            name, reference: reference, bytes: Array(buffer.readableBytesView), contentType: request.headers[.contentType],
            actor: actor)
        var headers: HTTPFields = [
            .location: "/v2/\(name)/manifests/\(stored.digest)", .dockerContentDigest: stored.digest.description,
            .contentLength: "0",
        ]
        if let subject = stored.subject { headers[.ociSubject] = subject.description }
        return Response(status: .created, headers: headers)
    }
}
