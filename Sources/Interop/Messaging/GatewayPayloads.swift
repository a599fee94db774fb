import Domain
import Foundation

/// Webhook bodies from SMS and WhatsApp gateways, read into messages and delivery reports
/// (issue 21). One decoder per gateway's shape; each says what is wrong and where.
public enum GatewayPayloads {
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public let message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    public static func decode(_ kind: GatewayKind, body: Data) throws(Refusal) -> GatewayPayload {
        switch kind {
        case .generic: return try generic(body)
        case .twilio: return try twilio(form(body))
        case .africastalking: return try africasTalking(form(body))
        case .rapidpro: return try rapidPro(body)
        case .whatsapp: return try whatsApp(body)
        case .telegram: return try telegram(body)
        }
    }

    // MARK: Form bodies

    /// `application/x-www-form-urlencoded`, in order, duplicates kept (Twilio signs every pair).
    public static func form(_ body: Data) throws(Refusal) -> [(String, String)] {
        guard let text = String(data: body, encoding: .utf8) else { throw Refusal("The form body is not UTF-8 text.") }
        var pairs: [(String, String)] = []
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let halves = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ s: Substring) throws(Refusal) -> String {
                guard let value = s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
                    throw Refusal("The form field \"\(part.prefix(40))\" is not correctly percent-encoded.")
                }
                return value
            }
            pairs.append((try decoded(halves[0]), halves.count > 1 ? try decoded(halves[1]) : ""))
        }
        return pairs
    }

    static func first(_ pairs: [(String, String)], _ name: String) -> String? {
        pairs.first { $0.0 == name }?.1
    }

    static func twilio(_ pairs: [(String, String)]) throws(Refusal) -> GatewayPayload {
        let id = first(pairs, "MessageSid") ?? first(pairs, "SmsSid") ?? ""
        guard !id.isEmpty else { throw Refusal("The Twilio form has no MessageSid.") }
        // A status callback: the message's status, no Body.
        if first(pairs, "Body") == nil, let status = first(pairs, "MessageStatus") ?? first(pairs, "SmsStatus") {
            return GatewayPayload(statuses: [
                GatewayStatus(externalID: id, status: status, error: first(pairs, "ErrorCode"))
            ])
        }
        guard let from = first(pairs, "From"), !from.isEmpty else { throw Refusal("The Twilio form has no From.") }
        let count = WholeNumber.parse(first(pairs, "NumMedia") ?? "0") ?? 0
        let media = (0..<min(count, 10)).compactMap { first(pairs, "MediaUrl\($0)") }
        var message = InboundMessage(
            externalID: id, sender: from.replacingOccurrences(of: "whatsapp:", with: ""),
            recipient: first(pairs, "To"), text: first(pairs, "Body") ?? "", media: media)
        if let lat = first(pairs, "Latitude").flatMap(Double.init),
            let lon = first(pairs, "Longitude").flatMap(Double.init)
        {
            (message.latitude, message.longitude) = (lat, lon)
        }
        return GatewayPayload(messages: [message])
    }

    static func africasTalking(_ pairs: [(String, String)]) throws(Refusal) -> GatewayPayload {
        guard let id = first(pairs, "id"), !id.isEmpty else { throw Refusal("The Africa's Talking form has no id.") }
        guard let from = first(pairs, "from"), !from.isEmpty else {
            throw Refusal("The Africa's Talking form has no from.")
        }
        var sent: Date?
        if let date = first(pairs, "date"), !date.isEmpty {
            // Either ISO 8601 with Z, or "YYYY-MM-DD HH:MM:SS" without a zone (UTC, as Africa's Talking means it).
            sent = DateText.time(date)
            guard sent != nil else { throw Refusal("The field date is not a date and time: \(date).") }
        }
        return GatewayPayload(messages: [
            InboundMessage(
                externalID: id, sender: from, recipient: first(pairs, "to"), text: first(pairs, "text") ?? "",
                sentAt: sent)
        ])
    }

    // MARK: JSON bodies

    static func json(_ body: Data, _ what: String) throws(Refusal) -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: body), let dictionary = object as? [String: Any]
        else { throw Refusal("The \(what) body is not a JSON object.") }
        return dictionary
    }

    static func string(_ value: Any?) -> String? {
        switch value {
        case let s as String: return s
        case let n as NSNumber: return n.stringValue
        default: return nil
        }
    }

    static func number(_ value: Any?) -> Double? {
        switch value {
        case let n as NSNumber: return n.doubleValue
        case let s as String: return Double(s)
        default: return nil
        }
    }

    /// Epoch seconds (WhatsApp's string, Telegram's number) within years 1970–9999; nil for anything else.
    static func epoch(_ value: Any?) -> Date? {
        guard let seconds = number(value), seconds.isFinite, (0...253_402_300_799).contains(seconds) else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    /// A position only when both halves are real coordinates.
    static func position(_ latitude: Any?, _ longitude: Any?) -> (Double, Double)? {
        guard let lat = number(latitude), let lon = number(longitude), (-90...90).contains(lat),
            (-180...180).contains(lon)
        else { return nil }
        return (lat, lon)
    }

    /// Bearing's own shape: one message, or `{"messages": [...]}`. Each: `id`, `from` (required),
    /// `to`, `text`, `name`, `sent_at` (ISO 8601), `latitude`, `longitude`, `media` (links).
    static func generic(_ body: Data) throws(Refusal) -> GatewayPayload {
        let root = try json(body, "message")
        let items: [[String: Any]]
        if let list = root["messages"] {
            guard let messages = list as? [[String: Any]] else { throw Refusal("messages must be a list of objects.") }
            items = messages
        } else {
            items = [root]
        }
        guard items.count <= 100 else { throw Refusal("At most 100 messages a request; this one has \(items.count).") }
        var messages: [InboundMessage] = []
        for (index, item) in items.enumerated() {
            let at = items.count > 1 ? "messages[\(index)]." : ""
            guard let id = string(item["id"]), !id.isEmpty else { throw Refusal("\(at)id is missing.") }
            guard let from = string(item["from"]), !from.isEmpty else { throw Refusal("\(at)from is missing.") }
            var sent: Date?
            if let text = string(item["sent_at"]) {
                guard let date = DateText.time(text) else {
                    throw Refusal("\(at)sent_at is not an ISO 8601 time: \(text).")
                }
                sent = date
            }
            let lat = number(item["latitude"]), lon = number(item["longitude"])
            if (lat == nil) != (lon == nil) { throw Refusal("\(at)latitude and longitude go together.") }
            if let lat, let lon, !(-90...90).contains(lat) || !(-180...180).contains(lon) {
                throw Refusal("\(at)latitude or longitude is out of range.")
            }
            messages.append(
                InboundMessage(
                    externalID: id, sender: from, senderName: string(item["name"]), recipient: string(item["to"]),
                    text: string(item["text"]) ?? "", sentAt: sent, latitude: lat, longitude: lon,
                    media: (item["media"] as? [Any] ?? []).compactMap(string)))
        }
        return GatewayPayload(messages: messages)
    }

    /// A RapidPro/TextIt flow webhook: the message that started the flow is `input` (its `urn` is
    /// the sender's), the person `contact`.
    static func rapidPro(_ body: Data) throws(Refusal) -> GatewayPayload {
        let root = try json(body, "RapidPro")
        guard let input = root["input"] as? [String: Any] else { throw Refusal("The RapidPro payload has no input.") }
        let contact = root["contact"] as? [String: Any]
        let urn = input["urn"] as? [String: Any]
        let sender =
            string(urn?["path"])
            ?? string(contact?["urn"]).map { $0.split(separator: ":", maxSplits: 1).last.map(String.init) ?? $0 }
        guard let id = string(input["uuid"]), !id.isEmpty else { throw Refusal("input.uuid is missing.") }
        guard let sender, !sender.isEmpty else { throw Refusal("input.urn is missing.") }
        let attachments = (input["attachments"] as? [[String: Any]] ?? []).compactMap { string($0["url"]) }
        return GatewayPayload(messages: [
            InboundMessage(
                externalID: id, sender: sender, senderName: string(contact?["name"]),
                recipient: string((input["channel"] as? [String: Any])?["address"]), text: string(input["text"]) ?? "",
                sentAt: string(input["created_on"]).flatMap(DateText.time), media: attachments)
        ])
    }

    /// Meta's WhatsApp Cloud API: `entry[].changes[].value` holds `messages[]` (text, location, image …,
    /// the time as a string of epoch seconds) with `contacts[]`, or `statuses[]`.
    static func whatsApp(_ body: Data) throws(Refusal) -> GatewayPayload {
        let root = try json(body, "WhatsApp")
        guard let entries = root["entry"] as? [[String: Any]] else { throw Refusal("The WhatsApp body has no entry.") }
        var payload = GatewayPayload()
        for entry in entries {
            for change in entry["changes"] as? [[String: Any]] ?? [] {
                guard let value = change["value"] as? [String: Any] else { continue }
                let recipient = string((value["metadata"] as? [String: Any])?["display_phone_number"])
                var names: [String: String] = [:]
                for contact in value["contacts"] as? [[String: Any]] ?? [] {
                    if let id = string(contact["wa_id"]),
                        let name = string((contact["profile"] as? [String: Any])?["name"])
                    {
                        names[id] = name
                    }
                }
                for item in value["messages"] as? [[String: Any]] ?? [] {
                    guard let id = string(item["id"]), let from = string(item["from"]) else {
                        throw Refusal("A WhatsApp message without id or from.")
                    }
                    let type = string(item["type"]) ?? "text"
                    var message = InboundMessage(
                        externalID: id, sender: from, senderName: names[from], recipient: recipient, text: "",
                        sentAt: epoch(item["timestamp"]))
                    switch type {
                    case "text": message.text = string((item["text"] as? [String: Any])?["body"]) ?? ""
                    case "location":
                        let place = item["location"] as? [String: Any] ?? [:]
                        if let (lat, lon) = position(place["latitude"], place["longitude"]) {
                            (message.latitude, message.longitude) = (lat, lon)
                        }
                        message.text = [string(place["name"]), string(place["address"])].compactMap { $0 }
                            .joined(separator: ", ")
                    default:
                        // Media: the caption as the text, the media id to fetch it with the operation's token.
                        let media = item[type] as? [String: Any] ?? [:]
                        message.text = string(media["caption"]) ?? ""
                        message.media = [string(media["id"]).map { "\(type):\($0)" }].compactMap { $0 }
                    }
                    payload.messages.append(message)
                }
                for status in value["statuses"] as? [[String: Any]] ?? [] {
                    guard let id = string(status["id"]), let state = string(status["status"]) else { continue }
                    let error = (status["errors"] as? [[String: Any]])?.first.flatMap { string($0["title"]) }
                    payload.statuses.append(GatewayStatus(externalID: id, status: state, error: error))
                }
            }
        }
        return payload
    }

    /// A Telegram Bot API update: `message` with `text` or `location`; the chat id is the sender.
    static func telegram(_ body: Data) throws(Refusal) -> GatewayPayload {
        let root = try json(body, "Telegram")
        guard let update = string(root["update_id"]) else { throw Refusal("The Telegram update has no update_id.") }
        guard let message = (root["message"] ?? root["edited_message"]) as? [String: Any] else {
            return GatewayPayload()  // an update of another kind (a button, a channel post): nothing to triage
        }
        guard let chat = string((message["chat"] as? [String: Any])?["id"]) else {
            throw Refusal("The Telegram message has no chat.id.")
        }
        let from = message["from"] as? [String: Any]
        let name = [string(from?["first_name"]), string(from?["last_name"])].compactMap { $0 }.joined(separator: " ")
        let place = message["location"] as? [String: Any]
        let point = position(place?["latitude"], place?["longitude"])
        return GatewayPayload(messages: [
            InboundMessage(
                externalID: update, sender: chat, senderName: name.isEmpty ? nil : name,
                text: string(message["text"]) ?? string(message["caption"]) ?? "",
                sentAt: epoch(message["date"]), latitude: point?.0, longitude: point?.1)
        ])
    }
}
