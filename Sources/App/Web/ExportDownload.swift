import Domain
import Foundation
import Interop
import Persistence
import Vapor

/// The answer of every export route: a streamed attachment named after the operation, what it
/// holds and the day, never cached. `produce` hands the text over a piece at a time; an error
/// after the first bytes ends the stream with that error rather than a truncated file that looks whole.
enum ExportDownload {
    static func response(
        format: IncidentExchange.Format, operation: OperationRecord, holding what: String, on day: Date,
        _ produce: @escaping @Sendable (_ emit: (String) async throws -> Void) async throws -> Void
    ) -> Response {
        let response = Response(
            status: .ok,
            body: .init(asyncStream: { writer in
                do {
                    try await produce { try await writer.write(.buffer(ByteBuffer(string: $0))) }
                    try await writer.write(.end)
                } catch {
                    try? await writer.write(.error(error))
                }
            }))
        response.headers.replaceOrAdd(name: .contentType, value: format.contentType)
        response.headers.replaceOrAdd(
            name: .contentDisposition,
            value: "attachment; filename=\"\(operation.code)-\(what)-\(DateText.day(day)).\(format.fileExtension)\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
