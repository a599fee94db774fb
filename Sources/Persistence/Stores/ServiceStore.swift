import Domain
import FluentKit
import Foundation
import SQLKit

/// One entry of the referral directory: a service at a location (or at none), as stored.
public struct ServiceRecord: Codable, Sendable, Hashable {
    public var id: ServiceID
    public var operationId: OperationID
    public var importKey: String
    public var hsdsServiceId: String
    public var hsdsOrganizationId: String
    public var hsdsLocationId: String?
    public var hsdsLinkId: String?
    public var organization: String
    public var name: String
    public var description: String?
    public var status: String
    public var url: String?
    public var email: String?
    public var phones: String
    public var hours: String
    public var hoursNote: String?
    public var eligibility: String?
    public var minimumAge: Int?
    public var maximumAge: Int?
    public var languages: String
    public var fees: String?
    public var acceptsReferrals: Bool
    public var consentRequired: Bool
    public var referralFocalPoint: String?
    public var populationTypes: String
    public var sectors: String
    public var lastVerifiedOn: Date?
    public var verifiedBy: String?
    public var locationName: String?
    public var address: String?
    public var latitude: Double?
    public var longitude: Double?
    public var areaPcode: String?
    public var siteId: SiteID?
    public var createdBy: UserID?
    public var createdAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, organization, name, description, status, url, email, phones, hours, eligibility, languages, fees
        case sectors, address, latitude, longitude
        case operationId = "operation_id", importKey = "import_key", hsdsServiceId = "hsds_service_id"
        case hsdsOrganizationId = "hsds_organization_id", hsdsLocationId = "hsds_location_id"
        case hsdsLinkId = "hsds_link_id", hoursNote = "hours_note", minimumAge = "minimum_age"
        case maximumAge = "maximum_age", acceptsReferrals = "accepts_referrals", consentRequired = "consent_required"
        case referralFocalPoint = "referral_focal_point", populationTypes = "population_types"
        case lastVerifiedOn = "last_verified_on", verifiedBy = "verified_by", locationName = "location_name"
        case areaPcode = "area_pcode", siteId = "site_id", createdBy = "created_by", createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    static func list(_ json: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(json.utf8))) ?? []
    }
    static func json(_ list: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(list)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// The service as a draft: what the form, the pages and the export read. Stored values were
    /// checked on the way in; a line that no longer reads is left out rather than failing the page.
    public var draft: ServiceDraft {
        ServiceDraft(
            organization: organization, name: name, description: description,
            status: ServiceStatus(rawValue: status) ?? .inactive, url: url, email: email,
            phones: Self.list(phones).compactMap { try? ServicePhone.parse($0).get() },
            hours: Self.list(hours).compactMap { try? ServiceHours.parse($0).get() }, hoursNote: hoursNote,
            eligibility: eligibility, minimumAge: minimumAge, maximumAge: maximumAge, languages: Self.list(languages),
            fees: fees, acceptsReferrals: acceptsReferrals, consentRequired: consentRequired,
            referralFocalPoint: referralFocalPoint,
            populationTypes: Self.list(populationTypes).compactMap(PopulationType.init(rawValue:)),
            sectors: Self.list(sectors).compactMap(IFRCSector.init(rawValue:)), lastVerifiedOn: lastVerifiedOn,
            verifiedBy: verifiedBy,
            location: locationName.map {
                ServiceLocationDraft(
                    name: $0, address: address, latitude: latitude, longitude: longitude, siteID: siteId)
            })
    }

    /// Is it a place referrals may go to now?
    public var takesReferrals: Bool { acceptsReferrals && status == ServiceStatus.active.rawValue }

    mutating func apply(_ draft: ServiceDraft, areaPcode: String?) {
        organization = draft.organization
        name = draft.name
        description = draft.description
        status = draft.status.rawValue
        url = draft.url
        email = draft.email
        phones = Self.json(draft.phones.map(\.line))
        hours = Self.json(draft.hours.map(\.line))
        hoursNote = draft.hoursNote
        eligibility = draft.eligibility
        minimumAge = draft.minimumAge
        maximumAge = draft.maximumAge
        languages = Self.json(draft.languages)
        fees = draft.fees
        acceptsReferrals = draft.acceptsReferrals
        consentRequired = draft.consentRequired
        referralFocalPoint = draft.referralFocalPoint
        populationTypes = Self.json(draft.populationTypes.map(\.rawValue))
        sectors = Self.json(draft.sectors.map(\.rawValue))
        lastVerifiedOn = draft.lastVerifiedOn
        verifiedBy = draft.verifiedBy
        locationName = draft.location?.name
        address = draft.location?.address
        latitude = draft.location?.latitude
        longitude = draft.location?.longitude
        siteId = draft.location?.siteID
        self.areaPcode = draft.location?.latitude == nil ? nil : areaPcode
    }
}

