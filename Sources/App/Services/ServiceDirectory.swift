import Domain
import Fluent
import Foundation
import Geo
import Interop
import Persistence

/// The referral directory's imports and exports in Open Referral HSDS, and a site's referral
/// pathway. Shared by the pages, the API and the command line.
struct ServiceDirectory {
    let database: any Database
    let areaShapes: AreaShapeCache

    /// What an import did, in lines for a page or a terminal.
    struct Report: Sendable {
        var file: String
        var version = "3.0"
        var read = 0
        var counts = ServiceStore.ImportCounts()
        /// Entries refused, each with where and why.
        var rejected: [String] = []
        /// Rows or values left out of entries that were taken.
        var warnings: [String] = []

        var lines: [String] {
            [
                "HSDS \(version): \(read) service(s) read: \(counts.added) added, \(counts.updated) updated, \(counts.unchanged) unchanged, \(rejected.count) not imported."
            ]
                + rejected + warnings
        }
    }

    /// Reads an HSDS file (ZIP of CSV tables, a folder, tabular or nested JSON), checks every entry
    /// with the one decoder, and stores what passed in one transaction. A file that cannot be read
    /// at all stores nothing and says why (`HSDSReader.Failure`).
    func importHSDS(
        _ read: HSDSReader.Result, file: String, into operation: OperationRecord, scope: Scope, actorID: UserID?,
        now: Date
    ) async throws -> Report {
        var report = Report(file: file, version: read.version)
        report.read = Set(read.entries.map(\.serviceID)).count
        var accepted: [ServiceStore.Imported] = []
        let (_, locator) = try await areaShapes.shapes(for: operation, on: database)
        for problem in read.problems {
            if problem.skipped {
                report.rejected.append(problem.description)
            } else {
                report.warnings.append(problem.description)
            }
        }
        for entry in read.entries {
            do {
                var draft = try entry.input.decoded(today: now)
                // An imported service names no site of ours.
                draft.location?.siteID = nil
                let area = draft.location.flatMap { place in
                    place.latitude.flatMap { lat in
                        place.longitude.flatMap { lon in locator.locate(Coordinate(longitude: lon, latitude: lat)).first
                        }
                    }
                }
                accepted.append(
                    .init(
                        draft: draft,
                        origin: .init(
                            serviceID: entry.serviceID, organizationID: entry.organizationID,
                            locationID: entry.locationID, linkID: entry.linkID), areaPcode: area))
            } catch {
                report.rejected.append(
                    "\(entry.origin) (\(entry.input.name)): "
                        + error.errors.map { "\($0.field ?? ""): \($0.message)" }.joined(separator: "; ")
                        + " (not imported)")
            }
        }
        report.counts = try await ServiceStore(database).importEntries(
            accepted, scope: scope, actorID: actorID, now: now)
        let summary: [String: String?] = [
            "added": String(report.counts.added), "updated": String(report.counts.updated),
            "unchanged": String(report.counts.unchanged), "rejected": String(report.rejected.count),
        ]
        try await database.writing { db in
            try await AuditStore(db).append(
                actorID: actorID, operationID: operation.id, recordKind: "service_import", recordID: file,
                action: .create, after: summary, at: now)
        }
        return report
    }

    /// The decoder's draft, with a site that must be one the reader sees in this operation.
    static func checked(_ input: ServiceInput, visibleSites: [SiteRecord], now: Date) throws(ValidationErrors)
        -> ServiceDraft
    {
        let draft = try input.decoded(today: now)
        if let site = draft.location?.siteID, !visibleSites.contains(where: { $0.id == site }) {
            var errors = ValidationErrors()
            errors.add("site_id", key: "error.choose", "No such site in this operation.")
            throw errors
        }
        return draft
    }

    /// The directory as the HSDS writer takes it.
    func entries(in scope: Scope) async throws -> [HSDSWriter.Entry] {
        try await ServiceStore(database).all(in: scope).map(Self.entry)
    }

    static func entry(_ record: ServiceRecord) -> HSDSWriter.Entry {
        HSDSWriter.Entry(
            serviceID: record.hsdsServiceId, organizationID: record.hsdsOrganizationId,
            locationID: record.hsdsLocationId, linkID: record.hsdsLinkId, draft: record.draft,
            lastModified: record.updatedAt)
    }

    /// The area a point falls in, by the operation's boundaries.
    func area(of draft: ServiceDraft, in operation: OperationRecord) async throws -> String? {
        guard let lat = draft.location?.latitude, let lon = draft.location?.longitude else { return nil }
        let (_, locator) = try await areaShapes.shapes(for: operation, on: database)
        return locator.locate(Coordinate(longitude: lon, latitude: lat)).first
    }

    /// A site's referral pathway: the services there, then those in its area, then the nearest
    /// within `radiusKm`, each group by sector. Inactive services are left out; a service that takes
    /// no referrals is kept (people can still be told of it) and marked so on the page.
    struct Pathway: Sendable {
        var atSite: [ServiceRecord] = []
        var inArea: [ServiceRecord] = []
        var nearby: [(record: ServiceRecord, km: Double)] = []
        var elsewhere: [ServiceRecord] = []
    }

    static func pathway(for site: SiteRecord, services: [ServiceRecord], radiusKm: Double = 50) -> Pathway {
        var pathway = Pathway()
        for service in services where service.status == ServiceStatus.active.rawValue {
            if service.siteId == site.id {
                pathway.atSite.append(service)
            } else if let area = site.areaPcode, let own = service.areaPcode, own.hasPrefix(area) || area.hasPrefix(own)
            {
                pathway.inArea.append(service)
            } else if let lat = service.latitude, let lon = service.longitude {
                let km = Self.kilometres(site.latitude, site.longitude, lat, lon)
                if km <= radiusKm { pathway.nearby.append((service, km)) }
            } else {
                // A helpline has no place: it reaches everyone.
                pathway.elsewhere.append(service)
            }
        }
        pathway.nearby.sort { $0.km < $1.km }
        return pathway
    }

    /// Great-circle distance in km (Geo's haversine).
    static func kilometres(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        Coordinate(longitude: lon1, latitude: lat1).distance(to: Coordinate(longitude: lon2, latitude: lat2)) / 1_000
    }
}
