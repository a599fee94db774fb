import Domain
import Fluent
import Foundation
import Interop
import Persistence
import Vapor
import Views

/// The personnel register (issue 16): who is under IFRC security responsibility, how to reach
/// them, where they are. Those who keep it (the Security Coordinator, the HeOps, named focal
/// points) see and change everyone; every other member of the Movement only their own record and
/// location; partners nothing. Every page and export of personal data is recorded in the audit trail.
struct PeopleController {
    // MARK: The register

    func index(_ req: Request) async throws -> Response {
        let p = try await PersonnelContext.load(req, keepers: false)
        guard p.keeps else {
            // One's own record is the whole register one reaches.
            return req.redirect(to: SiteURL.myLocation(.value(p.operation.code)).path)
        }
        return try await renderRegister(req, p, report: [])
    }

    func renderRegister(_ req: Request, _ p: PersonnelContext, report: [String], status: HTTPResponseStatus = .ok)
        async throws -> Response
    {
        let search = (try? req.query.get(String.self, at: "q")) ?? ""
        let category = (try? req.query.get(String.self, at: "category")).flatMap(PersonCategory.init(rawValue:))
        let includeLeft = (try? req.query.get(String.self, at: "left")) == "yes"
        let store = PersonStore(req.db)
        let people = try await store.all(
            in: p.scope, filter: .init(search: search, category: category, includeLeft: includeLeft))
        let places = try await PersonnelPlaces.load(req, p)
        let members = try await OperationStore(req.db).members(of: p.operation.id)
        let focal = try await store.focalPoints(in: p.operation.id)
        try await store.recordView(of: people.map(\.id), what: "list", scope: p.scope, now: req.now)
        let model = PeopleRegister.Model(
            code: p.operation.code, rows: people.map(places.line), search: search, category: category,
            includeLeft: includeLeft,
            focalPoints: members.filter { focal.contains($0.userId) }.map { ($0.userId, $0.displayName) },
            candidates: members.filter {
                !focal.contains($0.userId)
                    && Role(rawValue: $0.role).map(AccessPolicy.canBeNamedSecurityFocalPoint) == true
            }.map { ($0.userId, $0.displayName) },
            canNameFocalPoints: AccessPolicy.canNameSecurityFocalPoints(in: p.operation.id, by: p.context.viewer),
            importReport: report)
        return Page.render(req, title: req.t("people_title"), status: status) { PeopleRegister.view(model, $0) }
    }

    // MARK: One person

    func show(_ req: Request) async throws -> Response {
        let (p, person) = try await PersonnelPages.loadPerson(req)
        return try await PersonnelPages.renderPerson(req, p, person, errors: [:])
    }

    // MARK: Adding and changing

    /// The form as posted. A field the form did not show is left out, and keeps its value.
    struct Submitted: Content {
        var fullName: String?; var category: String?; var organisation: String?; var function: String?
        var origin: String?; var languages: String?; var mobilePhone: String?; var satellitePhone: String?
        var otherPhone: String?; var radioCallSign: String?; var email: String?; var emergencyContactName: String?
        var emergencyContactPhone: String?; var arrival: String?; var plannedDeparture: String?
        var residence: String?; var assemblyPoint: String?; var relocationGroup: String?
        var relocationPriority: String?; var account: String?; var externalID: String?; var version: String?
        var manager: String?; var managerShown: String?; var relocation: String?

        enum CodingKeys: String, CodingKey {
            case category, organisation, function, origin, languages, email, arrival, residence, account, version
            case manager, relocation
            case managerShown = "manager_shown"
            case fullName = "full_name", mobilePhone = "mobile_phone", satellitePhone = "satellite_phone"
            case otherPhone = "other_phone", radioCallSign = "radio_call_sign"
            case emergencyContactName = "emergency_contact_name", emergencyContactPhone = "emergency_contact_phone"
            case plannedDeparture = "planned_departure", assemblyPoint = "assembly_point"
            case relocationGroup = "relocation_group", relocationPriority = "relocation_priority"
            case externalID = "external_id"
        }

