import Domain
import Foundation
import Persistence
import Vapor

/// The operation's security settings: the risk matrix, the threat catalogue and the rules, each
/// edited as JSON and checked with the others before it is saved (a bad entry is refused whole,
/// and what was stored stays).
struct SecuritySettingsController {
    struct Entry: Encodable { let key: String; let label: String; let help: String; let json: String; let error: String? }
    struct SettingsContext: Encodable { let code: String; let entries: [Entry] }

    func show(_ req: Request) async throws -> Response {
        let context = try await Self.requireEditor(req)
        let settings = try await SettingsStore(req.db).riskSettings(operationID: context.operation.id)
        return try await render(req, context, settings: settings, edited: nil)
    }

    struct SaveForm: Content { var key: String?; var json: String? }

    func save(_ req: Request) async throws -> Response {
        let context = try await Self.requireEditor(req)
        let form = try req.content.decode(SaveForm.self)
        guard let key = RiskSettings.Key(rawValue: form.key ?? "") else { throw PageError(.badRequest, key: "error.bad_request") }
        let store = SettingsStore(req.db)
        do {
            try await store.saveRisk(key, json: form.json ?? "", operationID: context.operation.id, actorID: context.current.user.id)
            Page.flash("settings.saved", on: req)
            return req.redirect(to: "/operations/\(context.operation.code)/security-settings#\(key.rawValue)")
        } catch let errors as ValidationErrors {
            let settings = try await store.riskSettings(operationID: context.operation.id)
            // The problems name what is wrong in the JSON (a cell, a key); they stay as written.
            let message = errors.errors.map(\.message).joined(separator: " ")
            return try await render(req, context, settings: settings, edited: (key, form.json ?? "", message), status: .unprocessableEntity)
        }
    }

    func render(
        _ req: Request, _ context: OperationContext, settings: RiskSettings, edited: (RiskSettings.Key, String, String)?,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let entries = RiskSettings.Key.allCases.map { key in
            Entry(key: key.rawValue, label: req.t(key.labelKey), help: req.t("\(key.labelKey)_help"),
                  json: edited?.0 == key ? edited!.1 : settings.json(key), error: edited?.0 == key ? edited!.2 : nil)
        }
        return try await Page.render("security-settings", SettingsContext(code: context.operation.code, entries: entries),
                                     title: req.t("settings.title"), for: req, status: status)
    }

    static func requireEditor(_ req: Request) async throws -> OperationContext {
        let context = try await OperationContext.load(req)
        guard AccessPolicy.canEditSecuritySettings(in: context.operation.id.uuidString, by: context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        return context
    }
}
