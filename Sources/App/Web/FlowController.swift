import Domain
import Foundation
import Interop
import Persistence
import Vapor
import Views

/// Flow monitoring: the points (sites described as such), the tallies recorded there, and the
/// phone-first form an enumerator fills in for a point's count of a day or a few hours.
struct FlowController {
    // MARK: List

    func index(_ req: Request) async throws -> Response { try await render(req, report: []) }

    /// The tallies page; after an import, with its report (shown in the answer to the upload, not
    /// kept in the session that every request reads) and the points the import read already.
    func render(_ req: Request, report: [String], points known: [FlowPoint]? = nil) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        let store = FlowStore(req.db)
        let points: [FlowPoint]
        if let known { points = known } else { points = try await store.points(in: scope) }
        let pointFilter = (try? req.query.get(String.self, at: "point")).flatMap(UUID.init(uuidString:)).map(
            SiteID.init(rawValue:))
        let paging = try req.paging(perPage: 50)
        let result = try await store.observations(in: scope, point: pointFilter, page: paging)
        let names = Dictionary(uniqueKeysWithValues: points.map { ($0.site.id, $0.site.name) })
        let model = FlowList.Model(
            code: context.operation.code,
            points: points.map { .init(id: $0.site.id, name: $0.site.name, profile: $0.profile) },
            tallies: result.items.map { record in
                let d = record.draft
                return .init(
                    windowStart: d.windowStart, point: names[d.pointID] ?? "—", direction: d.direction, total: d.total,
                    nationality: d.nationality,
                    origin: [d.originCountry, d.originArea].compactMap { $0 }.joined(separator: " · ").nilIfEmpty,
                    destination: d.finalDestination ?? d.nextDestination, vulnerable: d.vulnerable.values.reduce(0, +))
            },
            point: pointFilter, page: paging.page, hasMore: result.total > paging.offset + paging.perPage,
            canRecord: AccessPolicy.canRecordFlows(in: context.operation.id, by: context.viewer)
                && !points.isEmpty,
            canDescribe: AccessPolicy.canDescribeFlowPoints(in: context.operation.id, by: context.viewer),
            report: report)
        return Page.render(req, title: req.t("flows.title")) { FlowList.view(model, $0) }
    }

    // MARK: The tally form

    /// The form as posted, named as the form names its fields; `input` is what the one decoder reads.
    struct Submitted: Content {
        var point: String?; var date: String?; var from: String?; var to: String?; var direction: String?;
        var total: String?
        var bins: [String: String]?; var nationality: String?; var originCountry: String?; var originArea: String?;
        var lastTransit: String?
        var nextDestination: String?; var finalDestination: String?; var transport: String?;
        var vulnerable: [String: String]?
        var reasons: [String]?; var notes: String?
        /// Ticked when the form warned of an identical tally and the enumerator saves it anyway.
        var confirmDuplicate: String?
        enum CodingKeys: String, CodingKey {
            case point, date, from, to, direction, total, bins, nationality, transport, vulnerable, reasons, notes
            case confirmDuplicate = "confirm_duplicate"
            case originCountry = "origin_country", originArea = "origin_area", lastTransit = "last_transit"
            case nextDestination = "next_destination", finalDestination = "final_destination"
        }

        /// The day and its two times as the window: the start "day from" (from midnight without a
        /// time), the end a time of day, which the decoder moves to the next day when it is at or
        /// before the start (a night shift, 18:00–06:00). Without a "to" field, the day's last
        /// minute; with it left empty, the midnight that ends the day (as the form always read).
        var input: FlowTallyInput {
            var input = FlowTallyInput()
            input.point = point ?? ""
            let day = (date ?? "").trimmingCharacters(in: .whitespaces)
            let start = (from ?? "00:00").trimmingCharacters(in: .whitespaces)
            input.windowStart = (day + " " + start).trimmingCharacters(in: .whitespaces)
            let end = (to ?? "23:59").trimmingCharacters(in: .whitespaces)
            input.windowEnd = end.isEmpty ? "00:00" : end
            input.direction = direction ?? ""
            input.total = total ?? ""
            input.bins = bins ?? [:]
            input.nationality = nationality ?? ""
            input.originCountry = originCountry ?? ""
            input.originArea = originArea ?? ""
            input.lastTransit = lastTransit ?? ""
            input.nextDestination = nextDestination ?? ""
            input.finalDestination = finalDestination ?? ""
            input.transport = transport ?? ""
            input.vulnerable = vulnerable ?? [:]
            input.reasons = reasons ?? []
            input.notes = notes ?? ""
            return input
        }
    }

    func new(_ req: Request) async throws -> Response {
        let context = try await Self.requireRecorder(req)
        var values = TallyForm.Values()
        values.point = (try? req.query.get(String.self, at: "point")) ?? ""
        // Today's day shift on the operation's clock, or yesterday's before today's has begun (it
        // would be in the future).
        let clock = context.operation.time
        let hour = Int(clock.formTime(req.now).dropFirst(11).prefix(2)) ?? 0
        values.date = clock.day(hour < 6 ? req.now.addingTimeInterval(-86_400) : req.now)
        values.from = "06:00"
        values.to = "18:00"
        let scope = try context.requireScope()
        let points = try await FlowStore(req.db).points(in: scope)
        // The direction last used, else the one the point sees (if it sees one), else incoming.
        if values.point.isEmpty, let first = points.first { values.point = first.site.id.uuidString }
        let point = points.first { $0.site.id.uuidString == values.point }
        let pointDirection = point?.profile?.movements.count == 1 ? point?.profile?.movements.first : nil
        values.direction =
            ((try? req.query.get(String.self, at: "direction")).flatMap(FlowDirection.init(rawValue:))
            ?? pointDirection ?? .incoming).rawValue
        var saved: TallyForm.Model.Saved?
        if let id = (try? req.query.get(String.self, at: "saved")).flatMap(UUID.init(uuidString:)),
            let tally = try await FlowStore(req.db).observation(FlowObservationID(id), in: scope)
        {
            let d = tally.draft
            saved = .init(
                point: points.first { $0.site.id == d.pointID }?.site.name ?? "", direction: d.direction,
                total: d.total, windowStart: d.windowStart, windowEnd: d.windowEnd, pointID: d.pointID)
        }
        return try await renderForm(req, context, values: values, errors: [:], saved: saved)
    }

    func create(_ req: Request) async throws -> Response {
        let context = try await Self.requireRecorder(req)
        let capture = try CaptureSubmission(req, kind: "flow")
        if let earlier = try await capture.earlier() { return earlier }
        let form = try req.content.decode(Submitted.self)
        do {
            let draft = try form.input.draft(
                now: capture.entry?.madeAt(now: req.now) ?? req.now, clock: context.operation.time)
            let scope = try context.requireScope()
            if form.confirmDuplicate == nil, try await FlowStore(req.db).hasIdentical(draft, in: scope) {
                if let refused = capture.refused(
                    ["confirm_duplicate": req.t("flows.duplicate_queued")], status: .conflict)
                {
                    return refused
                }
                return try await renderForm(
                    req, context, values: Self.values(form), errors: [:], duplicate: true, status: .conflict)
            }
            let (code, userID, now) = (context.operation.code, context.current.user.id, req.now)
            return try await capture.save { db in
                let saved = try await FlowStore(db).record(draft, scope: scope, actorID: userID, now: now)
                // Straight back to an empty form for the same point and direction, saying what was saved:
                // an enumerator records several tallies in a row.
                return SiteURL.newFlow(.value(code)).path(query: [
                    ("point", draft.pointID.uuidString), ("direction", draft.direction.rawValue),
                    ("saved", saved.id.uuidString),
                ])
            }
        } catch let errors as ValidationErrors {
            if let refused = capture.refused(errors.messages(in: req)) { return refused }
            return try await renderForm(
                req, context, values: Self.values(form), errors: errors.messages(in: req), status: .unprocessableEntity)
        } catch let error as DomainError where error.kind == .invalid {
            if let refused = capture.refused([error.field ?? "point": req.message(error)]) { return refused }
            return try await renderForm(
                req, context, values: Self.values(form), errors: [error.field ?? "point": req.message(error)],
                status: .unprocessableEntity)
        }
    }

    /// The form's fields as typed, to show them again.
    static func values(_ form: Submitted) -> TallyForm.Values {
        var values = TallyForm.Values()
        values.point = form.point ?? ""
        values.date = form.date ?? ""
        values.from = form.from ?? ""
        values.to = form.to ?? ""
        values.direction = form.direction ?? ""
        values.total = form.total ?? ""
        values.bins = form.bins ?? [:]
        values.nationality = form.nationality ?? ""
        values.originCountry = form.originCountry ?? ""
        values.originArea = form.originArea ?? ""
        values.lastTransit = form.lastTransit ?? ""
        values.nextDestination = form.nextDestination ?? ""
        values.finalDestination = form.finalDestination ?? ""
        values.transport = form.transport ?? ""
        values.vulnerable = form.vulnerable ?? [:]
        values.reasons = form.reasons ?? []
        values.notes = form.notes ?? ""
        return values
    }

    func renderForm(
        _ req: Request, _ context: OperationContext, values: TallyForm.Values, errors: [String: String],
        duplicate: Bool = false, saved: TallyForm.Model.Saved? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let points = try await FlowStore(req.db).points(in: try context.requireScope())
        var model = TallyForm.Model(
            code: context.operation.code, points: points.map { (id: $0.site.id, name: $0.site.name) }, values: values,
            errors: errors,
            countries: Countries.names.keys.map { (code: $0, name: Countries.name($0, in: req.language) ?? $0) }
                .sorted { $0.name < $1.name })
        model.duplicate = duplicate
        model.saved = saved
        return Page.render(req, title: req.t("flows.new"), status: status) { TallyForm.view(model, $0) }
    }

    // MARK: Points

    struct ProfileForm: Content {
        var pointType: String?; var movements: [String]?; var operatingHours: String?; var transportModes: [String]?
        enum CodingKeys: String, CodingKey {
            case movements;
            case pointType = "point_type", operatingHours = "operating_hours", transportModes = "transport_modes"
        }
    }

    func profile(_ req: Request) async throws -> Response {
        let (context, site) = try await Self.requireDescriber(req)
        let profile = try await FlowStore(req.db).profiles(of: [site.id])[site.id]
        let model = FlowPointForm.Model(code: context.operation.code, id: site.id, name: site.name, profile: profile)
        return Page.render(req, title: site.name) { FlowPointForm.view(model, $0) }
    }

    func saveProfile(_ req: Request) async throws -> Response {
        let (context, site) = try await Self.requireDescriber(req)
        let form = try req.content.decode(ProfileForm.self)
        guard let type = FlowPointType(rawValue: form.pointType ?? "") else {
            throw PageError(.badRequest, key: "error.bad_request")
        }
        let profile = FlowPointProfile(
            pointType: type, movements: Set((form.movements ?? []).compactMap(FlowDirection.init(rawValue:))),
            operatingHours: form.operatingHours ?? "",
            transportModes: Set((form.transportModes ?? []).compactMap(TransportMode.init(rawValue:))))
        try await FlowStore(req.db).setProfile(
            profile, of: site.id, scope: try context.requireScope(), actorID: context.current.user.id, now: req.now)
        Page.flash("flows.point_saved", on: req)
        return req.redirect(to: SiteURL.flows(.value(context.operation.code)).path)
    }

    // MARK: Import

    struct UploadForm: Content { var format: String? }

    /// A flow export (or an HXL file with its hashtags) uploaded by someone who may record tallies.
    func upload(_ req: Request) async throws -> Response {
        let context = try await Self.requireRecorder(req)
        return try await StreamedUpload.with(req, maxBytes: req.application.bearingConfig.maxUploadBytes + 1_000_000) {
            upload in
            let form = try upload.decode(UploadForm.self)
            guard let format = FlowReader.Format(rawValue: form.format ?? ""), let file = upload.file, file.size > 0
            else {
                throw PageError(.unprocessableEntity, key: "boundaries.no_file")
            }
            let lines: [String]
            let scope = try context.requireScope()
            // Read once, for the import and for the page that shows its report.
            let points = try await FlowStore(req.db).points(in: scope)
            do {
                let report = try await FlowImportService(database: req.db).importFile(
                    file.url, format: format, scope: scope, points: points, actorID: context.current.user.id,
                    now: req.now)
                lines = ["\(file.filename): " + report.lines[0]] + report.lines.dropFirst()
            } catch let error as SourceFileError {
                lines = ["\(file.filename): \(error.message) \(req.t("population.nothing_imported"))"]
            }
            return try await render(req, report: lines, points: points)
        }
    }

    // MARK: Export

    /// The tallies the viewer may see, as CSV, HXL or GeoJSON, read a thousand at a time.
    func export(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        guard let format = req.query[String.self, at: "format"].flatMap(FlowExchange.Format.init(rawValue:)) else {
            throw Abort(.badRequest, reason: "format: choose csv, hxl or geojson.")
        }
        let point = (try? req.query.get(String.self, at: "point")).flatMap(UUID.init(uuidString:)).map(
            SiteID.init(rawValue:))
        let exporter = PopulationExportService(database: req.db, areaShapes: req.areaShapes)
        return ExportDownload.response(format: format, operation: context.operation, holding: "flows", on: req.now) {
            emit in
            try await exporter.tallies(in: scope, point: point, format: format, emit: emit)
        }
    }

    // MARK: Access

    static func requireRecorder(_ req: Request) async throws -> OperationContext {
        try await OperationContext.load(req, requiring: AccessPolicy.canRecordFlows(in:by:))
    }

    static func requireDescriber(_ req: Request) async throws -> (OperationContext, SiteRecord) {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        guard AccessPolicy.canDescribeFlowPoints(in: context.operation.id, by: context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        guard let id = req.pathID(as: SiteID.self), let site = try await SiteStore(req.db).find(id, in: scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        return (context, site)
    }
}