        func applied(to base: PersonInput) -> PersonInput {
            var input = base
            let pairs: [(String?, WritableKeyPath<PersonInput, String>)] = [
                (fullName, \.fullName), (category, \.category), (organisation, \.organisation),
                (function, \.function), (origin, \.origin), (languages, \.languages), (mobilePhone, \.mobilePhone),
                (satellitePhone, \.satellitePhone), (otherPhone, \.otherPhone), (radioCallSign, \.radioCallSign),
                (email, \.email), (emergencyContactName, \.emergencyContactName),
                (emergencyContactPhone, \.emergencyContactPhone), (arrival, \.arrival),
                (plannedDeparture, \.plannedDeparture), (residence, \.residence), (assemblyPoint, \.assemblyPoint),
                (relocationGroup, \.relocationGroup), (relocationPriority, \.relocationPriority),
                (account, \.account), (externalID, \.externalID),
            ]
            for (value, field) in pairs { if let value { input[keyPath: field] = value } }
            // An unticked box posts nothing: the hidden field says it was on the form.
            if managerShown == "yes" || manager != nil { input.manager = manager == "yes" ? "yes" : "" }
            if let relocation { input.relocation = relocation }
            return input
        }
    }

    func new(_ req: Request) async throws -> Response {
        let p = try await PersonnelContext.load(req, keepers: true)
        return try await renderForm(req, p, id: nil, values: PersonInput(), errors: [:])
    }

