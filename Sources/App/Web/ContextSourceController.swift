import Domain
import Foundation
import Interop
import Persistence
import Vapor
import Views

/// Published incidents of an operation (AWSD, SiND, ACLED, generic HXL): what is imported, and
/// an upload that reconciles a newer export with the last one and reports every rejected row.
struct ContextSourceController {
    struct UploadForm: Content {
        var format: String?; var allCountries: String?
        enum CodingKeys: String, CodingKey { case format, allCountries = "all_countries" }
    }

    func index(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        _ = try context.requireScope()
        return try await render(req, context, report: nil, error: nil)
    }

    func upload(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        _ = try context.requireScope()
        guard AccessPolicy.canImportContextEvents(in: context.operation.id, by: context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        do {
            return try await StreamedUpload.with(
                req, maxBytes: req.application.bearingConfig.maxUploadBytes + 1_000_000
            ) { upload in
                let form = try upload.decode(UploadForm.self)
                guard let file = upload.file, file.size > 0 else {
                    return try await render(
                        req, context, report: nil, error: req.t("boundaries.no_file"), status: .unprocessableEntity)
                }
                guard let format = form.format.flatMap(ContextImportService.Format.init(rawValue:)) else {
                    return try await render(
                        req, context, report: nil, error: req.t("sources.choose_format"), status: .unprocessableEntity)
                }
                do {
                    let report = try await ContextImportService(database: req.db, areaShapes: req.areaShapes)
                        .importFile(
                            file.url, format: format, sourceName: file.filename, into: context.operation,
                            allCountries: form.allCountries != nil,
                            actorID: context.current.user.id, now: req.now)
                    return try await render(
                        req, context, report: ["\(file.filename): " + report.lines[0]] + report.lines.dropFirst(),
                        error: nil)
                } catch let error as SourceFileError {
                    return try await render(
                        req, context, report: nil,
                        error: "\(file.filename): \(error.message) \(req.t("sources.nothing_imported"))",
                        status: .unprocessableEntity)
                }
            }
        } catch let error as Abort where error.status == .unsupportedMediaType {
            return try await render(req, context, report: nil, error: req.t("boundaries.no_file"), status: .badRequest)
        }
    }

    func render(
        _ req: Request, _ context: OperationContext, report: [String]?, error: String?, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let store = ContextEventStore(req.db)
        var sources: [ContextSourcesPage.Model.Source] = []
        for name in try await store.sources(operationID: context.operation.id) {
            let counts = try await store.counts(source: .init(rawValue: name), operationID: context.operation.id)
            sources.append(.init(name: name, total: counts.total, missing: counts.missing))
        }
        let model = ContextSourcesPage.Model(
            code: context.operation.code, sources: sources,
            formats: ContextImportService.Format.allCases.map(\.rawValue),
            canImport: AccessPolicy.canImportContextEvents(in: context.operation.id, by: context.viewer),
            report: report, error: error, maxMB: req.application.bearingConfig.maxUploadBytes / 1_048_576)
        return Page.render(req, title: req.t("sources.title"), status: status) { ContextSourcesPage.view(model, $0) }
    }
}
