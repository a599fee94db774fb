import Crypto
import Foundation
import Vapor

/// The SMS or messaging gateway (environment: `BEARING_SMS_GATEWAY_URL`, `_SECRET`).
struct GatewaySettings: Sendable, Hashable {
    var url: String
    var secret: String
}

/// Sends one message to a gateway over HTTP as signed JSON (documented in README, "SMS gateway"):
///
///     POST <url>
///     Content-Type: application/json
///     Idempotency-Key: <message id>
///     X-Bearing-Timestamp: <seconds since 1970>
///     X-Bearing-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>
///     {"id": "<message id>", "to": "+249912345678", "text": "…", "language": "ar", "alert": 12}
///
/// A 2xx answer means the gateway took the message. 4xx (but 408 and 429) means it never will,
/// and is not retried; anything else is tried again later.
struct GatewayClient {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        let permanent: Bool
    }

    struct Payload: Content {
        var id: String
        var to: String
        var text: String
        var language: String
        /// The alert's number; none for a reply to a message from the inbox.
        var alert: Int?
        /// The gateway's id of the message answered (issue 21), for a reply.
        var replyTo: String? = nil

        enum CodingKeys: String, CodingKey {
            case id, to, text, language, alert
            case replyTo = "reply_to"
        }
    }

    let settings: GatewaySettings
    let client: any Client

    static func signature(secret: String, timestamp: String, body: Data) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data((timestamp + ".").utf8) + body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    func send(_ payload: Payload, now: Date) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(payload)
        let timestamp = String(Int(now.timeIntervalSince1970))
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.add(name: "Idempotency-Key", value: payload.id)
        headers.add(name: "X-Bearing-Timestamp", value: timestamp)
        headers.add(
            name: "X-Bearing-Signature",
            value: Self.signature(secret: settings.secret, timestamp: timestamp, body: body))
        let response: ClientResponse
        do {
            response = try await client.post(URI(string: settings.url), headers: headers) {
                $0.body = ByteBuffer(data: body)
                $0.timeout = .seconds(20)
            }.get()
        } catch {
            throw Failure(description: "Cannot reach the SMS gateway (\(error)).", permanent: false)
        }
        guard (200..<300).contains(response.status.code) else {
            let said = response.body.map { String(buffer: $0).prefix(200) } ?? ""
            let code = Int(response.status.code)
            throw Failure(
                description: "The SMS gateway answered \(code)\(said.isEmpty ? "" : ": \(said)").",
                permanent: (400..<500).contains(code) && code != 408 && code != 429)
        }
    }
}
