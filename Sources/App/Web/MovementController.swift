import Domain
import Foundation
import Persistence
import Vapor
import Views

/// Field movements (issue 16): the board, the request (decided by the phases of the route's
/// areas: refused with reasons, or waiting for the approvals those phases need), check-ins in one
/// tap, and overdue movements until someone resolves them. Keepers of the register see every
/// movement; a member those they travel on; partners none.
struct MovementController {
    func board(_ req: Request) async throws -> Response {
        let p = try await PersonnelContext.load(req, keepers: false)
        let store = MovementStore(req.db)
        let places = try await PersonnelPlaces.load(req, p)
        let settings = try await SettingsStore(req.db).load(MovementSettings.self, operationID: p.operation.id)
        let names = try await PersonnelPages.names(req, p)
        let lines = try await store.board(in: p.scope, closedSince: req.now.addingTimeInterval(-2 * 86_400)).map {
            $0.line(names: names, places: places, graceMinutes: settings.graceMinutes, strings: req.strings)
        }.sorted { ($0.overdue ? 0 : 1, $0.departure) < ($1.overdue ? 0 : 1, $1.departure) }
        let model = MovementBoard.Model(code: p.operation.code, rows: lines, graceMinutes: settings.graceMinutes)
        return Page.render(req, title: req.t("movements_title")) { MovementBoard.view(model, $0) }
    }

    // MARK: Requesting

    struct Submitted: Content {
        var purpose: String?; var passengers: [String]?; var driver: String?; var vehicles: String?
        var route: [String]?; var routeCoordinates: [String]?; var departure: String?; var expectedArrival: String?
        var radioChannel: String?; var satellitePhone: String?
        enum CodingKeys: String, CodingKey {
            case purpose, passengers, driver, vehicles, route, departure
            case routeCoordinates = "route_coordinates", expectedArrival = "expected_arrival"
            case radioChannel = "radio_channel", satellitePhone = "satellite_phone"
        }

        var values: MovementForm.Values {
            var v = MovementForm.Values()
            v.purpose = purpose ?? ""
            v.passengers = passengers ?? []
            v.driver = driver ?? ""
            v.vehicles = vehicles ?? ""
            let chosen = route ?? []
            let typed = routeCoordinates ?? []
            v.route = (0..<4).map { i in
                let text = i < typed.count ? typed[i].trimmingCharacters(in: .whitespaces) : ""
                return text.isEmpty ? (i < chosen.count ? chosen[i] : "") : text
            }
            v.departure = departure ?? ""
            v.expectedArrival = expectedArrival ?? ""
            v.radioChannel = radioChannel ?? ""
            v.satellitePhone = satellitePhone ?? ""
            return v
        }
    }

    func new(_ req: Request) async throws -> Response {
        let p = try await PersonnelContext.load(req, keepers: false)
        var values = MovementForm.Values()
        values.departure = p.operation.time.formTime(req.now.addingTimeInterval(3_600))
        values.expectedArrival = p.operation.time.formTime(req.now.addingTimeInterval(5 * 3_600))
        if !p.keeps, let me = try await PersonStore(req.db).own(p.context.viewer.userID, in: p.scope) {
            values.passengers = [me.id.uuidString]
        }
        return try await renderForm(req, p, values: values, errors: [:])
    }

    func renderForm(
        _ req: Request, _ p: PersonnelContext, values: MovementForm.Values, errors: [String: String],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let people = try await PersonStore(req.db).all(in: p.scope)
        let places = try await PersonnelPlaces.load(req, p)
        let choices =
            places.sites.map { Choice(value: "site:" + $0.id.uuidString, label: $0.name, selected: false) }
            + places.areaChoices().map { Choice(value: "area:" + $0.value, label: $0.label, selected: false) }
        let model = MovementForm.Model(
            code: p.operation.code, values: values, people: people.map { ($0.id, $0.draft.fullName) }, places: choices,
            errors: errors)
        return Page.render(req, title: req.t("movements_new"), status: status) { MovementForm.view(model, $0) }
    }

