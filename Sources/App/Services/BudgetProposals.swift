import Domain
import Fluent
import Foundation
import Persistence
import Vapor
import Views

/// What a budget proposal is made from, read from the operation as it stands: the phase in force
/// where each site and person is (the nearest area declared), the people present with the courses
/// they hold, and the vehicles named on movements in the last 90 days.
enum BudgetProposals {
    static func basis(_ operation: OperationRecord, app: Application, months: Int, vehicles: Int?, now: Date)
        async throws -> BudgetBasis
    {
        let db = app.db
        let inForce = try await PhaseStore(db).inForce(in: operation.id).mapValues(\.to)
        let (shapes, _) = try await app.areaShapes.shapes(for: operation, on: db)
        let hierarchy = AreaHierarchy(shapes.map { ($0.row.pcode, $0.row.level, $0.row.parentPcode) })
        let scope = AccessPolicy.audienceScope(in: operation.id, audience: .ifrcOnly)
        let siteRecords = try await SiteStore(db).all(in: scope)
        let siteAreas = Dictionary(siteRecords.map { ($0.id, $0.areaPcode) }, uniquingKeysWith: { a, _ in a })
        let rules = try await SettingsStore(db).load(PhaseSettings.self, operationID: operation.id).rules
        let highest = inForce.values.max { (rules.rank($0) ?? 0) < (rules.rank($1) ?? 0) }
        func phase(_ pcode: String?) -> String? { pcode.flatMap { hierarchy.nearest($0, in: inForce) } }
        let sites = siteRecords.compactMap { s in
            SiteType(rawValue: s.type).map {
                BudgetBasis.Site(id: s.id.uuidString, name: s.name, type: $0, phase: phase(s.areaPcode))
            }
        }
        let keeper = AccessPolicy.operatorPersonnelScope(in: operation.id)
        let present = try await PersonStore(db).all(in: keeper).filter { $0.isPresent(at: now) }
        let today = operation.time.calendarDay(now)
        var holds: [PersonID: Set<String>] = [:]
        for row in try await ReadinessStore(db).trainings(in: keeper)
        where row.record.expiresOn.map({ $0 >= today }) ?? true {
            holds[row.personID, default: []].insert(row.record.course)
        }
        let people = present.map { p in
            BudgetBasis.Person(
                category: p.draft.category, manager: p.draft.manager,
                phase: p.draft.residenceSiteID.flatMap { siteAreas[$0] ?? nil }.flatMap(phase) ?? highest,
                holds: holds[p.id] ?? [])
        }
        var vehicleCount = vehicles ?? 0
        if vehicles == nil { vehicleCount = try await estimatedVehicles(operation, db: db, now: now) }
        return BudgetBasis(
            phases: inForce, sites: sites, people: people, vehicles: vehicleCount, months: months,
            training: try await SettingsStore(db).load(TrainingSettings.self, operationID: operation.id))
    }

    /// Vehicles named on the movements of the last 90 days ("LC-12, LC-14" counts two).
    static func estimatedVehicles(_ operation: OperationRecord, db: any Database, now: Date) async throws -> Int {
        let movements = try await MovementStore(db).board(
            in: AccessPolicy.operatorPersonnelScope(in: operation.id), closedSince: now.addingTimeInterval(-90 * 86_400)
        )
        var names: Set<String> = []
        for m in movements {
            for part in m.draft.vehicles.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isNewline }) {
                let name = part.trimmingCharacters(in: .whitespaces).lowercased()
                if !name.isEmpty { names.insert(name) }
            }
        }
        return names.count
    }

    /// The proposal in the writer's language, as lines to store.
    static func lines(_ basis: BudgetBasis, t: Strings) -> [(basis: String, draft: BudgetLineDraft)] {
        BudgetProposal.propose(basis).map { line in
            var description = t(line.descriptionKey)
            for (key, value) in line.values {
                description = description.replacingOccurrences(
                    of: "{\(key)}", with: key == "phase" ? t.phase(value) : value)
            }
            return (
                line.basis,
                BudgetLineDraft(
                    category: line.category, description: description, quantity: line.quantity, unit: t(line.unitKey),
                    driver: t(line.driverKey))
            )
        }
    }
}
