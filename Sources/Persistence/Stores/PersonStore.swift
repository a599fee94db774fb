import Domain
import FluentKit
import Foundation
import SQLKit

/// A person of the register as stored, with the place last confirmed.
public struct PersonRecord: Sendable, Hashable {
    public let id: PersonID
    public let operationID: OperationID
    public var draft: PersonDraft
    public var leftAt: Date?
    public var location: PersonLocation?
    public let createdAt: Date
    public var updatedAt: Date

    /// In the operation now: arrived (or arrival unknown) and not gone.
    public func isPresent(at now: Date) -> Bool {
        leftAt == nil && (draft.arrivalAt.map { $0 <= now } ?? true)
    }
}

extension Headcount {
    /// The headcount of the people of `people` present at `now`.
    public init(
        present people: [PersonRecord], now: Date, staleAfterHours: Int, phase: (String) -> String?
    ) {
        self.init(
            entries: people.filter { $0.isPresent(at: now) }.map {
                var site: SiteID?
                if case .site(let id) = $0.location?.place { site = id }
                return Entry(
                    personID: $0.id, name: $0.draft.fullName, siteID: site, areaPcode: $0.location?.areaPcode,
                    confirmedAt: $0.location?.confirmedAt)
            }, now: now, staleAfterHours: staleAfterHours, phase: phase)
    }
}

/// The personnel register (issue 16). Every read takes a `PersonnelScope` from `AccessPolicy`: the
/// whole register for those who keep it, one's own record for the rest, nothing for partners.
/// Every change is audited; what a reader looked at is audited too (`recordView`).
public struct PersonStore: Sendable {
    static let kind = "person"
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    // MARK: Focal points

    /// The members the HeOps named security focal points: they read and keep the register.
    public func focalPoints(in operationID: OperationID) async throws -> Set<UserID> {
        Set(
            try await database.sql.select().column("user_id").from("security_focal_points")
                .where("operation_id", .equal, operationID).all().map {
                    try $0.decode(column: "user_id", as: UserID.self)
                }
        )
    }

    public func isFocalPoint(_ userID: UserID, in operationID: OperationID) async throws -> Bool {
        try await database.sql.select().column("user_id").from("security_focal_points")
            .where("operation_id", .equal, operationID).where("user_id", .equal, userID).first() != nil
    }

