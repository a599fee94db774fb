import Domain
import Fluent
import Foundation
import Interop
import Persistence
import Vapor
import Views

/// Admin boundaries of an operation: list, and import from OCHA COD-AB GeoJSON.
struct BoundaryController {
    func index(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        return try await render(req, context, report: nil, error: nil)
    }

    func upload(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        try context.requireManage()
        do {
            return try await StreamedUpload.with(
                req, maxBytes: req.application.bearingConfig.maxUploadBytes + 1_000_000
            ) { upload in
                try await importBoundaries(upload, context, req)
            }
        } catch let error as Abort where error.status == .unsupportedMediaType {
            return try await render(req, context, report: nil, error: req.t("boundaries.no_file"), status: .badRequest)
        } catch let error as Abort where error.status == .payloadTooLarge {
            let limit = max(1, (req.application.bearingConfig.maxUploadBytes + 524_288) / 1_048_576)
            return try await render(
                req, context, report: nil,
                error: req.t("error.too_large_limit").replacingOccurrences(of: "{mb}", with: String(limit)),
                status: .payloadTooLarge)
        }
    }

    func importBoundaries(_ upload: StreamedUpload, _ context: OperationContext, _ req: Request) async throws
        -> Response
    {
        guard let file = upload.file, file.size > 0 else {
            return try await render(
                req, context, report: nil, error: req.t("boundaries.no_file"), status: .unprocessableEntity)
        }
        // Empty: detected from the file. Anything else must be a level, never silently ignored.
        let levelText = (upload.fields["level"] ?? "").trimmingCharacters(in: .whitespaces)
        let level = WholeNumber.parse(levelText)
        if !levelText.isEmpty && !(level.map { (0...4).contains($0) } ?? false) {
            return try await render(
                req, context, report: nil, error: req.t("boundaries.bad_level"), status: .unprocessableEntity)
        }
        do {
            // GeoJSON is read whole by its parser; the upload itself went to disk as it came.
            let outcome = try await BoundaryImportService(database: req.db).importFile(
                try Data(contentsOf: file.url), level: level, into: context.operation, actorID: context.current.user.id,
                viewer: context.scope, maxBytes: req.application.bearingConfig.maxUploadBytes, now: req.now)
            let report = BoundariesPage.Report(
                imported: outcome.imported, fileName: file.filename,
                levels: outcome.report.featuresPerLevel.sorted { $0.key < $1.key }.map {
                    (level: $0.key, count: $0.value)
                },
                problems: outcome.report.problems.map(\.description),
                inserted: outcome.stored?.inserted ?? 0, updated: outcome.stored?.updated ?? 0,
                relocated: outcome.sitesRelocated, incidentsPlaced: outcome.incidentsPlaced)
            // The operation's boundary version changed: reload it so counts and maps are fresh.
            let fresh = try await OperationContext.load(req)
            return try await render(
                req, fresh, report: report, error: nil, status: outcome.imported ? .ok : .unprocessableEntity)
        } catch let error as DomainError {
            return try await render(
                req, context, report: nil, error: "\(file.filename): \(error.message)", status: .unprocessableEntity)
        }
    }

    func render(
        _ req: Request, _ context: OperationContext, report: BoundariesPage.Report?, error: String?,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let store = AreaStore(req.db)
        let counts = try await store.countsByLevel(operationID: context.operation.id).sorted { $0.key < $1.key }
            .map { (level: $0.key, count: $0.value) }
        let page = try req.paging(perPage: 100)
        let areas = try await store.list(operationID: context.operation.id, page: page)
        let model = BoundariesPage.Model(
            code: context.operation.code, counts: counts,
            areas: areas.items.map {
                .init(
                    level: $0.level, pcode: $0.pcode, parent: $0.parentPcode, name: $0.name,
                    nameAr: $0.name(in: "ar") == $0.name ? nil : $0.name(in: "ar"))
            },
            paging: PagePosition(page: areas.page, pageCount: areas.pageCount, total: areas.total),
            canManage: context.canManage,
            report: report, error: error, maxMB: req.application.bearingConfig.maxUploadBytes / 1_048_576)
        return Page.render(req, title: req.t("boundaries.title"), status: status) { BoundariesPage.view(model, $0) }
    }
}
