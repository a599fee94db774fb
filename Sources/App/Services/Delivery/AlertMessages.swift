import Crypto
import Domain
import Fluent
import Foundation
import Persistence
import Vapor
import Views

/// The one-time links that answer an alert without signing in: the recipient's id and a MAC of it
/// under the instance's key (migration 0035), so no secret is stored per recipient and a forged or
/// altered link is refused. The answer itself is kept once (`AlertStore.answer`): a replay changes nothing.
enum AcknowledgementLink {
    static func token(for id: AlertRecipientID, key: SymmetricKey) -> String {
        let raw = id.rawValue.uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return raw + "." + mac(raw, key: key)
    }

    static func recipient(from token: String, key: SymmetricKey) -> AlertRecipientID? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 32, parts[1].count == 22,
            parts[0].allSatisfy({ $0.isHexDigit && !$0.isUppercase })
        else { return nil }
        let raw = String(parts[0])
        // Only the canonical spelling: the last character of 22 carries padding bits a decoder drops.
        guard let data = Data(base64URL: String(parts[1])), data.count == 16, data.base64URLEncoded == parts[1]
        else { return nil }
        let given = [UInt8](data)
        // Compared in constant time, so the answer's timing says nothing about the code.
        let expected = Array(full(raw, key: key).prefix(16))
        var difference: UInt8 = 0
        for i in 0..<16 { difference |= expected[i] ^ given[i] }
        guard difference == 0 else { return nil }
        var text = raw
        for i in [8, 13, 18, 23] { text.insert("-", at: text.index(text.startIndex, offsetBy: i)) }
        return UUID(uuidString: text).map(AlertRecipientID.init(rawValue:))
    }

    private static func full(_ raw: String, key: SymmetricKey) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data(raw.utf8), using: key))
    }

    private static func mac(_ raw: String, key: SymmetricKey) -> String {
        full(raw, key: key).prefix(16).base64URLEncoded
    }
}

extension Data {
    var base64URLEncoded: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init?(base64URL text: String) {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        self.init(base64Encoded: s)
    }
}

extension Application {
    /// The key of the acknowledgement links.
    func acknowledgementKey(_ db: any Database) async throws -> SymmetricKey {
        try await instanceKey(InstanceSecretStore.acknowledgementKey, db)
    }
}

/// The words of an alert as a message: an e-mail (RFC 5322, UTF-8, the text in base64 so any
/// script survives every relay) or a short text for the gateway. In the recipient's language.
enum AlertMessage {
    static func subject(_ work: DeliveryWork, _ t: Strings) -> String {
        "[\(t(work.severity.labelKey))] \(work.text.title)"
    }

    static func text(_ work: DeliveryWork, link: String, _ t: Strings) -> String {
        var lines = [work.text.title, ""]
        if !work.text.body.isEmpty { lines += [work.text.body, ""] }
        lines += [
            "\(t("alert_severity")): \(t(work.severity.labelKey)) · \(t("alert_category")): \(t(work.category.labelKey))",
            "\(t("alert_sent_at")): \(t.deadlineTime(work.createdAt))", "",
            t("alert_mail_answer"), link,
        ]
        return lines.joined(separator: "\n")
    }

    /// The SMS: title, text and link, without the e-mail's framing.
    static func short(_ work: DeliveryWork, link: String, _ t: Strings) -> String {
        [work.text.title, work.text.body, t("alert_mail_answer") + " " + link].filter { !$0.isEmpty }
            .joined(separator: "\n")
    }

    /// The whole e-mail. The Message-ID is the delivery's own, the same at every attempt, so a
    /// message sent again after a crash is recognised as the same one by mail clients.
    static func email(
        _ work: DeliveryWork, link: String, from: String, fromName: String, _ t: Strings, now: Date
    ) -> String {
        let body = Data(text(work, link: link, t).replacingOccurrences(of: "\n", with: "\r\n").utf8)
            .base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let headers = [
            "From: \(encodedWord(fromName)) <\(from)>",
            "To: <\(work.address)>",
            "Subject: \(encodedWord(subject(work, t)))",
            "Date: \(rfc5322Date(now))",
            "Message-ID: <\(work.id.uuidString.lowercased())@bearing.alerts>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "Content-Language: \(work.text.language)",
            "Auto-Submitted: auto-generated",
            "X-Bearing-Alert: \(work.alertNumber)",
        ]
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + body
    }

    /// A plain e-mail (reminders): UTF-8 text in base64, with its own Message-ID.
    static func plain(
        to: String, subject: String, text: String, from: String, fromName: String, id: String, now: Date
    ) -> String {
        let headers = [
            "From: \(encodedWord(fromName)) <\(from)>", "To: <\(to)>", "Subject: \(encodedWord(subject))",
            "Date: \(rfc5322Date(now))", "Message-ID: <\(id)>", "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: base64",
            "Auto-Submitted: auto-generated",
        ]
        return headers.joined(separator: "\r\n") + "\r\n\r\n"
            + Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8).base64EncodedString(
                options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
    }

    /// RFC 2047: any text that is not plain ASCII as a UTF-8 encoded word.
    static func encodedWord(_ text: String) -> String {
        let clean = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if clean.allSatisfy({ $0.isASCII && !$0.isNewline }) && !clean.contains("=?") { return clean }
        return "=?UTF-8?B?\(Data(clean.utf8).base64EncodedString())?="
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
