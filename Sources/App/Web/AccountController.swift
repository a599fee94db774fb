import Domain
import Fluent
import Foundation
import Persistence
import Vapor
import Views

/// The signed-in user's own page: personal API tokens.
struct AccountController {
    func show(_ req: Request) async throws -> Response {
        try await render(req, newSecret: nil, error: nil)
    }

    func render(_ req: Request, newSecret: String?, error: String?, status: HTTPResponseStatus = .ok) async throws
        -> Response
    {
        let current = try req.requireUser()
        let format = ISO8601DateFormatter()
        let config = req.application.bearingConfig
        let tokens = try await TokenStore(req.db).list(userID: current.user.id).map {
            AccountPage.Model.Token(
                id: $0.id, name: $0.name, created: format.string(from: $0.createdAt),
                lastUsed: $0.lastUsedAt.map(format.string),
                expires: format.string(from: $0.expiry(maximumLifetime: Double(config.tokenMaximumDays) * 86_400)),
                readOnly: $0.readOnly)
        }
        let model = AccountPage.Model(
            email: current.user.email, tokens: tokens, newSecret: newSecret, error: error,
            defaultDays: config.tokenDefaultDays, maximumDays: config.tokenMaximumDays)
        return Page.render(req, title: req.t("account.title"), status: status) { AccountPage.view(model, $0) }
    }

    struct TokenForm: Content {
        var name: String?; var days: String?; var password: String?; var access: String?
    }

    /// A token carries its owner's rights, so making one asks for the password again; it always
    /// expires (the instance's maximum at most) and may be limited to reading.
    func createToken(_ req: Request) async throws -> Response {
        let current = try req.requireUser()
        let form = try req.content.decode(TokenForm.self)
        let config = req.application.bearingConfig
        let name = form.name?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !name.isEmpty, name.count <= 100 else {
            return try await render(req, newSecret: nil, error: req.t("error.required"), status: .unprocessableEntity)
        }
        let daysText = form.days?.trimmingCharacters(in: .whitespaces) ?? ""
        guard let days = daysText.isEmpty ? config.tokenDefaultDays : WholeNumber.parse(daysText),
            (1...config.tokenMaximumDays).contains(days)
        else {
            let message = req.t("error.token_days").replacingOccurrences(
                of: "{max}", with: String(config.tokenMaximumDays))
            return try await render(req, newSecret: nil, error: message, status: .unprocessableEntity)
        }
        let password = form.password ?? ""
        guard !password.isEmpty,
            (try? await req.password.async.verify(password, created: current.user.passwordHash)) == true
        else {
            return try await render(
                req, newSecret: nil, error: req.t("error.token_password"), status: .unprocessableEntity)
        }
        let now = req.now
        let (secret, _) = try await TokenStore(req.db).create(
            userID: current.user.id, name: name, expiresAt: now.addingTimeInterval(Double(days) * 86_400),
            readOnly: form.access != "write", now: now)
        return try await render(req, newSecret: secret, error: nil)
    }

    func revokeToken(_ req: Request) async throws -> Response {
        let current = try req.requireUser()
        guard let id = req.pathID(as: APITokenID.self) else { throw PageError(.notFound, key: "error.not_found") }
        try await TokenStore(req.db).revoke(id: id, userID: current.user.id, now: req.now)
        Page.flash("account.revoked", on: req)
        return req.redirect(to: SiteURL.account.path)
    }
}
