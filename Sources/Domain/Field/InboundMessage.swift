import Crypto
import Foundation

/// The gateways an operation receives messages from (issue 21), each with its payload shape and
/// the way it proves a request came from it.
public enum GatewayKind: String, Sendable, CaseIterable, Codable {
    /// Bearing's own JSON (documented in the README), signed with HMAC-SHA256 of the body.
    case generic
    /// Twilio's form posts (SMS, MMS, WhatsApp through Twilio), signed with `X-Twilio-Signature`.
    case twilio
    /// RapidPro / TextIt flow webhooks (JSON), with a shared secret.
    case rapidpro
    /// Africa's Talking form posts, with a shared secret (it signs nothing).
    case africastalking
    /// Meta's WhatsApp Cloud API (JSON), signed with `X-Hub-Signature-256`.
    case whatsapp
    /// Telegram Bot API updates (JSON), with `X-Telegram-Bot-Api-Secret-Token`.
    case telegram
}

/// One message as a gateway delivered it, before anyone has looked at it.
public struct InboundMessage: Sendable, Equatable {
    /// The gateway's own id: a retried delivery of the same message is recognised by it.
    public var externalID: String
    /// A phone number (`+249…`), a WhatsApp id (digits) or a Telegram chat id, as the gateway gave it.
    public var sender: String
    public var senderName: String?
    public var recipient: String?
    public var text: String
    /// When the gateway says it was sent (nil where it says nothing, as Twilio).
    public var sentAt: Date?
    public var latitude: Double?
    public var longitude: Double?
    /// Links or media ids of pictures and recordings sent with it (not fetched).
    public var media: [String]

    public init(
        externalID: String, sender: String, senderName: String? = nil, recipient: String? = nil, text: String,
        sentAt: Date? = nil, latitude: Double? = nil, longitude: Double? = nil, media: [String] = []
    ) {
        self.externalID = externalID
        self.sender = sender
        self.senderName = senderName
        self.recipient = recipient
        self.text = text
        self.sentAt = sentAt
        self.latitude = latitude
        self.longitude = longitude
        self.media = media
    }

    /// The longest text kept: a long WhatsApp message is cut, not refused.
    public static let maxText = 4_000
}

/// A delivery report for a message Bearing sent (a reply), from the same webhook.
public struct GatewayStatus: Sendable, Equatable {
    public var externalID: String
    public var status: String
    public var error: String?
    public init(externalID: String, status: String, error: String? = nil) {
        self.externalID = externalID
        self.status = status
        self.error = error
    }
}

/// What one webhook request carried.
public struct GatewayPayload: Sendable, Equatable {
    public var messages: [InboundMessage] = []
    public var statuses: [GatewayStatus] = []
    public init(messages: [InboundMessage] = [], statuses: [GatewayStatus] = []) {
        self.messages = messages
        self.statuses = statuses
    }
}

/// Whether a webhook request came from the gateway: each kind's own scheme, compared in constant time.
public enum GatewaySignature {
    /// Twilio: base64 HMAC-SHA1 of the full URL followed by each parameter's name and value, sorted by
    /// name then value. Twilio may sign the URL with or without `:443`/`:80`, so both are accepted.
    public static func twilio(url: String, parameters: [(String, String)], token: String, given: String) -> Bool {
        let sorted = parameters.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        let tail = sorted.map { $0.0 + $0.1 }.joined()
        for candidate in urlVariants(url) {
            let mac = HMAC<Insecure.SHA1>.authenticationCode(
                for: Data((candidate + tail).utf8), using: SymmetricKey(data: Data(token.utf8)))
            if Hex.constantTimeEqual(Data(mac).base64EncodedString(), given) { return true }
        }
        return false
    }

    /// `sha256=<hex HMAC-SHA256 of the body>`: Meta's `X-Hub-Signature-256`, and Bearing's generic
    /// `X-Bearing-Signature`.
    public static func hmacSHA256(body: Data, secret: String, given: String) -> Bool {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return Hex.constantTimeEqual("sha256=" + Hex.encode(mac), given.lowercased())
    }

