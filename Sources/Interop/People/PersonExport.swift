import Domain
import Foundation

/// The register as a coordinator takes it away: CSV whose columns a roster import reads back (so a
/// corrected file updates the same people), and vCard 3.0 for a phone's address book.
public enum PersonExport {
    /// One person as exported: the draft, with the names of places the reader may see.
    public struct Row: Sendable {
        public let draft: PersonDraft
        public let residence: String?
        public let assemblyPoint: String?
        public let place: String?
        public let confirmedAt: Date?
        public init(draft: PersonDraft, residence: String?, assemblyPoint: String?, place: String?, confirmedAt: Date?)
        {
            self.draft = draft
            self.residence = residence
            self.assemblyPoint = assemblyPoint
            self.place = place
            self.confirmedAt = confirmedAt
        }
    }

    static let headers = [
        "Full name", "Category", "Origin", "Organisation", "Function", "Languages", "Mobile", "Satellite phone",
        "Other phone", "Radio call sign", "E-mail", "Emergency contact", "Emergency contact phone", "Arrival",
        "Planned departure", "Relocation group", "Relocation priority", "Manager", "Relocation", "Staff ID",
        "Residence", "Assembly point",
        "Last known location", "Location confirmed",
    ]

    /// CSV with a header; times in UTC (ISO 8601 with "Z"), numbers in E.164 where they were read.
    public static func csv(_ rows: [Row]) -> String {
        var out = FlowExchange.line(headers)
        for row in rows {
            let d = row.draft
            func phone(_ kind: PhoneNumber.Kind) -> String {
                d.phones.first { $0.kind == kind }.map { $0.e164 ?? $0.text } ?? ""
            }
            let other = d.phones.first { $0.kind != .mobile && $0.kind != .satellite }.map { $0.e164 ?? $0.text } ?? ""
            out += FlowExchange.line([
                d.fullName, d.category.rawValue, d.origin.rawValue, d.organisation, d.function,
                d.languages.joined(separator: ", "), phone(.mobile), phone(.satellite), other, d.radioCallSign,
                d.email ?? "", d.emergencyContactName, d.emergencyContactPhone.map { $0.e164 ?? $0.text } ?? "",
                d.arrivalAt.map(isoTime) ?? "", d.plannedDepartureAt.map(isoTime) ?? "", d.relocationGroup,
                d.relocationPriority.map(String.init) ?? "", d.manager ? "yes" : "", d.relocation?.rawValue ?? "",
                d.externalID ?? "", row.residence ?? "",
                row.assemblyPoint ?? "", row.place ?? "", row.confirmedAt.map(isoTime) ?? "",
            ])
        }
        return out
    }

    static func isoTime(_ date: Date) -> String { DateText.formTime(date) + "Z" }

    /// vCard 3.0 (RFC 2426), one card a person: the name, organisation and function, every number
    /// (the satellite phone typed as such), the e-mail, and a note with the call sign and group.
    public static func vcard(_ rows: [Row]) -> String {
        var out = ""
        for row in rows {
            let d = row.draft
            var lines = ["BEGIN:VCARD", "VERSION:3.0", "FN:" + escape(d.fullName), "N:" + escape(d.fullName) + ";;;;"]
            if !d.organisation.isEmpty { lines.append("ORG:" + escape(d.organisation)) }
            if !d.function.isEmpty { lines.append("TITLE:" + escape(d.function)) }
            for phone in d.phones {
                let type =
                    switch phone.kind {
                    case .mobile: "CELL,VOICE"
                    case .satellite: "X-SATELLITE,VOICE"
                    case .landline: "WORK,VOICE"
                    case .other: "VOICE"
                    }
                lines.append("TEL;TYPE=" + type + ":" + escape(phone.e164 ?? phone.text))
            }
            if let email = d.email { lines.append("EMAIL;TYPE=INTERNET:" + escape(email)) }
            var note: [String] = []
            if !d.radioCallSign.isEmpty { note.append("Radio: " + d.radioCallSign) }
            if !d.relocationGroup.isEmpty { note.append("Relocation group: " + d.relocationGroup) }
            if !d.emergencyContactName.isEmpty || d.emergencyContactPhone != nil {
                note.append(
                    "Emergency contact: "
                        + [d.emergencyContactName, d.emergencyContactPhone.map { $0.e164 ?? $0.text } ?? ""]
                        .filter { !$0.isEmpty }.joined(separator: " "))
            }
            if !note.isEmpty { lines.append("NOTE:" + escape(note.joined(separator: "\n"))) }
            lines.append("END:VCARD")
            for line in lines { out += fold(line) }
        }
        return out
    }

    /// RFC 2426 text escaping: backslash, comma, semicolon, line breaks.
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "\\": out += "\\\\"
            case ",": out += "\\,"
            case ";": out += "\\;"
            case "\n", "\r\n", "\r": out += "\\n"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Lines longer than 75 octets are folded: CRLF and a space, never inside a character.
    static func fold(_ line: String) -> String {
        var out = ""
        var count = 0
        for ch in line {
            let size = String(ch).utf8.count
            if count + size > 75 {
                out += "\r\n "
                count = 1
            }
            out.append(ch)
            count += size
        }
        return out + "\r\n"
    }
}
