import Domain
import Fluent
import FluentKit
import Foundation
import Geo
import Interop
import Persistence

/// Imports OCHA COD-AB boundaries into an operation: validate everything first, then store in one
/// transaction, so a file with any problem leaves the operation as it was.
struct BoundaryImportService {
    let database: any Database

    struct Outcome: Sendable {
        let report: BoundaryImportReport
        let stored: AreaStore.ImportResult?
        var imported: Bool { stored != nil }
        /// Sites moved to another area that the viewer may see (a count is a disclosure too).
        let sitesRelocated: Int
        var eventsRelocated = 0
        /// Own incidents placed by their coordinates that the viewer may see (not the others:
        /// a count is a disclosure too).
        var incidentsPlaced = 0
    }

    /// `viewer` is the importer's scope in the operation, through which the report counts the own
    /// incidents placed; nil counts none.
    func importFile(
        _ data: Data, level: Int?, into operation: OperationRecord, actorID: UserID?, viewer: Scope?, maxBytes: Int,
        now: Date
    ) async throws -> Outcome {
        if data.count > maxBytes {
            throw DomainError(
                .invalid, field: "file", key: "error.too_large",
                "The file is \(data.count / 1_048_576) MB; the limit is \(maxBytes / 1_048_576) MB.")
        }
        let known = try await AreaStore(database).pcodes(operationID: operation.id)
        var report: BoundaryImportReport
        do {
            report = try BoundaryReader.read(data, level: level, knownParentPcodes: known)
        } catch {
            throw DomainError(.invalid, field: "file", key: "error.geojson", error.description)
        }
        let stored = try await AreaStore(database).list(operationID: operation.id).items.map {
            ($0.pcode, $0.level, $0.parentPcode)
        }
        report = report.adding(BoundaryReader.hierarchyProblems(report.features, stored: stored))
        guard report.isImportable else { return Outcome(report: report, stored: nil, sitesRelocated: 0) }
        let inputs = report.features.map {
            AdminAreaInput(
                level: $0.level, pcode: $0.pcode, parentPcode: $0.parentPcode, name: $0.name, names: $0.names,
                geometry: $0.geometry)
        }
        // The areas and everything placed in them, in one transaction: an import stopped half-way
        // (a crash, a kill) must not leave new areas with the records in them still placed in the old.
        let (imported, relocated, eventsMoved, placed) = try await database.writing { db in
            let imported = try await AreaStore(db).importAreas(inputs, into: operation.id, actorID: actorID, now: now)
            let shapes = try await AreaStore(db).shapes(operationID: operation.id)
            let locator = AreaLocator(shapes.map { (id: $0.row.pcode, level: $0.row.level, geometry: $0.geometry) })
            let relocated = try await Self(database: db).relocateSites(
                operationID: operation.id, locator: locator, actorID: actorID, now: now)
            // Published incidents follow the new boundaries too, or the analysis by area would be stale.
            let eventsMoved = try await ContextEventStore(db).placeEvents(
                operationID: operation.id, actorID: actorID, now: now
            ) { longitude, latitude in
                locator.locate(Coordinate(longitude: longitude, latitude: latitude)).first
            }
            // Own incidents reported before there were boundaries (or before the deeper levels) get their area now.
            let placed = try await IncidentStore(db).placeByCoordinates(
                operationID: operation.id, actorID: actorID, now: now
            ) { longitude, latitude in
                locator.locate(Coordinate(longitude: longitude, latitude: latitude))
            }
            return (imported, relocated, eventsMoved, placed)
        }
        let incidents = IncidentStore(database)
        var (sitesSeen, incidentsSeen) = (0, 0)
        if let viewer {
            sitesSeen = try await SiteStore(database).count(of: relocated.map(SiteID.init(rawValue:)), in: viewer)
            incidentsSeen = try await incidents.count(of: placed.map(IncidentID.init(rawValue:)), in: viewer)
        }
        return Outcome(
            report: report, stored: imported, sitesRelocated: sitesSeen, eventsRelocated: eventsMoved,
            incidentsPlaced: incidentsSeen)
    }

    /// Re-resolves the admin area of every site after the boundaries changed; the ids of those moved.
    func relocateSites(operationID: OperationID, locator: AreaLocator, actorID: UserID?, now: Date) async throws
        -> [UUID]
    {
        let sites = SiteStore(database)
        var moves: [(id: UUID, from: String?, to: String?)] = []
        for site in try await sites.coordinatesForMaintenance(operationID: operationID) {
            let resolved = locator.locate(Coordinate(longitude: site.longitude, latitude: site.latitude)).first
            if resolved != site.areaPcode { moves.append((site.id, site.areaPcode, resolved)) }
        }
        try await sites.relocate(moves, operationID: operationID, actorID: actorID, now: now)
        return moves.map(\.id)
    }

    /// The report as plain lines, for the CLI and logs.
    static func lines(for outcome: Outcome) -> [String] {
        var lines: [String] = []
        for (level, count) in outcome.report.featuresPerLevel.sorted(by: { $0.key < $1.key }) {
            lines.append("admin level \(level): \(count) feature(s)")
        }
        if outcome.report.problems.isEmpty {
            lines.append("no problems found")
        } else {
            lines.append("\(outcome.report.problems.count) problem(s):")
            lines += outcome.report.problems.map { "  - \($0.description)" }
        }
        if let stored = outcome.stored {
            lines.append(
                "imported: \(stored.inserted) new area(s), \(stored.updated) updated; \(outcome.sitesRelocated) site(s) and "
                    + "\(outcome.eventsRelocated) published incident(s) re-assigned to areas; \(outcome.incidentsPlaced) own incident(s) "
                    + "placed by their coordinates")
        } else {
            lines.append("nothing was imported: fix the problems above and import the file again")
        }
        return lines
    }
}