    /// The header value a sender of the generic shape puts in `X-Bearing-Signature`.
    public static func sign(body: Data, secret: String) -> String {
        "sha256=" + Hex.encode(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8))))
    }

    /// A shared secret (Telegram's header, a secret in the URL): equal, in constant time.
    public static func sharedSecret(_ secret: String, given: String) -> Bool {
        !secret.isEmpty && Hex.constantTimeEqual(secret, given)
    }

    static func urlVariants(_ url: String) -> [String] {
        guard var parts = URLComponents(string: url) else { return [url] }
        let standard = parts.scheme == "https" ? 443 : 80
        if parts.port == standard {
            parts.port = nil
            return [url, parts.string ?? url]
        }
        if parts.port == nil {
            parts.port = standard
            return [url, parts.string ?? url]
        }
        return [url]
    }
}

/// Phone numbers compared as the register keeps them and as gateways send them: digits only; a
/// number without its country code matches on its last nine digits.
public enum PhoneMatch {
    public static func digits(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0.properties.numericType != nil && $0.isASCII }.map(Character.init))
    }

    public static func same(_ a: String, _ b: String) -> Bool {
        let x = digits(a), y = digits(b)
        guard x.count >= 7, y.count >= 7 else { return false }
        if x == y { return true }
        return x.count >= 9 && y.count >= 9 && x.suffix(9) == y.suffix(9)
    }
}

/// A movement check-in written as a message (README, "Messages from SMS and WhatsApp"):
/// `ARRIVED 123`, `DEPARTED 123` or `POINT 123 2` (the route's second stop after the start), the movement's number
/// with or without `#`, any words after it kept as the note. Upper or lower case; the Arabic
/// `وصلت` / `غادرت` / `نقطة` and the French `ARRIVE` / `PARTI` / `POINT` too. Nil when the text is
/// not one.
public struct CheckInKeyword: Sendable, Equatable {
    public let kind: CheckInKind
    public let movementNumber: Int
    /// The route's stop, counted from 1 after the start (the start is 0), as the check-in form counts.
    public let waypoint: Int?
    public let note: String

    public init(kind: CheckInKind, movementNumber: Int, waypoint: Int?, note: String) {
        self.kind = kind
        self.movementNumber = movementNumber
        self.waypoint = waypoint
        self.note = note
    }

    static let words: [String: CheckInKind] = [
        "arrived": .arrived, "arr": .arrived, "arrive": .arrived, "arrivé": .arrived, "وصلت": .arrived,
        "وصل": .arrived, "departed": .departed, "dep": .departed, "parti": .departed, "غادرت": .departed,
        "غادر": .departed, "point": .waypoint, "pt": .waypoint, "نقطة": .waypoint,
    ]

    public static func parse(_ text: String) -> CheckInKeyword? {
        let words = text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        guard words.count >= 2, let kind = Self.words[words[0].lowercased()] else { return nil }
        func number(_ word: String) -> Int? {
            let western = String(
                word.drop(while: { $0 == "#" }).map { c -> Character in
                    // Arabic-Indic digits as typed on an Arabic keyboard.
                    if let v = c.unicodeScalars.first?.value, (0x660...0x669).contains(v) {
                        return Character(String(v - 0x660))
                    }
                    return c
                })
            guard !western.isEmpty, western.count <= 9, western.allSatisfy(\.isASCII) else { return nil }
            return Int(western)
        }
        guard let movement = number(words[1]), movement > 0 else { return nil }
        var rest = Array(words.dropFirst(2))
        var waypoint: Int?
        if kind == .waypoint {
            guard let first = rest.first, let point = number(first), point > 0 else { return nil }
            waypoint = point
            rest.removeFirst()
        }
        return CheckInKeyword(
            kind: kind, movementNumber: movement, waypoint: waypoint, note: rest.joined(separator: " "))
    }
}
