import Crypto
import Foundation

/// An entry made on a device, possibly offline, and sent when the connection returns (issue 21).
///
/// The device names the entry with an id of its own: the server keeps it with the record made, so a
/// replay answers with that record instead of making a second. The device also says which account
/// queued it (never sent under another) and when it was made.
public struct ClientEntry: Sendable, Equatable {
    public let clientID: String
    public let account: String
    public let capturedAt: Date?
    /// The posted fields, less the CSRF token: what "the same content" means for a replay.
    public let digest: String

    /// The fields a queued entry adds to its form.
    public enum Field {
        public static let clientID = "client_id"
        public static let account = "client_account"
        public static let capturedAt = "captured_at"
    }

    /// How far back a device's clock is believed: a week offline is the longest field stretch we plan for.
    public static let oldestBelieved: TimeInterval = 7 * 86_400

    /// Nil when the form carries no client id: a page posted as it is, without the script.
    public static func read(
        clientID: String?, account: String?, capturedAt: String?, body: String
    ) throws(ValidationErrors) -> ClientEntry? {
        guard let clientID, !clientID.isEmpty else { return nil }
        var errors = ValidationErrors()
        let allowed = clientID.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D
        }
        if !(8...64).contains(clientID.utf8.count) || !allowed {
            errors.add(
                Field.clientID, key: "error.client_id", "The entry's id must be 8 to 64 letters, digits or dashes.")
        }
        let account = (account ?? "").trimmingCharacters(in: .whitespaces)
        if account.isEmpty {
            errors.add(Field.account, key: "error.client_account", "The entry does not say which account queued it.")
        }
        var captured: Date?
        if let text = capturedAt?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            captured = DateText.time(text)
            if captured == nil {
                errors.add(
                    Field.capturedAt, key: "error.captured_at",
                    "When the entry was made is not a date and time: \(text).")
            }
        }
        try errors.throwIfAny()
        return ClientEntry(clientID: clientID, account: account, capturedAt: captured, digest: Self.digest(body))
    }

    /// When the entry was made, for records whose time is the moment itself (a check-in, a
    /// location): the device's word, but never later than now nor older than `oldestBelieved`.
    public func madeAt(now: Date) -> Date {
        guard let capturedAt else { return now }
        return max(min(capturedAt, now), now.addingTimeInterval(-Self.oldestBelieved))
    }

    /// SHA-256 over the form's fields, sorted, less the CSRF token (it changes with the session,
    /// the content does not).
    static func digest(_ body: String) -> String {
        let pairs = body.split(separator: "&", omittingEmptySubsequences: true)
            .filter { !$0.hasPrefix("_csrf=") }
            .map(String.init).sorted()
        return Hex.sha256(pairs.joined(separator: "&"))
    }
}
