import Domain
import Foundation
import Persistence
import Vapor
import Views

extension APIDTO {
    struct ServicePhone: Content {
        let number: String; let kind: String; let note: String?
    }
    struct ServiceHours: Content {
        let days: [String]; let opensAt: String; let closesAt: String
    }
    struct ServiceLocation: Content {
        let name: String; let address: String?; let latitude: Double?; let longitude: Double?; let areaPcode: String?
        let siteId: SiteID?
    }
    struct Service: Content {
        let id: ServiceID; let hsdsServiceId: String; let organization: String; let name: String
        let description: String?; let status: String; let url: String?; let email: String?; let phones: [ServicePhone]
        let hours: [ServiceHours]; let hoursNote: String?; let eligibility: String?; let minimumAge: Int?
        let maximumAge: Int?; let languages: [String]; let fees: String?; let acceptsReferrals: Bool
        let consentRequired: Bool; let referralFocalPoint: String?; let populationTypes: [String]; let sectors: [String]
        let lastVerifiedOn: String?; let verifiedBy: String?; let location: ServiceLocation?; let updatedAt: Date

        /// `siteVisible` says whether the reader may see the site the service is at; if not, its id is left out.
        init(_ row: ServiceRecord, siteVisible: Bool) {
            let d = row.draft
            id = row.id; hsdsServiceId = row.hsdsServiceId; organization = d.organization; name = d.name
            description = d.description; status = d.status.rawValue; url = d.url; email = d.email
            phones = d.phones.map { ServicePhone(number: $0.number, kind: $0.kind.rawValue, note: $0.note) }
            hours = d.hours.map {
                ServiceHours(days: $0.days.map(\.rawValue), opensAt: $0.opensAt, closesAt: $0.closesAt)
            }
            hoursNote = d.hoursNote; eligibility = d.eligibility; minimumAge = d.minimumAge; maximumAge = d.maximumAge
            languages = d.languages; fees = d.fees; acceptsReferrals = d.acceptsReferrals
            consentRequired = d.consentRequired; referralFocalPoint = d.referralFocalPoint
            populationTypes = d.populationTypes.map(\.rawValue); sectors = d.sectors.map(\.rawValue)
            lastVerifiedOn = d.lastVerifiedOn.map(DateText.day); verifiedBy = d.verifiedBy
            location = d.location.map {
                ServiceLocation(
                    name: $0.name, address: $0.address, latitude: $0.latitude, longitude: $0.longitude,
                    areaPcode: row.areaPcode, siteId: siteVisible ? $0.siteID : nil)
            }
            updatedAt = row.updatedAt
        }
    }
    struct ServiceList: Content { let items: [Service]; let total: Int; let page: Int; let pageCount: Int }

    /// A service as the API takes it: every field optional; one left out keeps its stored value on
    /// PATCH (and the decoder's default on POST). Phones and hours are lines, as the form writes them.
    struct ServiceInput: Content {
        let organization: String?; let name: String?; let description: String?; let status: String?
        let url: String?; let email: String?; let phones: [String]?; let hours: [String]?; let hoursNote: String?
        let eligibility: String?; let minimumAge: Int?; let maximumAge: Int?; let languages: [String]?
        let fees: String?; let acceptsReferrals: Bool?; let consentRequired: Bool?; let referralFocalPoint: String?
        let populationTypes: [String]?; let sectors: [String]?; let lastVerifiedOn: String?; let verifiedBy: String?
        let locationName: String?; let address: String?; let latitude: Double?; let longitude: Double?
        let siteId: String?

        func applied(to base: Domain.ServiceInput) -> Domain.ServiceInput {
            var input = base
            let texts: [(String?, WritableKeyPath<Domain.ServiceInput, String>)] = [
                (organization, \.organization), (name, \.name), (description, \.description), (status, \.status),
                (url, \.url), (email, \.email), (hoursNote, \.hoursNote), (eligibility, \.eligibility),
                (minimumAge.map(String.init), \.minimumAge), (maximumAge.map(String.init), \.maximumAge),
                (fees, \.fees), (acceptsReferrals.map { $0 ? "yes" : "no" }, \.acceptsReferrals),
                (consentRequired.map { $0 ? "yes" : "no" }, \.consentRequired),
                (referralFocalPoint, \.referralFocalPoint), (lastVerifiedOn, \.lastVerifiedOn),
                (verifiedBy, \.verifiedBy), (locationName, \.locationName), (address, \.address),
                (latitude.map { String($0) }, \.latitude), (longitude.map { String($0) }, \.longitude),
                (siteId, \.siteID),
            ]
            for (value, field) in texts { if let value { input[keyPath: field] = value } }
            let lists: [([String]?, WritableKeyPath<Domain.ServiceInput, [String]>)] = [
                (phones, \.phones), (hours, \.hours), (languages, \.languages), (populationTypes, \.populationTypes),
                (sectors, \.sectors),
            ]
            for (value, field) in lists { if let value { input[keyPath: field] = value } }
            return input
        }
    }
}