    func create(_ req: Request) async throws -> Response {
        let p = try await PersonnelContext.load(req, keepers: true)
        let input = try req.content.decode(Submitted.self).applied(to: PersonInput())
        do {
            let draft = try input.decoded(clock: p.operation.time, country: p.country)
            let person = try await PersonStore(req.db).create(draft, scope: p.scope, now: req.now)
            Self.flashUnreadable(draft, req)
            return req.redirect(to: SiteURL.person(.value(p.operation.code), .value(person.id)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, p, id: nil, values: input, errors: errors.messages(in: req), status: .unprocessableEntity)
        }
    }

    func edit(_ req: Request) async throws -> Response {
        let (p, person) = try await PersonnelPages.loadPerson(req)
        return try await renderForm(
            req, p, id: person.id, values: PersonInput(person.draft, clock: p.operation.time), errors: [:],
            version: EditVersion.token(person.updatedAt))
    }

    func update(_ req: Request) async throws -> Response {
        let (p, person) = try await PersonnelPages.loadPerson(req)
        let form = try req.content.decode(Submitted.self)
        let stored = PersonInput(person.draft, clock: p.operation.time)
        let input = form.applied(to: stored)
        do {
            let draft = try input.decoded(clock: p.operation.time, country: p.country)
            _ = try await PersonStore(req.db).update(
                person.id, with: draft, scope: p.scope, expecting: form.version ?? "", now: req.now)
            Page.flash("person_saved", on: req)
            Self.flashUnreadable(draft, req)
            return req.redirect(to: SiteURL.person(.value(p.operation.code), .value(person.id)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, p, id: person.id, values: input, errors: errors.messages(in: req), version: form.version ?? "",
                status: .unprocessableEntity)
        } catch let error as DomainError where EditVersion.isStale(error) {
            guard let now = try await PersonStore(req.db).find(person.id, in: p.scope) else {
                throw PageError(.notFound, key: "error.not_found")
            }
            return try await renderForm(
                req, p, id: person.id, values: input, errors: [:], version: EditVersion.token(now.updatedAt),
                stale: StaleNotice(
                    stored: PersonInput(now.draft, clock: p.operation.time), submitted: input, strings: req.strings),
                status: .conflict)
        }
    }

    /// Says which numbers were kept as written because they could not be read.
    static func flashUnreadable(_ draft: PersonDraft, _ req: Request) {
        let unread = draft.unreadablePhones.map(\.text)
        guard !unread.isEmpty, req.currentUser != nil else { return }
        req.session.data["flash"] =
            req.t("person_phone_kept") + " " + unread.map { "“\($0)”" }.joined(separator: ", ")
    }

    func renderForm(
        _ req: Request, _ p: PersonnelContext, id: PersonID?, values: PersonInput, errors: [String: String],
        version: String = "", stale: StaleNotice? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let sites = try await p.context.visibleSites(on: req.db)
        let members = p.keeps ? try await OperationStore(req.db).members(of: p.operation.id) : []
        let model = PersonForm.Model(
            code: p.operation.code, id: id, values: values, errors: errors, version: version, stale: stale,
            sites: sites.map { ($0.id, $0.name) }, members: members.map { ($0.userId, $0.displayName) },
            canKeep: p.keeps)
        return Page.render(req, title: PersonForm.title(model, req.strings), status: status) {
            PersonForm.view(model, $0)
        }
    }

    func setLeft(_ req: Request) async throws -> Response {
        let (p, person) = try await PersonnelPages.loadPerson(req)
        try await PersonStore(req.db).setLeft(person.id, left: person.leftAt == nil, scope: p.scope, now: req.now)
        return req.redirect(to: SiteURL.person(.value(p.operation.code), .value(person.id)).path)
    }

    // MARK: Where they are

    struct LocationForm: Content {
        var site: String?; var area: String?; var latitude: String?; var longitude: String?; var precision: String?
        var note: String?; var source: String?

        var input: LocationInput {
            var input = LocationInput(
                site: site ?? "", area: area ?? "", latitude: latitude ?? "", longitude: longitude ?? "")
            input.precision = precision ?? ""
            input.note = note ?? ""
            return input
        }
    }

    /// Confirms where a person is: the person themselves (one tap), or the radio room.
    func confirmLocation(_ req: Request) async throws -> Response {
        let (p, person) = try await PersonnelPages.loadPerson(req)
        let capture = try CaptureSubmission(req, kind: "location")
        if let earlier = try await capture.earlier() { return earlier }
        let form = try req.content.decode(LocationForm.self)
        let own = person.draft.userID == p.context.viewer.userID
        // The radio room is the keepers'; a person's own confirmation is "self".
        let source: LocationSource =
            p.keeps && !(own && form.source == LocationSource.person.rawValue) ? .radioRoom : .person
        do {
            let given = try await PersonnelLocations.given(form.input, p: p, req: req)
            let (scope, now, at, id) = (p.scope, req.now, capture.entry?.madeAt(now: req.now) ?? req.now, person.id)
            let back =
                source == .person
                ? SiteURL.myLocation(.value(p.operation.code)).path(query: [("saved", "1")])
                : SiteURL.person(.value(p.operation.code), .value(person.id)).path
            if source != .person, !capture.isQueued { Page.flash("person_location_saved", on: req) }
            return try await capture.save { db in
                try await PersonnelLocations.store(
                    given, of: id, source: source, scope: scope, db: db, now: now, at: at)
                return back
            }
        } catch let errors as ValidationErrors {
            if let refused = capture.refused(errors.messages(in: req)) { return refused }
            return try await own && source == .person
                ? PersonnelPages.renderMyLocation(
                    req, p, saved: false, errors: errors.messages(in: req), status: .unprocessableEntity)
                : PersonnelPages.renderPerson(
                    req, p, person, errors: errors.messages(in: req), status: .unprocessableEntity)
        }
    }

    func myLocation(_ req: Request) async throws -> Response {
        let p = try await PersonnelContext.load(req, keepers: false)
        return try await PersonnelPages.renderMyLocation(
            req, p, saved: (try? req.query.get(String.self, at: "saved")) == "1", errors: [:])
    }

    // MARK: Headcount and the 24/7 list

    func headcount(_ req: Request) async throws -> Response {
        let p = try await PersonnelContext.load(req, keepers: true)
        return try await PersonnelPages.renderHeadcount(req, p, errors: [:])
    }

    func contactList(_ req: Request) async throws -> Response {
        let p = try await PersonnelContext.load(req, keepers: true)
        let store = PersonStore(req.db)
        let people = try await store.all(in: p.scope).filter { $0.isPresent(at: req.now) }
        let places = try await PersonnelPlaces.load(req, p)
        try await store.recordView(of: people.map(\.id), what: "contact_list", scope: p.scope, now: req.now)
        let emergency = try await SettingsStore(req.db).load(EmergencyContacts.self, operationID: p.operation.id)
        // One table a place: the site they are at, else their area; those never located last.
        var groups: [String: [PersonLine]] = [:]
        for person in people {
            let key = person.location.map(places.place) ?? ""
            groups[key, default: []].append(places.line(person))
        }
        let model = ContactListPage.Model(
            code: p.operation.code, operationName: p.operation.name,
            groups: groups.sorted { ($0.key.isEmpty ? 1 : 0, $0.key) < ($1.key.isEmpty ? 1 : 0, $1.key) }.map {
                .init(place: $0.key.isEmpty ? req.t("freshness_unknown") : $0.key, people: $0.value)
            }, emergency: emergency.contacts, printedAt: req.now)
        return Page.render(req, title: req.t("contact_list_title")) { ContactListPage.view(model, $0) }
    }

    /// The register as CSV (a roster an import reads back) or vCard, for the coordinator's phone.
    func export(_ req: Request) async throws -> Response {
        let p = try await PersonnelContext.load(req, keepers: true)
        guard let format = req.query[String.self, at: "format"], format == "csv" || format == "vcf" else {
            throw PageError(.badRequest, key: "error.people_export_format")
        }
        let store = PersonStore(req.db)
        let people = try await store.all(in: p.scope)
        let places = try await PersonnelPlaces.load(req, p)
        try await store.recordView(of: people.map(\.id), what: "export_" + format, scope: p.scope, now: req.now)
        let rows = people.map(places.exportRow)
        let body = format == "csv" ? PersonExport.csv(rows) : PersonExport.vcard(rows)
        let response = Response(status: .ok, body: .init(string: body))
        response.headers.replaceOrAdd(
            name: .contentType, value: format == "csv" ? "text/csv; charset=utf-8" : "text/vcard; charset=utf-8")
        response.headers.replaceOrAdd(
            name: .contentDisposition,
            value: "attachment; filename=\"\(p.operation.code)-people-\(DateText.day(req.now)).\(format)\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    // MARK: Import

    func upload(_ req: Request) async throws -> Response {
        let p = try await PersonnelContext.load(req, keepers: true)
        return try await StreamedUpload.with(req, maxBytes: req.application.bearingConfig.maxUploadBytes + 1_000_000) {
            upload in
            guard let file = upload.file, file.size > 0 else {
                throw PageError(.unprocessableEntity, key: "boundaries.no_file")
            }
            let lines: [String]
            do {
                let csv = try CSVRows(url: file.url)
                lines = try await PeopleImportService(database: req.db).importFile(
                    csv, named: file.filename, scope: p.scope, operation: p.operation, now: req.now
                ).lines
            } catch let error as PeopleImportError {
                lines = [error.message]
            } catch is CSVRows.Failure {
                lines = ["\(file.filename): nothing imported: the file could not be read."]
            }
            return try await renderRegister(req, p, report: lines)
        }
    }

    // MARK: Focal points

    struct FocalPointForm: Content { var user: String?; var named: String? }

    func setFocalPoint(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canNameSecurityFocalPoints)
        let form = try req.content.decode(FocalPointForm.self)
        guard let user = form.user.flatMap(UUID.init(uuidString:)).map(UserID.init(rawValue:)) else {
            throw PageError(.badRequest, key: "error.bad_request")
        }
        try await PersonStore(req.db).setFocalPoint(
            user, named: form.named == "yes", in: context.operation.id, actorID: context.current.user.id, now: req.now)
        return req.redirect(to: SiteURL.people(.value(context.operation.code)).path + "#focal-points")
    }

}

/// Confirming a location, as the pages and the API both do it: the one location decoder, the
/// area a point falls in from the boundaries, then the store.
enum PersonnelLocations {
    /// A location as given, decoded, with the area it falls in.
    struct Given: Sendable { let place: PersonPlace; let note: String; let area: String? }

    static func given(_ input: LocationInput, p: PersonnelContext, req: Request) async throws -> Given {
        let (place, note) = try input.decoded()
        var area: String?
        if case .point(let lat, let lon, _) = place {
            area = try await MapService(request: req).resolveArea(operation: p.operation, latitude: lat, longitude: lon)
        }
        return Given(place: place, note: note, area: area)
    }

    @discardableResult
    static func confirm(
        _ input: LocationInput, of id: PersonID, source: LocationSource, p: PersonnelContext, req: Request
    ) async throws -> PersonLocation {
        try await store(
            try await given(input, p: p, req: req), of: id, source: source, scope: p.scope, db: req.db, now: req.now,
            at: req.now)
    }

    /// Stores `given` as confirmed at `at` (an entry made offline: when it was made).
    @discardableResult
    static func store(
        _ given: Given, of id: PersonID, source: LocationSource, scope: PersonnelScope, db: any Database, now: Date,
        at: Date
    ) async throws -> PersonLocation {
        do {
            return try await PersonStore(db).confirmLocation(
                of: id, place: given.place, areaPcode: given.area, source: source, note: given.note, scope: scope,
                now: now, confirmedAt: at)
        } catch let error as DomainError where error.kind == .invalid {
            var errors = ValidationErrors()
            errors.add(error.field ?? "location", key: error.messageKey, error.message)
            throw errors
        }
    }
}