/// The referral directory of an operation. Every member reads it
/// (`AccessPolicy.canViewServiceDirectory`); a `Scope` exists only for a member, so every read takes one.
public struct ServiceStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    static let kind = "service"

    /// Filters for the directory list.
    public struct Filter: Sendable, Hashable {
        public var sector: IFRCSector?
        public var populationType: PopulationType?
        public var takesReferrals = false
        public var search = ""
        public init(
            sector: IFRCSector? = nil, populationType: PopulationType? = nil, takesReferrals: Bool = false,
            search: String = ""
        ) {
            self.sector = sector
            self.populationType = populationType
            self.takesReferrals = takesReferrals
            self.search = search
        }
    }

    /// Where an entry came from when it was imported (HSDS ids); nil for one made in Bearing.
    public struct Origin: Sendable, Hashable {
        public var serviceID: String
        public var organizationID: String
        public var locationID: String?
        public var linkID: String?
        public init(serviceID: String, organizationID: String, locationID: String?, linkID: String?) {
            self.serviceID = serviceID
            self.organizationID = organizationID
            self.locationID = locationID
            self.linkID = linkID
        }
        var importKey: String { serviceID + "@" + (linkID ?? "") }
    }

    /// Creates an entry; the caller has checked `AccessPolicy.canManageServiceDirectory`.
    public func create(
        _ draft: ServiceDraft, areaPcode: String?, origin: Origin? = nil, scope: Scope, actorID: UserID?, now: Date
    ) async throws -> ServiceRecord {
        try await database.writing { db in
            try await Self.insert(
                draft, areaPcode: areaPcode, origin: origin, scope: scope, actorID: actorID, now: now, on: db)
        }
    }

    static func insert(
        _ draft: ServiceDraft, areaPcode: String?, origin: Origin?, scope: Scope, actorID: UserID?, now: Date,
        on db: any Database
    ) async throws -> ServiceRecord {
        let id = ServiceID(UUID())
        // A service made here takes an organization id from one already in the directory under
        // the same name, so that the export lists the organization once.
        var organizationID = origin?.organizationID
        if organizationID == nil {
            organizationID = try await db.sql.select().column("hsds_organization_id").from("services")
                .where(VisibilityFilter.services(scope)).where("organization", .equal, draft.organization).limit(1)
                .first()?.decode(column: "hsds_organization_id", as: String.self)
        }
        let serviceID = origin?.serviceID ?? id.uuidString.lowercased()
        var row = ServiceRecord(
            id: id, operationId: scope.operationID,
            importKey: origin?.importKey ?? serviceID + "@", hsdsServiceId: serviceID,
            hsdsOrganizationId: organizationID ?? UUID().uuidString.lowercased(),
            hsdsLocationId: origin?.locationID, hsdsLinkId: origin?.linkID, organization: "", name: "", status: "",
            phones: "[]", hours: "[]", languages: "[]", acceptsReferrals: false, consentRequired: true,
            populationTypes: "[]", sectors: "[]", createdBy: actorID, createdAt: now, updatedAt: now)
        row.apply(draft, areaPcode: areaPcode)
        if row.hsdsLocationId == nil, draft.location != nil { row.hsdsLocationId = UUID().uuidString.lowercased() }
        try await db.sql.insert(into: "services").model(row).run()
        try await AuditStore(db).append(
            actorID: actorID, operationID: scope.operationID, recordKind: kind, recordID: id.uuidString,
            action: .create, after: snapshot(row), at: now)
        return row
    }

    /// Changes an entry; the caller has checked `AccessPolicy.canManageServiceDirectory`.
    public func update(
        _ id: ServiceID, with draft: ServiceDraft, areaPcode: String?, scope: Scope, actorID: UserID?,
        expecting version: String? = nil, now: Date
    ) async throws -> ServiceRecord {
        try await database.writing { db in
            guard let before = try await ServiceStore(db).find(id, in: scope) else {
                throw DomainError(.notFound, key: "error.not_found", "No such service.")
            }
            try await db.sql.requireVersion(version, of: "services", id: id, what: "service", now: now)
            return try await Self.replace(before, with: draft, areaPcode: areaPcode, actorID: actorID, now: now, on: db)
        }
    }

    static func replace(
        _ before: ServiceRecord, with draft: ServiceDraft, areaPcode: String?, actorID: UserID?, now: Date,
        on db: any Database
    ) async throws -> ServiceRecord {
        var after = before
        after.apply(draft, areaPcode: areaPcode)
        if after.hsdsLocationId == nil, draft.location != nil { after.hsdsLocationId = UUID().uuidString.lowercased() }
        after.updatedAt = now
        // `.asNil`: a value taken away is cleared (by default SQLKit leaves nil fields out of the SET).
        try await db.sql.update("services").set(model: after, nilEncodingStrategy: .asNil).where(
            "id", .equal, before.id
        ).run()
        try await AuditStore(db).append(
            actorID: actorID, operationID: before.operationId, recordKind: kind, recordID: before.id.uuidString,
            action: .update, before: snapshot(before), after: snapshot(after), at: now)
        return after
    }

    /// Removes an entry; the audit trail keeps its last state.
    public func delete(_ id: ServiceID, scope: Scope, actorID: UserID?, now: Date) async throws {
        try await database.writing { db in
            guard let before = try await ServiceStore(db).find(id, in: scope) else {
                throw DomainError(.notFound, key: "error.not_found", "No such service.")
            }
            try await db.sql.delete(from: "services").where("id", .equal, id).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: before.operationId, recordKind: Self.kind, recordID: id.uuidString,
                action: .delete, before: Self.snapshot(before), at: now)
        }
    }

    /// What an import did.
    public struct ImportCounts: Sendable, Hashable {
        public var added = 0
        public var updated = 0
        public var unchanged = 0
        public init() {}
    }

    /// One checked entry of an import.
    public struct Imported: Sendable {
        public var draft: ServiceDraft
        public var origin: Origin
        public var areaPcode: String?
        public init(draft: ServiceDraft, origin: Origin, areaPcode: String?) {
            self.draft = draft
            self.origin = origin
            self.areaPcode = areaPcode
        }
    }

    /// Adds what is new and updates what changed, by HSDS ids, all or nothing: an entry imported
    /// before keeps its Bearing id (and so its referrals).
    public func importEntries(_ entries: [Imported], scope: Scope, actorID: UserID?, now: Date) async throws
        -> ImportCounts
    {
        try await database.writing { db in
            var counts = ImportCounts()
            for entry in entries {
                let existing = try await db.sql.select().column("*").from("services")
                    .where(VisibilityFilter.services(scope)).where("import_key", .equal, entry.origin.importKey)
                    .first()?.decode(model: ServiceRecord.self)
                if let existing {
                    var probe = existing
                    probe.apply(entry.draft, areaPcode: entry.areaPcode)
                    probe.hsdsLocationId = entry.origin.locationID ?? existing.hsdsLocationId
                    if probe == existing {
                        counts.unchanged += 1
                        continue
                    }
                    _ = try await Self.replace(
                        existing, with: entry.draft, areaPcode: entry.areaPcode, actorID: actorID, now: now, on: db)
                    counts.updated += 1
                } else {
                    _ = try await Self.insert(
                        entry.draft, areaPcode: entry.areaPcode, origin: entry.origin, scope: scope, actorID: actorID,
                        now: now, on: db)
                    counts.added += 1
                }
            }
            return counts
        }
    }

    /// The entry, if it is in the scope's operation.
    public func find(_ id: ServiceID, in scope: Scope) async throws -> ServiceRecord? {
        try await database.sql.select().column("*").from("services").where("id", .equal, id)
            .where(VisibilityFilter.services(scope)).first()?.decode(model: ServiceRecord.self)
    }

    /// One page of the directory, by name.
    public func list(in scope: Scope, filter: Filter = Filter(), page: Paging) async throws -> ResultPage<ServiceRecord>
    {
        try await database.sql.page(
            page, from: "services", filter: { Self.filtered($0, scope, filter) },
            order: { $0.orderBy("name").orderBy("location_name").orderBy("id") },
            decode: { try $0.decode(model: ServiceRecord.self) })
    }

    /// Every entry of the directory that `filter` keeps (the export, the map, a site's referral
    /// pathway), by name.
    public func all(in scope: Scope, filter: Filter = Filter()) async throws -> [ServiceRecord] {
        try await Self.filtered(database.sql.select().column("*").from("services"), scope, filter)
            .orderBy("name").orderBy("location_name").orderBy("id").all().map {
                try $0.decode(model: ServiceRecord.self)
            }
    }

    static func filtered(_ builder: SQLSelectBuilder, _ scope: Scope, _ filter: Filter) -> SQLSelectBuilder {
        builder.where(VisibilityFilter.services(scope))
        if let sector = filter.sector {
            builder.where("sectors", .like, "%\"" + sector.rawValue + "\"%")
        }
        if let type = filter.populationType {
            builder.where("population_types", .like, "%\"" + type.rawValue + "\"%")
        }
        if filter.takesReferrals {
            builder.where("accepts_referrals", .equal, true).where("status", .equal, ServiceStatus.active.rawValue)
        }
        let search = filter.search.trimmingCharacters(in: .whitespaces).lowercased()
        if !search.isEmpty {
            let pattern = SQLBind("%" + SiteStore.escapeLike(search) + "%")
            builder.where(group: { group in
                group.where(SQLFunction("LOWER", args: SQLIdentifier("name")), .like, pattern)
                    .orWhere(SQLFunction("LOWER", args: SQLIdentifier("organization")), .like, pattern)
                    .orWhere(SQLFunction("LOWER", args: SQLIdentifier("location_name")), .like, pattern)
            })
        }
        return builder
    }

    /// How many entries the directory holds.
    public func count(in scope: Scope) async throws -> Int {
        try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("services")
            .where(VisibilityFilter.services(scope)).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    static func snapshot(_ row: ServiceRecord) -> [String: String?] {
        [
            "organization": row.organization, "name": row.name, "description": row.description, "status": row.status,
            "url": row.url, "email": row.email, "phones": row.phones, "hours": row.hours, "hours_note": row.hoursNote,
            "eligibility": row.eligibility, "minimum_age": row.minimumAge.map(String.init),
            "maximum_age": row.maximumAge.map(String.init), "languages": row.languages, "fees": row.fees,
            "accepts_referrals": String(row.acceptsReferrals), "consent_required": String(row.consentRequired),
            "referral_focal_point": row.referralFocalPoint, "population_types": row.populationTypes,
            "sectors": row.sectors, "last_verified_on": row.lastVerifiedOn.map(DateText.day),
            "verified_by": row.verifiedBy, "location_name": row.locationName, "address": row.address,
            "latitude": row.latitude.map { String($0) }, "longitude": row.longitude.map { String($0) },
            "area_pcode": row.areaPcode, "site_id": row.siteId?.uuidString,
        ]
    }
}
