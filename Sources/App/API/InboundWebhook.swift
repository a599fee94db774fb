import Domain
import Foundation
import Interop
import Persistence
import Vapor

/// `POST /webhooks/{gateway}`: messages from an SMS or WhatsApp gateway (issue 21; README,
/// "Messages from SMS and WhatsApp"). No one is signed in: the gateway proves itself with its
/// signature or shared secret on every request. Messages land in the operation's untriaged inbox,
/// never straight into incidents.
///
/// Answers: 200 with what was stored (Twilio: an empty TwiML `<Response/>`); 403 without a valid
/// signature; 400 for a body that is not the gateway's shape (what is wrong, where); 413 over
/// 64 KB; 429 over a rate limit (with `Retry-After`; a gateway retries later); 404 for an unknown
/// or stopped gateway. An unknown sender is held in the inbox like any other, marked unknown.
struct InboundWebhook {
    static let maxBody = 64 * 1024
    /// Per sender: a person typing fast sends a few a minute; a loop or a flood sends hundreds.
    static let perSenderPerMinute = 20
    /// Per gateway: well above an emergency's peak (the benchmark's 200 a second), below a flood's.
    static let perGatewayPerMinute = 30_000

    struct Answer: Content {
        let received: Int
        let new: Int
        let statuses: Int
    }

    struct Refusal: Content {
        let error: String
        let message: String
    }

    static func refuse(_ status: HTTPResponseStatus, _ code: String, _ message: String) -> Response {
        let response = Response(status: status)
        try? response.content.encode(Refusal(error: code, message: message), as: .json)
        return response
    }

    func receive(_ req: Request) async throws -> Response {
        guard let id = req.parameters.get("gateway").flatMap(UUID.init(uuidString:)),
            let gateway = try await InboxStore(req.db).gateway(id), gateway.active
        else { return Self.refuse(.notFound, "unknown_gateway", "No such gateway.") }
        guard let buffer = req.body.data, buffer.readableBytes <= Self.maxBody else {
            return req.body.data == nil
                ? Self.refuse(.badRequest, "empty", "The request has no body.")
                : Self.refuse(.payloadTooLarge, "too_large", "The body is over \(Self.maxBody / 1024) KB.")
        }
        let body = Data(buffer: buffer)
        guard Self.verified(gateway, body: body, req) else {
            req.logger.notice("Webhook for gateway \(gateway.id) refused: no valid signature")
            return Self.refuse(.forbidden, "signature", "The request's signature or secret is not this gateway's.")
        }
        let payload: GatewayPayload
        do {
            payload = try GatewayPayloads.decode(gateway.kind, body: body)
        } catch {
            return Self.refuse(.badRequest, "malformed", error.message)
        }
        let store = InboxStore(req.db)
        let now = req.now
        let minuteAgo = now.addingTimeInterval(-60)
        if !payload.messages.isEmpty {
            let recent = try await store.received(by: gateway.id, since: minuteAgo)
            if recent + payload.messages.count > Self.perGatewayPerMinute {
                return Self.limited("This gateway sent over \(Self.perGatewayPerMinute) messages in a minute.")
            }
            for sender in Set(payload.messages.map(\.sender)) {
                let count = payload.messages.filter { $0.sender == sender }.count
                if try await store.received(by: gateway.id, from: sender, since: minuteAgo) + count
                    > Self.perSenderPerMinute
                {
                    return Self.limited("One sender sent over \(Self.perSenderPerMinute) messages in a minute.")
                }
            }
        }
        let people = try await store.people(matching: Set(payload.messages.map(\.sender)), in: gateway.operationID)
        let added = try await store.receive(payload.messages, through: gateway, people: people, now: now)
        for status in payload.statuses { try await store.recordStatus(status, gateway: gateway) }
        if gateway.kind == .twilio {
            let response = Response(status: .ok, body: .init(string: "<Response/>"))
            response.headers.contentType = .xml
            return response
        }
        let response = Response(status: .ok)
        try response.content.encode(
            Answer(received: payload.messages.count, new: added, statuses: payload.statuses.count), as: .json)
        return response
    }

    static func limited(_ message: String) -> Response {
        let response = refuse(.tooManyRequests, "rate_limited", message)
        response.headers.replaceOrAdd(name: .retryAfter, value: "60")
        return response
    }

    /// Each kind's own proof (GatewaySignature).
    static func verified(_ gateway: InboxStore.Gateway, body: Data, _ req: Request) -> Bool {
        let secret = gateway.secret
        switch gateway.kind {
        case .twilio:
            guard let given = req.headers.first(name: "X-Twilio-Signature"),
                let parameters = try? GatewayPayloads.form(body)
            else { return false }
            // Twilio signs the address it called: the public one, behind any proxy.
            let url = req.application.bearingConfig.publicURL + req.url.string
            return GatewaySignature.twilio(url: url, parameters: parameters, token: secret, given: given)
        case .whatsapp:
            guard let given = req.headers.first(name: "X-Hub-Signature-256") else { return false }
            return GatewaySignature.hmacSHA256(body: body, secret: secret, given: given)
        case .generic:
            guard let given = req.headers.first(name: "X-Bearing-Signature") else { return false }
            return GatewaySignature.hmacSHA256(body: body, secret: secret, given: given)
        case .telegram:
            return GatewaySignature.sharedSecret(
                secret, given: req.headers.first(name: "X-Telegram-Bot-Api-Secret-Token") ?? "")
        case .rapidpro, .africastalking:
            // Neither signs: the secret travels in a header the gateway is told to add, or in the address.
            let given = req.headers.first(name: "X-Bearing-Secret") ?? req.query[String.self, at: "secret"] ?? ""
            return GatewaySignature.sharedSecret(secret, given: given)
        }
    }
}
