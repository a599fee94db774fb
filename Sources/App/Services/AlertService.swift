import Domain
import Foundation
import Persistence
import Vapor
import Views

/// Sending an alert from the page or the API: the one decoder, the operation's phases, the
/// audience resolved from the register, then the store (which queues a job per message).
struct AlertService {
    static func send(_ input: AlertInput, _ p: PersonnelContext, on req: Request) async throws -> AlertRecord {
        let phases = try await SettingsStore(req.db).load(PhaseSettings.self, operationID: p.operation.id).rules.phases
        let draft = try input.decoded(phases: phases)
        let sites = p.context.scope ?? AccessPolicy.unnamedOperatorScope(in: p.operation.id)
        let recipients = try await AlertAudienceService(database: req.db).recipients(
            of: draft, operationID: p.operation.id, people: p.scope, sites: sites, now: req.now)
        return try await AlertStore(req.db).create(draft, recipients: recipients, scope: p.scope, now: req.now)
    }

    /// The audience in words, for the alert's page.
    static func describe(_ audience: AlertAudience, places: PersonnelPlaces, names: [PersonID: String], _ t: Strings)
        -> [String]
    {
        var parts: [String] = audience.everyone ? [t("alert_everyone")] : []
        if !audience.areaPcodes.isEmpty { parts.append(audience.areaPcodes.map(places.area).joined(separator: ", ")) }
        if !audience.siteIDs.isEmpty {
            parts.append(
                audience.siteIDs.map { places.siteNames[$0] ?? t("person_site_hidden") }.joined(separator: ", "))
        }
        if !audience.phases.isEmpty {
            parts.append(audience.phases.map { t("phase.\($0)", or: $0) }.joined(separator: ", "))
        }
        if !audience.roles.isEmpty { parts.append(audience.roles.map { t($0.labelKey) }.joined(separator: ", ")) }
        if let c = audience.circle {
            parts.append(
                "\(DecimalText.fixed(c.radiusKm, digits: 1)) km · \(DecimalText.fixed(c.latitude, digits: 4)), \(DecimalText.fixed(c.longitude, digits: 4))"
            )
        }
        if !audience.personIDs.isEmpty {
            parts.append("+ " + audience.personIDs.map { names[$0] ?? "—" }.joined(separator: ", "))
        }
        return parts
    }

    /// "I need help" answers not yet taken in hand, as the pages show them.
    static func alarms(_ req: Request, _ p: PersonnelContext) async throws -> [HelpAlarm] {
        try await AlertStore(req.db).openAlarms(in: p.scope)
    }

    /// What the monitor found wrong, for those who may see it.
    static func channelProblems(_ req: Request, operationID: OperationID?, viewer: Viewer) async throws -> [String] {
        guard AccessPolicy.canSeeChannelHealth(in: operationID, by: viewer) else { return [] }
        return try await ChannelMonitor.status(req.db, now: req.now).map { found in
            (found.channel.map { req.t($0.labelKey) + ": " } ?? "")
                + found.problems.map(req.strings.channelProblem).joined(separator: req.t("list_separator"))
        }
    }
}