    /// Names or un-names a member; the caller has checked `canNameSecurityFocalPoints`.
    public func setFocalPoint(
        _ userID: UserID, named: Bool, in operationID: OperationID, actorID: UserID, now: Date
    ) async throws {
        let member = try await database.sql.select().column("role").from("memberships")
            .where("operation_id", .equal, operationID).where("user_id", .equal, userID).first()
        guard let role = try member.map({ try $0.decode(column: "role", as: String.self) }) else {
            throw DomainError(.invalid, field: "user", key: "error.focal_point_member", "Only a member can be named.")
        }
        if named, let role = Role(rawValue: role), !AccessPolicy.canBeNamedSecurityFocalPoint(role) {
            throw DomainError(
                .invalid, field: "user", key: "error.focal_point_partner",
                role == .partner
                    ? "A partner cannot read the personnel register."
                    : "The Security Coordinator and the HeOps read the register already.")
        }
        try await database.writing { db in
            try await db.sql.delete(from: "security_focal_points").where("operation_id", .equal, operationID)
                .where("user_id", .equal, userID).run()
            if named {
                try await db.sql.insert(into: "security_focal_points").columns(
                    "operation_id", "user_id", "granted_at", "granted_by"
                ).values(SQLBind(operationID), SQLBind(userID), SQLBind(now), SQLBind(actorID)).run()
            }
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: "security_focal_point",
                recordID: userID.uuidString, action: named ? .create : .delete,
                before: named ? [:] : ["user_id": userID.uuidString],
                after: named ? ["user_id": userID.uuidString] : [:],
                at: now)
        }
    }

    // MARK: Reading

    /// The person, if in reach. One out of reach and one missing look the same.
    public func find(_ id: PersonID, in scope: PersonnelScope) async throws -> PersonRecord? {
        try await scoped(scope).where("id", .equal, id).first().map(Self.person)
    }

    /// The record linked to an account, if the account has one in the operation.
    public func own(_ userID: UserID, in scope: PersonnelScope) async throws -> PersonRecord? {
        try await scoped(scope).where("user_id", .equal, userID).first().map(Self.person)
    }

    /// Filters for the register.
    public struct Filter: Sendable, Hashable {
        public var search: String?
        public var category: PersonCategory?
        /// Also those who left the operation.
        public var includeLeft: Bool
        public init(search: String? = nil, category: PersonCategory? = nil, includeLeft: Bool = false) {
            self.search = search
            self.category = category
            self.includeLeft = includeLeft
        }
    }

    /// Everyone in reach, by name. A register holds hundreds, at most a few thousand people.
    public func all(in scope: PersonnelScope, filter: Filter = Filter()) async throws -> [PersonRecord] {
        let query = scoped(scope)
        if !filter.includeLeft { query.where("left_at", .is, SQLLiteral.null) }
        if let category = filter.category { query.where("category", .equal, category.rawValue) }
        if let search = filter.search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
            let pattern = SQLBind("%" + SiteStore.escapeLike(search.lowercased()) + "%")
            query.where { group in
                group.where(SQLFunction("LOWER", args: SQLIdentifier("full_name")), .like, pattern)
                    .orWhere(SQLFunction("LOWER", args: SQLIdentifier("job_function")), .like, pattern)
                    .orWhere(SQLFunction("LOWER", args: SQLIdentifier("organisation")), .like, pattern)
            }
        }
        return try await query.orderBy("full_name").orderBy("id").all().map(Self.person)
    }

    /// Names of everyone in reach, those who left included: what movements and lists name people by,
    /// read without the rest of each record.
    public func names(in scope: PersonnelScope) async throws -> [PersonID: String] {
        var names: [PersonID: String] = [:]
        for row in try await database.sql.select().columns("id", "full_name").from("people")
            .where(VisibilityFilter.people(scope)).all()
        {
            names[try row.decode(column: "id", as: PersonID.self)] = try row.decode(
                column: "full_name", as: String.self)
        }
        return names
    }

    /// The places a person was confirmed at, newest first.
    public func history(of id: PersonID, in scope: PersonnelScope, limit: Int = 20) async throws -> [PersonLocation] {
        guard try await find(id, in: scope) != nil else { return [] }
        return try await database.sql.select().column("*").from("person_locations").where("person_id", .equal, id)
            .orderBy("confirmed_at", .descending).limit(limit).all().map {
                try Self.location(
                    $0, prefix: "", at: try $0.decode(column: "confirmed_at", as: Date.self))
            }.compactMap { $0 }
    }

    func scoped(_ scope: PersonnelScope) -> SQLSelectBuilder {
        database.sql.select().column("*").from("people").where(VisibilityFilter.people(scope))
    }

    // MARK: Writing

    /// Adds a person; the caller has checked the scope reaches everyone.
    public func create(_ draft: PersonDraft, scope: PersonnelScope, now: Date) async throws -> PersonRecord {
        try requireKeeper(scope)
        try await checkReferences(draft, in: scope.operationID, excluding: nil)
        let id = PersonID(UUID())
        try await database.writing { db in
            try await Self.insert(
                draft, id: id, operationID: scope.operationID, actorID: scope.actorID, now: now, on: db)
            try await AuditStore(db).append(
                actorID: scope.actorID, operationID: scope.operationID, recordKind: Self.kind,
                recordID: id.uuidString, action: .create, after: Self.snapshot(draft), at: now)
        }
        return PersonRecord(
            id: id, operationID: scope.operationID, draft: draft, leftAt: nil, location: nil, createdAt: now,
            updatedAt: now)
    }

    /// Changes a person's record. Those who reach only themselves may change their own contacts,
    /// languages and emergency contact, never who they are to IFRC or their relocation group.
    public func update(
        _ id: PersonID, with draft: PersonDraft, scope: PersonnelScope, expecting version: String? = nil, now: Date
    ) async throws -> PersonRecord {
        guard let before = try await find(id, in: scope) else {
            throw DomainError(.notFound, key: "error.not_found", "No such person.")
        }
        var next = draft
        if !scope.reachesEveryone { next = Self.ownChanges(draft, onto: before.draft) }
        try await checkReferences(next, in: scope.operationID, excluding: id)
        let final = next
        try await database.writing { db in
            try await db.sql.requireVersion(version, of: "people", id: id, what: "person", now: now)
            try await Self.set(final, on: db.sql.update("people")).set("updated_at", to: now).where("id", .equal, id)
                .run()
            try await AuditStore(db).append(
                actorID: scope.actorID, operationID: scope.operationID, recordKind: Self.kind,
                recordID: id.uuidString, action: .update, before: Self.snapshot(before.draft),
                after: Self.snapshot(final), at: now)
        }
        var after = before
        after.draft = final
        after.updatedAt = now
        return after
    }

    /// What a person may change of their own record: how to reach them.
    static func ownChanges(_ draft: PersonDraft, onto stored: PersonDraft) -> PersonDraft {
        var kept = stored
        kept.languages = draft.languages
        kept.phones = draft.phones
        kept.radioCallSign = draft.radioCallSign
        kept.emergencyContactName = draft.emergencyContactName
        kept.emergencyContactPhone = draft.emergencyContactPhone
        return kept
    }

    /// Marks a person as gone from the operation (out of the headcount), or back.
    public func setLeft(_ id: PersonID, left: Bool, scope: PersonnelScope, now: Date) async throws {
        try requireKeeper(scope)
        guard let before = try await find(id, in: scope) else {
            throw DomainError(.notFound, key: "error.not_found", "No such person.")
        }
        try await database.writing { db in
            try await db.sql.update("people").set("left_at", to: left ? now : nil).set("updated_at", to: now)
                .where("id", .equal, id).run()
            try await AuditStore(db).append(
                actorID: scope.actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, before: ["left_at": before.leftAt.map(DateText.minute)],
                after: ["left_at": left ? DateText.minute(now) : nil], at: now)
        }
    }

    /// Records where a person is now. `areaPcode` is the area the place lies in, settled by the
    /// caller for points (the boundaries); for a site it is the site's own. Confirming is allowed
    /// to those who keep the register and to the person (their own scope finds only them).
    public func confirmLocation(
        of id: PersonID, place: PersonPlace, areaPcode: String?, source: LocationSource, note: String,
        scope: PersonnelScope, now: Date, confirmedAt: Date? = nil
    ) async throws -> PersonLocation {
        guard try await find(id, in: scope) != nil else {
            throw DomainError(.notFound, key: "error.not_found", "No such person.")
        }
        var area = areaPcode
        switch place {
        case .site(let siteID):
            guard
                let site = try await database.sql.select().column("area_pcode").from("sites")
                    .where("id", .equal, siteID).where("operation_id", .equal, scope.operationID).first()
            else {
                throw DomainError(.invalid, field: "site", key: "error.person_site", "No such site in this operation.")
            }
            area = try site.decode(column: "area_pcode", as: String?.self)
        case .area(let pcode):
            guard try await AreaStore(database).find(operationID: scope.operationID, pcode: pcode) != nil else {
                throw DomainError(
                    .invalid, field: "area", key: "error.pcode_unknown",
                    "No admin area of this operation has the P-code \(pcode).")
            }
            area = pcode
        case .point: break
        }
        let location = PersonLocation(
            place: place, areaPcode: area, confirmedAt: confirmedAt ?? now, confirmedBy: scope.actorID, source: source,
            note: note)
        try await database.writing { db in
            try await Self.writeLocation(location, of: id, operationID: scope.operationID, on: db)
            try await AuditStore(db).append(
                actorID: scope.actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, after: Self.snapshot(location), at: now)
        }
        return location
    }

    static func writeLocation(
        _ location: PersonLocation, of id: PersonID, operationID: OperationID, on db: any Database
    )
        async throws
    {
        let (kind, site, lat, lon, precision) = columns(location.place)
        try await db.sql.update("people")
            .set("location_kind", to: kind).set("location_site_id", to: site)
            .set("location_area_pcode", to: location.areaPcode).set("location_latitude", to: lat)
            .set("location_longitude", to: lon).set("location_precision_m", to: precision)
            .set("location_confirmed_at", to: location.confirmedAt)
            .set("location_confirmed_by", to: location.confirmedBy).set("location_source", to: location.source.rawValue)
            .set("location_note", to: location.note).where("id", .equal, id)
            // An entry made offline and sent late joins the history; it replaces a newer confirmation nowhere.
            .where {
                $0.where("location_confirmed_at", .is, SQLLiteral.null)
                    .orWhere("location_confirmed_at", .lessThanOrEqual, location.confirmedAt)
            }
            .run()
        try await db.sql.insert(into: "person_locations").columns(
            "id", "person_id", "operation_id", "kind", "site_id", "area_pcode", "latitude", "longitude", "precision_m",
            "confirmed_at", "confirmed_by", "source", "note"
        ).values(
            SQLBind(UUID()), SQLBind(id), SQLBind(operationID), SQLBind(kind), SQLBind(site),
            SQLBind(location.areaPcode), SQLBind(lat), SQLBind(lon), SQLBind(precision), SQLBind(location.confirmedAt),
            SQLBind(location.confirmedBy), SQLBind(location.source.rawValue), SQLBind(location.note)
        ).run()
    }

    static func columns(_ place: PersonPlace) -> (String, SiteID?, Double?, Double?, Int?) {
        switch place {
        case .site(let id): ("site", id, nil, nil, nil)
        case .area: ("area", nil, nil, nil, nil)
        case .point(let lat, let lon, let precision): ("point", nil, lat, lon, precision)
        }
    }

    // MARK: Import

    /// What an import did.
    public struct ImportResult: Sendable, Hashable {
        public var created = 0
        public var updated = 0
        public var unchanged = 0
    }

    /// Adds or updates people from roster rows in one transaction: a row matches a stored person by
    /// its id (`external_id`) first, then its e-mail, so a second import of the same roster updates
    /// and never duplicates; `fields` are the columns the file has, the only fields it changes. A
    /// row's account is checked as for the form. The caller has refused duplicates within the file.
    public func importPeople(
        _ rows: [PersonDraft], fields: Set<PersonDraft.Field> = Set(PersonDraft.Field.allCases), scope: PersonnelScope,
        now: Date
    ) async throws -> ImportResult {
        try requireKeeper(scope)
        let stored = try await all(in: scope, filter: Filter(includeLeft: true))
        let byExternal = Dictionary(
            stored.compactMap { p in p.draft.externalID.map { ($0, p) } }, uniquingKeysWith: { a, _ in a })
        let byEmail = Dictionary(
            stored.compactMap { p in p.draft.email.map { ($0, p) } }, uniquingKeysWith: { a, _ in a })
        return try await database.writing { db in
            var result = ImportResult()
            let store = PersonStore(db)
            for draft in rows {
                let match = draft.externalID.flatMap { byExternal[$0] } ?? draft.email.flatMap { byEmail[$0] }
                if let match {
                    // The file's columns only: the account, the places and what it has no column for stay.
                    var next = match.draft.merging(draft, fields: fields)
                    if next.userID == nil { next.userID = draft.userID }
                    next = Self.keepingWrittenNumbers(next, stored: match.draft)
                    if next == match.draft {
                        result.unchanged += 1
                        continue
                    }
                    try await store.checkReferences(next, in: scope.operationID, excluding: match.id)
                    try await Self.set(next, on: db.sql.update("people")).set("updated_at", to: now)
                        .where("id", .equal, match.id).run()
                    try await AuditStore(db).append(
                        actorID: scope.actorID, operationID: scope.operationID, recordKind: Self.kind,
                        recordID: match.id.uuidString, action: .update, before: Self.snapshot(match.draft),
                        after: Self.snapshot(next), at: now)
                    result.updated += 1
                } else {
                    try await store.checkReferences(draft, in: scope.operationID, excluding: nil)
                    let id = PersonID(UUID())
                    try await Self.insert(
                        draft, id: id, operationID: scope.operationID, actorID: scope.actorID, now: now, on: db)
                    try await AuditStore(db).append(
                        actorID: scope.actorID, operationID: scope.operationID, recordKind: Self.kind,
                        recordID: id.uuidString, action: .create, after: Self.snapshot(draft), at: now)
                    result.created += 1
                }
            }
            return result
        }
    }

    /// A roster that writes a stored number another way ("+249912345678" for "0912 345 678") does
    /// not change it: the number as the register wrote it is kept.
    static func keepingWrittenNumbers(_ draft: PersonDraft, stored: PersonDraft) -> PersonDraft {
        func kept(_ phone: PhoneNumber, among old: [PhoneNumber]) -> PhoneNumber {
            guard phone.e164 != nil, let same = old.first(where: { $0.kind == phone.kind && $0.e164 == phone.e164 })
            else { return phone }
            return same
        }
        var out = draft
        out.phones = draft.phones.map { kept($0, among: stored.phones) }
        out.emergencyContactPhone = draft.emergencyContactPhone.map {
            kept($0, among: [stored.emergencyContactPhone].compactMap { $0 })
        }
        return out
    }

    // MARK: Views

    /// Records that the reader looked at (or exported) people's personal data: who looked at whom,
    /// and when. `what` names the page or export ("list", "person", "export_csv", …).
    public func recordView(of ids: [PersonID], what: String, scope: PersonnelScope, now: Date) async throws {
        guard !ids.isEmpty else { return }
        try await AuditStore(database).append(
            actorID: scope.actorID, operationID: scope.operationID, recordKind: "personnel_view", recordID: what,
            action: what.hasPrefix("export") ? .export : .view,
            after: ["people": ids.map(\.uuidString).sorted().joined(separator: ", "), "count": String(ids.count)],
            at: now)
    }

    // MARK: Helpers

    func requireKeeper(_ scope: PersonnelScope) throws {
        guard scope.reachesEveryone else {
            throw DomainError(.forbidden, key: "error.forbidden", "Only those who keep the register may do this.")
        }
    }

    /// The account is a member of the operation and not another person's; the sites are the
    /// operation's; the e-mail and the roster id are no one else's.
    func checkReferences(_ draft: PersonDraft, in operationID: OperationID, excluding id: PersonID?) async throws {
        var errors = ValidationErrors()
        if let userID = draft.userID {
            let member = try await database.sql.select().column("user_id").from("memberships")
                .where("operation_id", .equal, operationID).where("user_id", .equal, userID).first()
            if member == nil {
                errors.add("account", key: "error.person_account", "The account is not a member of this operation.")
            } else if try await taken("user_id", userID, operationID, excluding: id) {
                errors.add("account", key: "error.person_account_taken", "Another person has this account.")
            }
        }
        for (field, siteID) in [("residence", draft.residenceSiteID), ("assembly_point", draft.assemblyPointSiteID)] {
            guard let siteID else { continue }
            let site = try await database.sql.select().column("id").from("sites").where("id", .equal, siteID)
                .where("operation_id", .equal, operationID).first()
            if site == nil { errors.add(field, key: "error.person_site", "No such site in this operation.") }
        }
        if let email = draft.email, try await taken("email", email, operationID, excluding: id) {
            errors.add("email", key: "error.person_email_taken", "Another person in the register has \(email).")
        }
        if let external = draft.externalID, try await taken("external_id", external, operationID, excluding: id) {
            errors.add(
                "external_id", key: "error.person_id_taken", "Another person in the register has the id \(external).")
        }
        try errors.throwIfAny()
    }

    func taken(
        _ column: String, _ value: some Encodable & Sendable, _ operationID: OperationID, excluding id: PersonID?
    )
        async throws -> Bool
    {
        let query = database.sql.select().column("id").from("people").where("operation_id", .equal, operationID)
            .where(column, .equal, value)
        if let id { query.where("id", .notEqual, id) }
        return try await query.first() != nil
    }

    static func insert(
        _ draft: PersonDraft, id: PersonID, operationID: OperationID, actorID: UserID?, now: Date, on db: any Database
    ) async throws {
        let d = draft
        try await db.sql.insert(into: "people").columns(
            "id", "operation_id", "full_name", "category", "organisation", "job_function", "origin", "languages",
            "phones", "radio_call_sign", "email", "emergency_contact_name", "emergency_contact_phone", "arrival_at",
            "planned_departure_at", "residence_site_id", "assembly_point_site_id", "relocation_group",
            "relocation_priority", "user_id", "external_id", "manages_team", "relocation_choice", "created_at",
            "created_by", "updated_at"
        ).values(
            SQLBind(id), SQLBind(operationID), SQLBind(d.fullName), SQLBind(d.category.rawValue),
            SQLBind(d.organisation), SQLBind(d.function), SQLBind(d.origin.rawValue),
            SQLBind(d.languages.joined(separator: "\n")), SQLBind(json(d.phones)), SQLBind(d.radioCallSign),
            SQLBind(d.email), SQLBind(d.emergencyContactName), SQLBind(d.emergencyContactPhone.map(json)),
            SQLBind(d.arrivalAt), SQLBind(d.plannedDepartureAt), SQLBind(d.residenceSiteID),
            SQLBind(d.assemblyPointSiteID), SQLBind(d.relocationGroup), SQLBind(d.relocationPriority),
            SQLBind(d.userID), SQLBind(d.externalID), SQLBind(d.manager), SQLBind(d.relocation?.rawValue), SQLBind(now),
            SQLBind(actorID), SQLBind(now)
        ).run()
    }

    static func set(_ d: PersonDraft, on update: SQLUpdateBuilder) -> SQLUpdateBuilder {
        update.set("full_name", to: d.fullName).set("category", to: d.category.rawValue)
            .set("organisation", to: d.organisation).set("job_function", to: d.function)
            .set("origin", to: d.origin.rawValue).set("languages", to: d.languages.joined(separator: "\n"))
            .set("phones", to: json(d.phones)).set("radio_call_sign", to: d.radioCallSign).set("email", to: d.email)
            .set("emergency_contact_name", to: d.emergencyContactName)
            .set("emergency_contact_phone", to: d.emergencyContactPhone.map(json))
            .set("arrival_at", to: d.arrivalAt).set("planned_departure_at", to: d.plannedDepartureAt)
            .set("residence_site_id", to: d.residenceSiteID).set("assembly_point_site_id", to: d.assemblyPointSiteID)
            .set("relocation_group", to: d.relocationGroup).set("relocation_priority", to: d.relocationPriority)
            .set("user_id", to: d.userID).set("external_id", to: d.externalID).set("manages_team", to: d.manager)
            .set("relocation_choice", to: d.relocation?.rawValue)
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    static func decodeJSON<T: Decodable>(_ type: T.Type, _ text: String?) -> T? {
        text.flatMap { try? JSONDecoder().decode(type, from: Data($0.utf8)) }
    }

    /// The phones column read without JSONDecoder, which was about 10 % of the 24/7 list's time at
    /// 2,000 people (BENCHMARKS.md, measured with perf): an array of objects with the string keys `e164`, `kind` and
    /// `text`, as `json(_:)` writes it. Anything else goes to JSONDecoder.
    static func phones(_ text: String) -> [PhoneNumber] {
        if text == "[]" { return [] }
        if let fast = PhoneColumn.parse(text) { return fast }
        return decodeJSON([PhoneNumber].self, text) ?? []
    }

    /// What the audit trail keeps of a person: the fields, as text.
    static func snapshot(_ d: PersonDraft) -> [String: String?] {
        [
            "full_name": d.fullName, "category": d.category.rawValue, "organisation": d.organisation,
            "function": d.function, "origin": d.origin.rawValue, "languages": d.languages.joined(separator: ", "),
            "phones": d.phones.map { "\($0.kind.rawValue): \($0.text)" }.joined(separator: "; "),
            "radio_call_sign": d.radioCallSign, "email": d.email, "emergency_contact_name": d.emergencyContactName,
            "emergency_contact_phone": d.emergencyContactPhone?.text, "arrival_at": d.arrivalAt.map(DateText.minute),
            "planned_departure_at": d.plannedDepartureAt.map(DateText.minute),
            "residence_site_id": d.residenceSiteID?.uuidString,
            "assembly_point_site_id": d.assemblyPointSiteID?.uuidString,
            "relocation_group": d.relocationGroup, "relocation_priority": d.relocationPriority.map(String.init),
            "user_id": d.userID?.uuidString, "external_id": d.externalID, "manager": d.manager ? "yes" : "no",
            "relocation": d.relocation?.rawValue,
        ]
    }

    static func snapshot(_ location: PersonLocation) -> [String: String?] {
        let place: String
        switch location.place {
        case .site(let id): place = "site \(id.uuidString)"
        case .area(let pcode): place = "area \(pcode)"
        case .point(let lat, let lon, let precision):
            place = "point \(lat), \(lon)" + (precision.map { " ±\($0) m" } ?? "")
        }
        return ["location": place, "location_source": location.source.rawValue, "location_note": location.note]
    }

    static func person(_ row: any SQLRow) throws -> PersonRecord {
        let draft = PersonDraft(
            fullName: try row.decode(column: "full_name", as: String.self),
            category: PersonCategory(rawValue: try row.decode(column: "category", as: String.self)) ?? .visitor,
            organisation: try row.decode(column: "organisation", as: String.self),
            function: try row.decode(column: "job_function", as: String.self),
            origin: StaffOrigin(rawValue: try row.decode(column: "origin", as: String.self)) ?? .international,
            languages: try row.decode(column: "languages", as: String.self).split(separator: "\n").map(String.init),
            phones: phones(try row.decode(column: "phones", as: String.self)),
            radioCallSign: try row.decode(column: "radio_call_sign", as: String.self),
            email: try row.decodeOptional(column: "email", as: String.self),
            emergencyContactName: try row.decode(column: "emergency_contact_name", as: String.self),
            emergencyContactPhone: decodeJSON(
                PhoneNumber.self, try row.decodeOptional(column: "emergency_contact_phone", as: String.self)),
            arrivalAt: try row.decodeOptional(column: "arrival_at", as: Date.self),
            plannedDepartureAt: try row.decodeOptional(column: "planned_departure_at", as: Date.self),
            residenceSiteID: try row.decodeOptional(column: "residence_site_id", as: SiteID.self),
            assemblyPointSiteID: try row.decodeOptional(column: "assembly_point_site_id", as: SiteID.self),
            relocationGroup: try row.decode(column: "relocation_group", as: String.self),
            relocationPriority: try row.decodeOptional(column: "relocation_priority", as: Int.self),
            userID: try row.decodeOptional(column: "user_id", as: UserID.self),
            externalID: try row.decodeOptional(column: "external_id", as: String.self),
            manager: try row.decode(column: "manages_team", as: Bool.self),
            relocation: try row.decodeOptional(column: "relocation_choice", as: String.self).flatMap(
                RelocationChoice.init(rawValue:)))
        let confirmedAt = try row.decodeOptional(column: "location_confirmed_at", as: Date.self)
        return PersonRecord(
            id: try row.decode(column: "id", as: PersonID.self),
            operationID: try row.decode(column: "operation_id", as: OperationID.self), draft: draft,
            leftAt: try row.decodeOptional(column: "left_at", as: Date.self),
            location: try confirmedAt.flatMap { try location(row, prefix: "location_", at: $0) },
            createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }

    /// A location from a `people` row (`location_…` columns) or a `person_locations` row.
    static func location(_ row: any SQLRow, prefix: String, at: Date) throws -> PersonLocation? {
        let place: PersonPlace
        switch try row.decodeOptional(column: prefix + "kind", as: String.self) {
        case "site":
            guard let site = try row.decodeOptional(column: prefix + "site_id", as: SiteID.self) else { return nil }
            place = .site(site)
        case "area":
            guard let pcode = try row.decodeOptional(column: prefix + "area_pcode", as: String.self) else { return nil }
            place = .area(pcode)
        case "point":
            guard let lat = try row.decodeOptional(column: prefix + "latitude", as: Double.self),
                let lon = try row.decodeOptional(column: prefix + "longitude", as: Double.self)
            else { return nil }
            place = .point(
                latitude: lat, longitude: lon,
                precisionMeters: try row.decodeOptional(column: prefix + "precision_m", as: Int.self))
        default: return nil
        }
        return PersonLocation(
            place: place, areaPcode: try row.decodeOptional(column: prefix + "area_pcode", as: String.self),
            confirmedAt: at, confirmedBy: try row.decodeOptional(column: prefix + "confirmed_by", as: UserID.self),
            source: LocationSource(rawValue: try row.decodeOptional(column: prefix + "source", as: String.self) ?? "")
                ?? .radioRoom,
            note: try row.decodeOptional(column: prefix + "note", as: String.self) ?? "")
    }
}

/// A small reader for the phones column's own JSON (see `PersonStore.phones`): strings with the
/// escapes JSONEncoder writes; nil at the first thing it does not expect.
enum PhoneColumn {
    static func parse(_ text: String) -> [PhoneNumber]? {
        var bytes = Array(text.utf8)[...]
        func skip(_ b: UInt8) -> Bool {
            while let c = bytes.first, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { bytes.removeFirst() }
            guard bytes.first == b else { return false }
            bytes.removeFirst()
            return true
        }
        func string() -> String? {
            guard skip(0x22) else { return nil }
            var out: [UInt8] = []
            while let b = bytes.first {
                bytes.removeFirst()
                switch b {
                case 0x22: return String(decoding: out, as: UTF8.self)
                case 0x5C:
                    guard let e = bytes.first else { return nil }
                    bytes.removeFirst()
                    switch e {
                    case 0x22, 0x5C, 0x2F: out.append(e)
                    case 0x6E: out.append(0x0A)
                    case 0x74: out.append(0x09)
                    case 0x72: out.append(0x0D)
                    default: return nil  // \u and the rest: leave to JSONDecoder
                    }
                default: out.append(b)
                }
            }
            return nil
        }
        guard skip(0x5B) else { return nil }
        var phones: [PhoneNumber] = []
        while !skip(0x5D) {
            if !phones.isEmpty && !skip(0x2C) { return nil }
            guard skip(0x7B) else { return nil }
            var e164: String?, kind: PhoneNumber.Kind?, text: String?
            var first = true
            while !skip(0x7D) {
                if !first && !skip(0x2C) { return nil }
                first = false
                guard let key = string(), skip(0x3A) else { return nil }
                while let c = bytes.first, c == 0x20 { bytes.removeFirst() }
                if bytes.starts(with: Array("null".utf8)) {
                    bytes.removeFirst(4)
                    continue
                }
                guard let value = string() else { return nil }
                switch key {
                case "e164": e164 = value
                case "kind": kind = PhoneNumber.Kind(rawValue: value)
                case "text": text = value
                default: return nil
                }
            }
            guard let kind, let text else { return nil }
            phones.append(PhoneNumber(kind: kind, text: text, e164: e164))
        }
        return bytes.isEmpty ? phones : nil
    }
}