/// The referral directory in the API: every member reads it; the migration coordinator and the HeOps write it.
struct ServiceAPI {
    static let notFound = APIError(.notFound, code: "not_found", "No such service.")

    func context(_ req: Request, writing: Bool = false) async throws -> (OperationContext, Scope) {
        let context = try await req.apiOperation()
        let scope = try context.requireScope(notFound: APIError(.notFound, code: "not_found", "No such operation."))
        if writing, !AccessPolicy.canManageServiceDirectory(in: context.operation.id, by: context.viewer) {
            throw APIError(.forbidden, code: "forbidden", "Your role does not keep the referral directory.")
        }
        return (context, scope)
    }

    func dto(_ rows: [ServiceRecord], _ context: OperationContext, _ req: Request) async throws -> [APIDTO.Service] {
        let sites = Set(try await context.visibleSites(on: req.db).map(\.id))
        return rows.map { APIDTO.Service($0, siteVisible: $0.siteId.map(sites.contains) ?? false) }
    }

    func list(_ req: Request) async throws -> APIDTO.ServiceList {
        let (context, scope) = try await context(req)
        var filter = ServiceStore.Filter()
        if let sector = req.queryText("sector") {
            guard let parsed = IFRCSector(rawValue: sector) else {
                throw APIError(.badRequest, code: "bad_parameter", "Unknown sector '\(sector)'.")
            }
            filter.sector = parsed
        }
        if let type = req.queryText("population_type") {
            guard let parsed = PopulationType(rawValue: type) else {
                throw APIError(.badRequest, code: "bad_parameter", "Unknown population type '\(type)'.")
            }
            filter.populationType = parsed
        }
        if let referrals = req.queryText("accepts_referrals") {
            guard referrals == "true" else {
                throw APIError(.badRequest, code: "bad_parameter", "accepts_referrals: only 'true'.")
            }
            filter.takesReferrals = true
        }
        filter.search = req.queryText("q") ?? ""
        let result = try await ServiceStore(req.db).list(in: scope, filter: filter, page: try req.apiPaging())
        return APIDTO.ServiceList(
            items: try await dto(result.items, context, req), total: result.total, page: result.page,
            pageCount: result.pageCount)
    }

    func show(_ req: Request) async throws -> Response {
        let (context, scope) = try await context(req)
        guard let id = req.pathID(as: ServiceID.self), let row = try await ServiceStore(req.db).find(id, in: scope)
        else { throw Self.notFound }
        return try await APIVersioning.tagged(
            try await dto([row], context, req)[0], version: EditVersion.token(row.updatedAt), req)
    }

    func create(_ req: Request) async throws -> Response {
        let (context, scope) = try await context(req, writing: true)
        let input = try req.apiBody(APIDTO.ServiceInput.self).applied(to: Domain.ServiceInput())
        let draft = try await checked(input, context, req)
        let directory = ServiceDirectory(database: req.db, areaShapes: req.areaShapes)
        let row = try await ServiceStore(req.db).create(
            draft, areaPcode: try await directory.area(of: draft, in: context.operation), scope: scope,
            actorID: context.current.user.id, now: req.now)
        let response = try await dto([row], context, req)[0].encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(
            name: .location, value: SiteURL.apiService(.value(context.operation.code), .value(row.id)).path)
        return response
    }

    func update(_ req: Request) async throws -> Response {
        let (context, scope) = try await context(req, writing: true)
        guard let id = req.pathID(as: ServiceID.self), let row = try await ServiceStore(req.db).find(id, in: scope)
        else { throw Self.notFound }
        let version = try req.ifMatch()
        let input = try req.apiBody(APIDTO.ServiceInput.self).applied(to: Domain.ServiceInput(row.draft))
        let draft = try await checked(input, context, req)
        let directory = ServiceDirectory(database: req.db, areaShapes: req.areaShapes)
        do {
            let updated = try await ServiceStore(req.db).update(
                row.id, with: draft, areaPcode: try await directory.area(of: draft, in: context.operation),
                scope: scope, actorID: context.current.user.id, expecting: version, now: req.now)
            return try await APIVersioning.tagged(
                try await dto([updated], context, req)[0], version: EditVersion.token(updated.updatedAt), req)
        } catch let error as DomainError where EditVersion.isStale(error) {
            let current = try await ServiceStore(req.db).find(row.id, in: scope)
            throw APIVersioning.stale(current.map { EditVersion.token($0.updatedAt) } ?? "")
        }
    }

    func delete(_ req: Request) async throws -> HTTPStatus {
        let (context, scope) = try await context(req, writing: true)
        guard let id = req.pathID(as: ServiceID.self), try await ServiceStore(req.db).find(id, in: scope) != nil else {
            throw Self.notFound
        }
        try await ServiceStore(req.db).delete(id, scope: scope, actorID: context.current.user.id, now: req.now)
        return .noContent
    }

    func checked(_ input: Domain.ServiceInput, _ context: OperationContext, _ req: Request) async throws
        -> ServiceDraft
    {
        try ServiceDirectory.checked(input, visibleSites: try await context.visibleSites(on: req.db), now: req.now)
    }
}
