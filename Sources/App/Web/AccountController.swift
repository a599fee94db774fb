import Domain
import Fluent
import Foundation
import Persistence
import Vapor

/// The signed-in user's own page: personal API tokens.
struct AccountController {
    struct TokenItem: Encodable { let id: String; let name: String; let created: String; let lastUsed: String?; let expires: String? }
    struct Context: Encodable { let email: String; let tokens: [TokenItem]; let newSecret: String?; let error: String? }

    func show(_ req: Request) async throws -> Response {
        try await render(req, newSecret: nil, error: nil)
    }

    func render(_ req: Request, newSecret: String?, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let current = try req.requireUser()
        let format = ISO8601DateFormatter()
        let tokens = try await TokenStore(req.db).list(userID: current.user.id).map {
            TokenItem(id: $0.id.uuidString, name: $0.name, created: format.string(from: $0.createdAt),
                      lastUsed: $0.lastUsedAt.map(format.string), expires: $0.expiresAt.map(format.string))
        }
        return try await Page.render("account", Context(email: current.user.email, tokens: tokens, newSecret: newSecret, error: error),
                                     title: req.t("account.title"), for: req, status: status)
    }

    struct TokenForm: Content { var name: String?; var days: String? }

    func createToken(_ req: Request) async throws -> Response {
        let current = try req.requireUser()
        let form = try req.content.decode(TokenForm.self)
        let name = form.name?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !name.isEmpty, name.count <= 100 else {
            return try await render(req, newSecret: nil, error: req.t("error.required"), status: .unprocessableEntity)
        }
        var expiry: Date?
        if let days = form.days.flatMap({ Int($0) }), days > 0 { expiry = Date().addingTimeInterval(Double(min(days, 3650)) * 86400) }
        let (secret, _) = try await TokenStore(req.db).create(userID: current.user.id, name: name, expiresAt: expiry)
        return try await render(req, newSecret: secret, error: nil)
    }

    func revokeToken(_ req: Request) async throws -> Response {
        let current = try req.requireUser()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw PageError(.notFound, key: "error.not_found") }
        try await TokenStore(req.db).revoke(id: id, userID: current.user.id)
        Page.flash("account.revoked", on: req)
        return req.redirect(to: "/account")
    }
}
