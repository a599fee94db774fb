import Domain
import Fluent
import Foundation
import Persistence

/// Who an alert reaches: every person present in the register, placed by their last known
/// location (area and the areas holding it, site, point), the phase in force there, and the role of
/// their account; then `AlertAudience.selects`. Shared by the form, the API and `bearing alerts send`.
struct AlertAudienceService {
    let database: any Database

    /// The recipients, with their language and addresses; refuses areas, sites and people that are
    /// not the operation's, saying which.
    func recipients(
        of draft: AlertDraft, operationID: OperationID, people scope: PersonnelScope, sites siteScope: Scope, now: Date
    ) async throws -> [AlertRecipientSeed] {
        var errors = ValidationErrors()
        let areas = try await AreaStore(database).list(operationID: operationID).items
        let known = Set(areas.map(\.pcode))
        if let unknown = draft.audience.areaPcodes.first(where: { !known.contains($0) }) {
            errors.add(
                "areas", key: "error.pcode_unknown", "No admin area of this operation has the P-code \(unknown).")
        }
        let sites = try await SiteStore(database).all(in: siteScope)
        let siteByID = Dictionary(sites.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        if draft.audience.siteIDs.contains(where: { siteByID[$0] == nil }) {
            errors.add("sites", key: "error.alert_site", "A site chosen is not one of this operation's.")
        }
        let people = try await PersonStore(database).all(in: scope).filter { $0.isPresent(at: now) }
        let present = Set(people.map(\.id))
        if draft.audience.personIDs.contains(where: { !present.contains($0) }) {
            errors.add("people", key: "error.alert_person", "A person named is not in the register, or has left.")
        }
        try errors.throwIfAny()

        let hierarchy = AreaHierarchy(areas.map { ($0.pcode, $0.level, $0.parentPcode) })
        let phases = try await PhaseStore(database).inForce(in: operationID).mapValues(\.to)
        let roles = Dictionary(
            try await OperationStore(database).members(of: operationID).compactMap { m in
                Role(rawValue: m.role).map { (m.userId, $0) }
            }, uniquingKeysWith: { a, _ in a })
        return people.compactMap { person in
            let location = person.location
            let lineage = location?.areaPcode.map(hierarchy.lineage(of:)) ?? []
            var siteID: SiteID?
            var point: (latitude: Double, longitude: Double)?
            switch location?.place {
            case .site(let id):
                siteID = id
                point = siteByID[id].map { ($0.latitude, $0.longitude) }
            case .point(let lat, let lon, _): point = (lat, lon)
            case .area, nil: break
            }
            let candidate = AlertCandidate(
                id: person.id, areaLineage: lineage, siteID: siteID, point: point,
                phase: location?.areaPcode.flatMap { hierarchy.nearest($0, in: phases) },
                role: person.draft.userID.flatMap { roles[$0] })
            guard draft.audience.selects(candidate) else { return nil }
            let email = person.draft.email.flatMap { $0.contains("@") ? $0 : nil }
            let mobile = person.draft.phones.first { $0.kind == .mobile && $0.e164 != nil }?.e164
            return AlertRecipientSeed(
                personID: person.id, name: person.draft.fullName, userID: person.draft.userID,
                language: draft.language(for: person.draft.languages),
                email: email, mobile: mobile)
        }
    }
}
