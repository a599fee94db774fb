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

    struct IndexContext: Encodable {
        let code: String; let points: HTMLFragment; let hasPoints: Bool; let rows: HTMLFragment; let hasRows: Bool; let canRecord: Bool
        let page: Int; let prevPage: Int?; let nextPage: Int?; let pointFilter: String; let report: [String]
    }

    func index(_ req: Request) async throws -> Response { try await render(req, report: []) }

    /// The tallies page; after an import, with its report (shown in the answer to the upload, not
    /// kept in the session that every request reads).
    func render(_ req: Request, report: [String]) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        let store = FlowStore(req.db)
        let points = try await store.points(in: scope)
        let pointFilter = (try? req.query.get(String.self, at: "point")).flatMap(UUID.init(uuidString:))
        let paging = try req.paging(perPage: 50)
        let result = try await store.observations(in: scope, point: pointFilter, page: paging)
        let names = Dictionary(uniqueKeysWithValues: points.map { ($0.site.id, $0.site.name) })
        let canDescribe = AccessPolicy.canDescribeFlowPoints(in: context.operation.id.uuidString, by: context.viewer)
        let code = context.operation.code
        var list = HTMLFragment()
        for point in points {
            list.markup("<li><a href=\"?point=")
            list.text(point.site.id.uuidString)
            list.markup("\">")
            list.text(point.site.name)
            list.markup("</a>")
            if let profile = point.profile {
                list.markup(" <small>")
                list.text(([req.t(profile.pointType.labelKey)] + FlowDirection.allCases.filter(profile.movements.contains).map { req.t($0.labelKey) }
                           + (profile.operatingHours.isEmpty ? [] : [profile.operatingHours])).joined(separator: " · "))
                list.markup("</small>")
            }
            if canDescribe {
                list.markup(" <a href=\"/operations/")
                list.text(code)
                list.markup("/flows/points/")
                list.text(point.site.id.uuidString)
                list.markup("\">")
                list.text(req.t("flows.describe"))
                list.markup("</a>")
            }
            list.markup("</li>")
        }
        var rows = HTMLFragment()
        for record in result.items {
            let d = record.draft
            rows.markup("<tr><td dir=\"ltr\" class=\"nowrap\">")
            rows.text(DateText.minute(d.windowStart))
            rows.markup("</td><td>")
            rows.text(names[d.pointID] ?? "—")
            rows.markup("</td><td>")
            rows.text(req.t(d.direction.labelKey))
            rows.markup("</td><td class=\"score\">")
            rows.text(d.total)
            rows.markup("</td><td dir=\"ltr\">")
            rows.text(d.nationality ?? "—")
            rows.markup("</td><td>")
            rows.text([d.originCountry, d.originArea].compactMap { $0 }.joined(separator: " · ").nilIfEmpty ?? "—")
            rows.markup(" → ")
            rows.text(d.finalDestination ?? d.nextDestination ?? "—")
            rows.markup("</td><td>")
            rows.text(d.vulnerable.values.reduce(0, +))
            rows.markup("</td></tr>")
        }
        return try await Page.render("flows", IndexContext(
            code: code, points: list, hasPoints: !points.isEmpty, rows: rows, hasRows: !result.items.isEmpty,
            canRecord: AccessPolicy.canRecordFlows(in: context.operation.id.uuidString, by: context.viewer) && !points.isEmpty,
            page: paging.page, prevPage: paging.previous, nextPage: result.total > paging.offset + paging.perPage ? paging.page + 1 : nil,
            pointFilter: pointFilter.map { "point=\($0.uuidString)&" } ?? "", report: report),
            title: req.t("flows.title"), for: req)
    }

    // MARK: The tally form

    struct TallyForm: Content {
        var point: String?; var date: String?; var from: String?; var to: String?; var direction: String?; var total: String?
        var bins: [String: String]?; var nationality: String?; var originCountry: String?; var originArea: String?; var lastTransit: String?
        var nextDestination: String?; var finalDestination: String?; var transport: String?; var vulnerable: [String: String]?
        var reasons: [String]?; var notes: String?
        enum CodingKeys: String, CodingKey {
            case point, date, from, to, direction, total, bins, nationality, transport, vulnerable, reasons, notes
            case originCountry = "origin_country", originArea = "origin_area", lastTransit = "last_transit"
            case nextDestination = "next_destination", finalDestination = "final_destination"
        }
    }

    struct FormContext: Encodable {
        let code: String; let values: TallyForm; let errors: [String: String]; let points: HTMLFragment; let directions: HTMLFragment
        let unhcrBins: HTMLFragment; let vulnerable: HTMLFragment; let reasons: HTMLFragment; let transports: HTMLFragment
        let countries: HTMLFragment
    }

    func new(_ req: Request) async throws -> Response {
        let context = try await Self.requireRecorder(req)
        var values = TallyForm()
        values.point = try? req.query.get(String.self, at: "point")
        // Today's day shift, or yesterday's before today's has begun (it would be in the future).
        let now = Date()
        let today = AnalysisPeriods.calendar.startOfDay(for: now)
        values.date = DateText.day(now < today.addingTimeInterval(6 * 3600) ? today.addingTimeInterval(-86_400) : today)
        values.from = "06:00"
        values.to = "18:00"
        values.direction = FlowDirection.incoming.rawValue
        return try await renderForm(req, context, values: values, errors: [:])
    }

    func create(_ req: Request) async throws -> Response {
        let context = try await Self.requireRecorder(req)
        let form = try req.content.decode(TallyForm.self)
        do {
            let draft = try Self.draft(form).validated()
            _ = try await FlowStore(req.db).record(draft, scope: try context.requireScope(), actorID: context.current.user.id)
            Page.flash("flows.saved", on: req)
            // Straight back to an empty form for the same point: an enumerator records several tallies in a row.
            return req.redirect(to: "/operations/\(context.operation.code)/flows/new?point=\(draft.pointID.uuidString)")
        } catch let errors as ValidationErrors {
            return try await renderForm(req, context, values: form, errors: errors.messages(in: req), status: .unprocessableEntity)
        } catch let error as DomainError where error.kind == .invalid {
            return try await renderForm(req, context, values: form, errors: [error.field ?? "point": PhaseController.message(error, req)],
                                        status: .unprocessableEntity)
        }
    }

    /// The draft the form describes; what cannot be read is said per field.
    static func draft(_ form: TallyForm) throws -> FlowObservationDraft {
        var errors = ValidationErrors()
        func whole(_ text: String?, _ field: String) -> Int? {
            let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return nil }
            guard let value = Int(trimmed) else { errors.add(field, key: "error.number", "“\(trimmed)” is not a whole number."); return nil }
            return value
        }
        let point = UUID(uuidString: form.point ?? "")
        if point == nil { errors.add("point", key: "error.flow_point", "Choose the flow-monitoring point.") }
        let day = form.date ?? ""
        let start = DateText.time("\(day) \(form.from ?? "00:00")")
        var end = DateText.time("\(day) \(form.to ?? "23:59")")
        if start == nil { errors.add("date", key: "error.datetime", "Use a date like 2026-11-23 and times like 06:00.") }
        // A window that ends at or before it starts runs past midnight (a night shift, 18:00–06:00).
        if let s = start, let e = end, e <= s { end = e.addingTimeInterval(86_400) }
        let direction = FlowDirection(rawValue: form.direction ?? "")
        if direction == nil { errors.add("direction", key: "error.choice", "Choose incoming, outgoing or transit.") }
        let total = whole(form.total, "total")
        if total == nil, (form.total ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            errors.add("total", key: "error.required", "Give the number of people.")
        }
        var bins: [String: Int] = [:]
        for (bin, text) in form.bins ?? [:] { if let value = whole(text, "bins") { bins[bin] = value } }
        var vulnerable: [FlowVulnerability: Int] = [:]
        for (key, text) in form.vulnerable ?? [:] {
            guard let vulnerability = FlowVulnerability(rawValue: key) else { continue }
            if let value = whole(text, "vulnerable[\(key)]") { vulnerable[vulnerability] = value }
        }
        let transport = (form.transport ?? "").isEmpty ? nil : TransportMode(rawValue: form.transport ?? "")
        try errors.throwIfAny()
        return FlowObservationDraft(
            pointID: point!, windowStart: start!, windowEnd: end ?? start!, direction: direction!, total: total ?? 0,
            scheme: DisaggregationScheme.inferred(from: bins), bins: bins, nationality: form.nationality, originCountry: form.originCountry,
            originArea: form.originArea, lastTransit: form.lastTransit, nextDestination: form.nextDestination,
            finalDestination: form.finalDestination, transport: transport, vulnerable: vulnerable,
            reasons: Set((form.reasons ?? []).compactMap(MovementReason.init(rawValue:))), notes: form.notes ?? "")
    }

    /// Women and men in two rows, UNHCR's six age brackets across, an input each named
    /// `field[f_0_4]` …: quick to fill on a phone (the tally form, a figure entered by hand).
    static func sexAgeRows(field: String, values: [String: String]?, _ req: Request) -> HTMLFragment {
        var rows = HTMLFragment()
        for (sex, label) in [("f", "flows.women"), ("m", "flows.men")] {
            rows.markup("<tr><th scope=\"row\">")
            rows.text(req.t(label))
            rows.markup("</th>")
            for age in ["0_4", "5_11", "12_17", "18_59", "60", "other"] {
                rows.markup("<td><input inputmode=\"numeric\" pattern=\"[0-9]*\" size=\"3\" name=\"")
                rows.text("\(field)[\(sex)_\(age)]")
                rows.markup("\" aria-label=\"")
                rows.text("\(req.t(label)) \(req.t("flows.age_\(age)"))")
                rows.markup("\" value=\"")
                rows.text(values?["\(sex)_\(age)"] ?? "")
                rows.markup("\"></td>")
            }
            rows.markup("</tr>")
        }
        return rows
    }

    func renderForm(_ req: Request, _ context: OperationContext, values: TallyForm, errors: [String: String], status: HTTPResponseStatus = .ok) async throws -> Response {
        let points = try await FlowStore(req.db).points(in: try context.requireScope())
        var pointOptions = HTMLFragment()
        pointOptions.options(points.map { ($0.site.id.uuidString, $0.site.name, $0.site.id.uuidString == values.point) })
        var directions = HTMLFragment()
        for direction in FlowDirection.allCases {
            directions.markup("<label class=\"check\"><input type=\"radio\" name=\"direction\" value=\"")
            directions.text(direction.rawValue)
            directions.markup(values.direction == direction.rawValue ? "\" checked> " : "\"> ")
            directions.text(req.t(direction.labelKey))
            directions.markup("</label>")
        }
        let bins = Self.sexAgeRows(field: "bins", values: values.bins, req)
        var vulnerable = HTMLFragment()
        for vulnerability in FlowVulnerability.allCases {
            vulnerable.markup("<label>")
            vulnerable.text(req.t(vulnerability.labelKey))
            vulnerable.markup(" <input inputmode=\"numeric\" pattern=\"[0-9]*\" size=\"4\" name=\"vulnerable[")
            vulnerable.text(vulnerability.rawValue)
            vulnerable.markup("]\" value=\"")
            vulnerable.text(values.vulnerable?[vulnerability.rawValue] ?? "")
            vulnerable.markup("\"></label>")
            if let error = errors["vulnerable[\(vulnerability.rawValue)]"] {
                vulnerable.markup("<p class=\"field-error\">")
                vulnerable.text(error)
                vulnerable.markup("</p>")
            }
        }
        var reasons = HTMLFragment()
        for reason in MovementReason.allCases {
            reasons.markup("<label class=\"check\"><input type=\"checkbox\" name=\"reasons[]\" value=\"")
            reasons.text(reason.rawValue)
            reasons.markup((values.reasons ?? []).contains(reason.rawValue) ? "\" checked> " : "\"> ")
            reasons.text(req.t(reason.labelKey))
            reasons.markup("</label>")
        }
        var transports = HTMLFragment()
        transports.options([("", "—", (values.transport ?? "").isEmpty)] + TransportMode.allCases.map { ($0.rawValue, req.t($0.labelKey), $0.rawValue == values.transport) })
        var countries = HTMLFragment()
        for (code, name) in Countries.names.sorted(by: { $0.value < $1.value }) {
            countries.markup("<option value=\"")
            countries.text(code)
            countries.markup("\">")
            countries.text(name)
            countries.markup("</option>")
        }
        return try await Page.render("flow-form", FormContext(
            code: context.operation.code, values: values, errors: errors, points: pointOptions, directions: directions, unhcrBins: bins,
            vulnerable: vulnerable, reasons: reasons, transports: transports, countries: countries),
            title: req.t("flows.new"), for: req, status: status)
    }

    // MARK: Points

    struct ProfileForm: Content {
        var pointType: String?; var movements: [String]?; var operatingHours: String?; var transportModes: [String]?
        enum CodingKeys: String, CodingKey {
            case movements; case pointType = "point_type", operatingHours = "operating_hours", transportModes = "transport_modes"
        }
    }

    struct ProfileContext: Encodable {
        let code: String; let id: String; let name: String; let types: HTMLFragment; let movements: HTMLFragment; let hours: String
        let transports: HTMLFragment
    }

    func profile(_ req: Request) async throws -> Response {
        let (context, site) = try await Self.requireDescriber(req)
        let profile = try await FlowStore(req.db).profiles(of: [site.id])[site.id]
        func boxes<T: RawRepresentable & CaseIterable>(_ all: T.AllCases, _ name: StaticString, chosen: Set<String>, label: (T) -> String) -> HTMLFragment
        where T.RawValue == String {
            var html = HTMLFragment()
            for item in all {
                html.markup("<label class=\"check\"><input type=\"checkbox\" name=\"")
                html.markup(name)
                html.markup("\" value=\"")
                html.text(item.rawValue)
                html.markup(chosen.contains(item.rawValue) ? "\" checked> " : "\"> ")
                html.text(label(item))
                html.markup("</label>")
            }
            return html
        }
        var types = HTMLFragment()
        types.options(FlowPointType.allCases.map { ($0.rawValue, req.t($0.labelKey), $0 == profile?.pointType) })
        return try await Page.render("flow-point", ProfileContext(
            code: context.operation.code, id: site.id.uuidString, name: site.name, types: types,
            movements: boxes(FlowDirection.allCases, "movements[]", chosen: Set((profile?.movements ?? []).map(\.rawValue)), label: { (d: FlowDirection) in req.t(d.labelKey) }),
            hours: profile?.operatingHours ?? "",
            transports: boxes(TransportMode.allCases, "transport_modes[]", chosen: Set((profile?.transportModes ?? []).map(\.rawValue)), label: { (t: TransportMode) in req.t(t.labelKey) })),
            title: site.name, for: req)
    }

    func saveProfile(_ req: Request) async throws -> Response {
        let (context, site) = try await Self.requireDescriber(req)
        let form = try req.content.decode(ProfileForm.self)
        guard let type = FlowPointType(rawValue: form.pointType ?? "") else { throw PageError(.badRequest, key: "error.bad_request") }
        let profile = FlowPointProfile(pointType: type, movements: Set((form.movements ?? []).compactMap(FlowDirection.init(rawValue:))),
                                       operatingHours: form.operatingHours ?? "",
                                       transportModes: Set((form.transportModes ?? []).compactMap(TransportMode.init(rawValue:))))
        try await FlowStore(req.db).setProfile(profile, of: site.id, scope: try context.requireScope(), actorID: context.current.user.id)
        Page.flash("flows.point_saved", on: req)
        return req.redirect(to: "/operations/\(context.operation.code)/flows")
    }

    // MARK: Import

    struct UploadForm: Content { var format: String? }

    /// A flow export (or an HXL file with its hashtags) uploaded by someone who may record tallies.
    func upload(_ req: Request) async throws -> Response {
        let context = try await Self.requireRecorder(req)
        return try await StreamedUpload.with(req, maxBytes: req.application.bearingConfig.maxUploadBytes + 1_000_000) { upload in
            let form = try upload.decode(UploadForm.self)
            guard let format = FlowReader.Format(rawValue: form.format ?? ""), let file = upload.file, file.size > 0 else {
                throw PageError(.unprocessableEntity, key: "boundaries.no_file")
            }
            let lines: [String]
            do {
                let report = try await FlowImportService(database: req.db).importFile(file.url, format: format, scope: try context.requireScope(),
                                                                                      actorID: context.current.user.id)
                lines = ["\(file.filename): " + report.lines[0]] + report.lines.dropFirst()
            } catch let error as SourceFileError {
                lines = ["\(file.filename): \(error.message) \(req.t("population.nothing_imported"))"]
            }
            return try await render(req, report: lines)
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
        let point = (try? req.query.get(String.self, at: "point")).flatMap(UUID.init(uuidString:))
        let exporter = PopulationExportService(database: req.db)
        return ExportDownload.response(format: format, operation: context.operation, holding: "flows") { emit in
            try await exporter.tallies(in: scope, point: point, format: format, emit: emit)
        }
    }

    // MARK: Access

    static func requireRecorder(_ req: Request) async throws -> OperationContext {
        let context = try await OperationContext.load(req)
        _ = try context.requireScope()
        guard AccessPolicy.canRecordFlows(in: context.operation.id.uuidString, by: context.viewer) else { throw PageError(.forbidden, key: "error.forbidden") }
        return context
    }

    static func requireDescriber(_ req: Request) async throws -> (OperationContext, SiteRow) {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        guard AccessPolicy.canDescribeFlowPoints(in: context.operation.id.uuidString, by: context.viewer) else { throw PageError(.forbidden, key: "error.forbidden") }
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), let site = try await SiteStore(req.db).find(id, in: scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        return (context, site)
    }
}
