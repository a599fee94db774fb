import Vapor

/// Streamed answers (the exports, the OpenAPI document) are sent uncompressed: NIO's response
/// compressor ends Vapor's streamed bodies early (a gzip-encoded CSV export arrived cut off,
/// `IncompleteRead`, in the browser test and by hand). Pages and assets, sent whole, stay compressed.
struct StreamedResponsesMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        if response.body.buffer == nil, response.body.count != 0 {
            response.headers.responseCompression = .disable
        }
        return response
    }
}
