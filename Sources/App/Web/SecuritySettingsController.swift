import Domain
import Foundation
import Persistence
import Vapor
import Views

/// The operation's security settings: the risk matrix, the threat catalogue, the acceptance rule,
/// the phases' approval chain and their catalogue, the emergency numbers, when a location goes stale, each edited as JSON and checked with the others
/// of its group before it is saved (a bad entry is refused whole, and what was stored stays).
struct SecuritySettingsController {
    typealias Edited = (key: String, json: String, error: String)

    func show(_ req: Request) async throws -> Response {
        let context = try await Self.requireEditor(req)
        return try await render(req, context, edited: nil)
    }

    struct SaveForm: Content { var key: String?; var json: String? }

    func save(_ req: Request) async throws -> Response {
        let context = try await Self.requireEditor(req)
        let form = try req.content.decode(SaveForm.self)
        let raw = form.key ?? ""
        do {
            if let key = RiskSettings.Key(rawValue: raw) {
                try await save(RiskSettings.self, key, form.json ?? "", context, req)
            } else if let key = PhaseSettings.Key(rawValue: raw) {
                try await save(PhaseSettings.self, key, form.json ?? "", context, req)
            } else if let key = PlanSettings.Key(rawValue: raw) {
                try await save(PlanSettings.self, key, form.json ?? "", context, req)
            } else if let key = ComplianceSettings.Key(rawValue: raw) {
                try await save(ComplianceSettings.self, key, form.json ?? "", context, req)
            } else if let key = SiteChecklistSettings.Key(rawValue: raw) {
                try await save(SiteChecklistSettings.self, key, form.json ?? "", context, req)
            } else if let key = EmergencyContacts.Key(rawValue: raw) {
                try await save(EmergencyContacts.self, key, form.json ?? "", context, req)
            } else if let key = DutyOfCareSettings.Key(rawValue: raw) {
                try await save(DutyOfCareSettings.self, key, form.json ?? "", context, req)
            } else if let key = TrainingSettings.Key(rawValue: raw) {
                try await save(TrainingSettings.self, key, form.json ?? "", context, req)
            } else if let key = MovementSettings.Key(rawValue: raw) {
                try await save(MovementSettings.self, key, form.json ?? "", context, req)
            } else {
                throw PageError(.badRequest, key: "error.bad_request")
            }
            Page.flash("settings.saved", on: req)
            return req.redirect(to: SiteURL.securitySettings(.value(context.operation.code)).path + "#" + raw)
        } catch let errors as ValidationErrors {
            // The problems name what is wrong in the JSON (a cell, a key); they stay as written.
            let message = errors.errors.map(\.message).joined(separator: " ")
            return try await render(req, context, edited: (raw, form.json ?? "", message), status: .unprocessableEntity)
        }
    }

    func save<Group: SettingsGroup>(
        _ group: Group.Type, _ key: Group.Key, _ json: String, _ context: OperationContext, _ req: Request
    ) async throws {
        try await SettingsStore(req.db).save(
            group, key, json: json, operationID: context.operation.id, actorID: context.current.user.id, now: req.now)
    }

    func render(_ req: Request, _ context: OperationContext, edited: Edited?, status: HTTPResponseStatus = .ok)
        async throws -> Response
    {
        // Every group in one query (not the memo of `Request.settings`: this request may have just saved one).
        let stored = try await SettingsStore(req.db).stored(operationID: context.operation.id)
        func entries<Group: SettingsGroup>(_ settings: Group) -> [SecuritySettingsPage.Model.Entry] {
            Group.Key.allCases.map { key in
                let isEdited = edited?.key == key.rawValue
                return .init(
                    key: key.rawValue, labelKey: key.labelKey, json: isEdited ? edited!.json : settings.json(key),
                    error: isEdited ? edited!.error : nil)
            }
        }
        let all =
            entries(stored.group(RiskSettings.self))
            + entries(stored.group(PhaseSettings.self))
            + entries(stored.group(PlanSettings.self))
            + entries(stored.group(ComplianceSettings.self))
            + entries(stored.group(SiteChecklistSettings.self))
            + entries(stored.group(EmergencyContacts.self))
            + entries(stored.group(DutyOfCareSettings.self))
            + entries(stored.group(TrainingSettings.self))
            + entries(stored.group(MovementSettings.self))
        let model = SecuritySettingsPage.Model(code: context.operation.code, entries: all)
        return Page.render(req, title: req.t("settings.title"), status: status) { SecuritySettingsPage.view(model, $0) }
    }

    static func requireEditor(_ req: Request) async throws -> OperationContext {
        let context = try await OperationContext.load(req)
        guard AccessPolicy.canEditSecuritySettings(in: context.operation.id, by: context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        return context
    }
}