    func create(_ req: Request) async throws -> Response {
        let p = try await PersonnelContext.load(req, keepers: false)
        let values = try req.content.decode(Submitted.self).values
        do {
            let draft = try values.decoded(clock: p.operation.time)
            let movement = try await MovementService(req: req, p: p).request(draft)
            return req.redirect(to: SiteURL.movement(.value(p.operation.code), .value(movement.id)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, p, values: values, errors: errors.messages(in: req), status: .unprocessableEntity)
        }
    }

    // MARK: One movement

    func show(_ req: Request) async throws -> Response {
        let (p, movement) = try await Self.load(req)
        return try await render(req, p, movement, errors: [:])
    }

    func render(
        _ req: Request, _ p: PersonnelContext, _ movement: MovementRecord, errors: [String: String],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let places = try await PersonnelPlaces.load(req, p)
        let settings = try await SettingsStore(req.db).load(MovementSettings.self, operationID: p.operation.id)
        let training = try await SettingsStore(req.db).load(TrainingSettings.self, operationID: p.operation.id)
        let names = try await PersonnelPages.names(req, p)
        let members = try await OperationStore(req.db).members(of: p.operation.id)
        let users = Dictionary(members.map { ($0.userId, $0.displayName) }, uniquingKeysWith: { a, _ in a })
        let held = try await MovementService(req: req, p: p).authorities()
        let line = movement.line(
            names: names, places: places, graceMinutes: settings.graceMinutes, strings: req.strings)
        let t = req.strings
        let given = Dictionary(movement.approvals.map { ($0.authority, $0) }, uniquingKeysWith: { a, _ in a })
        let model = MovementPage.Model(
            code: p.operation.code, line: line, driver: movement.draft.driver.flatMap { names[$0] },
            vehicles: movement.draft.vehicles, departure: movement.draft.departureAt,
            radioChannel: movement.draft.radioChannel, satellitePhone: movement.draft.satellitePhone,
            highestPhase: movement.highestPhase,
            refusals: movement.refusals.map {
                MovementService.text($0, names: names, courses: training, places: places, strings: t)
            },
            approvals: MovementAuthority.allCases.filter(movement.requiredApprovals.contains).map {
                ($0, given[$0]?.userID.flatMap { users[$0] }, given[$0]?.at)
            },
            canApprove: movement.status == .requested
                ? Array(
                    AccessPolicy.movementApprovals(
                        missing: movement.missingApprovals, requestedBy: movement.requestedBy, held: held,
                        by: p.context.viewer)) : [],
            checkIns: movement.checkIns.map { entry in
                var label = t(entry.kind.labelKey)
                if let index = entry.waypoint, index < movement.draft.route.count {
                    label += " · " + MovementService.label(movement.draft.route[index], places: places)
                }
                label += " · " + t(entry.source.labelKey)
                return (label, entry.at, entry.recordedBy.flatMap { users[$0] }, entry.note)
            },
            waypoints: line.route,
            canCheckIn: movement.status == .approved || movement.status == .underway,
            canCancel: (movement.status == .requested || movement.status == .approved)
                && AccessPolicy.canCancelMovement(requestedBy: movement.requestedBy, through: p.scope),
            canResolve: p.keeps && line.overdue, overdueNote: movement.overdueNote, errors: errors)
        return Page.render(
            req, title: t("movement_name").replacingOccurrences(of: "{n}", with: String(movement.number)),
            status: status
        ) {
            MovementPage.view(model, $0)
        }
    }

    struct ApprovalForm: Content { var authority: String? }

    func approve(_ req: Request) async throws -> Response {
        let (p, movement) = try await Self.load(req)
        guard let authority = MovementAuthority(rawValue: try req.content.decode(ApprovalForm.self).authority ?? "")
        else { throw PageError(.badRequest, key: "error.bad_request") }
        guard
            AccessPolicy.movementApprovals(
                missing: [authority], requestedBy: movement.requestedBy,
                held: try await MovementService(req: req, p: p).authorities(), by: p.context.viewer
            ).contains(authority)
        else { throw PageError(.forbidden, key: "error.forbidden") }
        do {
            _ = try await MovementStore(req.db).approve(
                movement.id, as: authority, by: p.context.viewer.userID, scope: p.scope, now: req.now)
        } catch let error as DomainError where error.kind == .conflict || error.kind == .forbidden {
            throw PageError(error.kind == .conflict ? .conflict : .forbidden, key: error.messageKey)
        }
        return req.redirect(to: SiteURL.movement(.value(p.operation.code), .value(movement.id)).path)
    }

    struct CheckInForm: Content {
        var checkIn: String?; var note: String?; var latitude: String?; var longitude: String?
        enum CodingKeys: String, CodingKey {
            case note, latitude, longitude
            case checkIn = "check_in"
        }
    }

    /// "departed", "arrived" or "waypoint:2", in one tap.
    func checkIn(_ req: Request) async throws -> Response {
        let (p, movement) = try await Self.load(req)
        let capture = try CaptureSubmission(req, kind: "check_in")
        if let earlier = try await capture.earlier() { return earlier }
        let form = try req.content.decode(CheckInForm.self)
        let value = form.checkIn ?? ""
        var kind: CheckInKind?
        var waypoint: Int?
        if value.hasPrefix("waypoint:") {
            kind = .waypoint
            waypoint = WholeNumber.parse(value.dropFirst(9))
        } else {
            kind = CheckInKind(rawValue: value)
        }
        guard let kind, kind != .waypoint || waypoint != nil else {
            throw PageError(.badRequest, key: "error.bad_request")
        }
        var lat: Double?, lon: Double?, area: String?
        let latText = (form.latitude ?? "").trimmingCharacters(in: .whitespaces)
        let lonText = (form.longitude ?? "").trimmingCharacters(in: .whitespaces)
        if !latText.isEmpty || !lonText.isEmpty {
            let (place, _) = try LocationInput(latitude: latText, longitude: lonText).decoded()
            if case .point(let a, let b, _) = place {
                lat = a
                lon = b
                area = try await MapService(request: req).resolveArea(operation: p.operation, latitude: a, longitude: b)
            }
        }
        // A traveller checks in themselves; anyone else on their behalf is the radio room.
        let me = try await PersonStore(req.db).own(p.context.viewer.userID, in: p.scope)
        let travelling = me.map { movement.draft.travellers.contains($0.id) } ?? false
        let (scope, now, madeAt, note) = (p.scope, req.now, capture.entry?.madeAt(now: req.now), form.note ?? "")
        let (latitude, longitude, areaPcode, id, point) = (lat, lon, area, movement.id, waypoint)
        let back = SiteURL.movement(.value(p.operation.code), .value(movement.id)).path
        do {
            return try await capture.save { db in
                _ = try await MovementStore(db).checkIn(
                    kind, waypoint: point, latitude: latitude, longitude: longitude, areaPcode: areaPcode,
                    note: note, source: travelling ? .traveller : .radioRoom, of: id, scope: scope, now: now,
                    madeAt: madeAt)
                return back
            }
        } catch let error as DomainError where error.kind == .conflict || error.kind == .invalid {
            var errors = ValidationErrors()
            errors.add(error.field ?? "check_in", key: error.messageKey, error.message)
            let status: HTTPResponseStatus = error.kind == .conflict ? .conflict : .unprocessableEntity
            if let refused = capture.refused(errors.messages(in: req), status: status) { return refused }
            return try await render(req, p, movement, errors: errors.messages(in: req), status: status)
        }
    }

    func cancel(_ req: Request) async throws -> Response {
        let (p, movement) = try await Self.load(req)
        guard AccessPolicy.canCancelMovement(requestedBy: movement.requestedBy, through: p.scope) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        do {
            try await MovementStore(req.db).cancel(movement.id, scope: p.scope, now: req.now)
        } catch let error as DomainError where error.kind == .conflict {
            throw PageError(.conflict, key: error.messageKey)
        }
        return req.redirect(to: SiteURL.movement(.value(p.operation.code), .value(movement.id)).path)
    }

    struct ResolveForm: Content {
        var note: String?; var expectedArrival: String?
        enum CodingKeys: String, CodingKey {
            case note
            case expectedArrival = "expected_arrival"
        }
    }

    func resolve(_ req: Request) async throws -> Response {
        let (p, movement) = try await Self.load(req)
        guard p.keeps else { throw PageError(.forbidden, key: "error.forbidden") }
        let form = try req.content.decode(ResolveForm.self)
        do {
            var errors = ValidationErrors()
            let text = (form.expectedArrival ?? "").trimmingCharacters(in: .whitespaces)
            let next = text.isEmpty ? nil : p.operation.time.time(text)
            if !text.isEmpty && next == nil {
                errors.add("expected_arrival", key: "error.date", "“\(text)” is not a date and time.")
            }
            try errors.throwIfAny()
            try await MovementStore(req.db).resolveOverdue(
                movement.id, note: form.note ?? "", newExpectedArrival: next, scope: p.scope, now: req.now)
        } catch let errors as ValidationErrors {
            return try await render(req, p, movement, errors: errors.messages(in: req), status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.movement(.value(p.operation.code), .value(movement.id)).path)
    }

    static func load(_ req: Request) async throws -> (PersonnelContext, MovementRecord) {
        let p = try await PersonnelContext.load(req, keepers: false)
        guard let id = req.pathID(as: MovementID.self),
            let movement = try await MovementStore(req.db).find(id, in: p.scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        return (p, movement)
    }
}
