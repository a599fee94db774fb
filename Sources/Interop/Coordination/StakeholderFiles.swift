import Domain
import Foundation

/// One registry entry as a file holds it: the input for the one stakeholder decoder, with what a
/// file names by text and Bearing keeps by id (the organisation by its name, the owner by e-mail).
public struct StakeholderFileEntry: Sendable, Equatable {
    /// Where it was: "line 4" of a CSV, "card 3" of a vCard file.
    public var origin: String
    public var input: StakeholderInput
    /// A person's organisation, by name (or acronym).
    public var organisation = ""
    /// The owner's e-mail address, a member of the operation.
    public var ownerEmail = ""
    /// The entry's Bearing id, when the file is Bearing's own export: a re-import updates it.
    public var id = ""
    /// Which of the input's fields the file gives: a merge changes those only.
    public var given: Set<String> = []

    public init(origin: String, input: StakeholderInput = StakeholderInput()) {
        self.origin = origin
        self.input = input
    }
}

/// What a file held, and what could not be read from it.
public struct StakeholderFile: Sendable {
    public var entries: [StakeholderFileEntry] = []
    /// Columns or properties not read, each named.
    public var ignored: [String] = []
    public init() {}
}

public enum StakeholderFileFailure: Error, Equatable, CustomStringConvertible {
    case empty
    case noNameColumn
    case notUTF8(line: Int)
    case notVCard
    case unreadable(String)

    public var description: String {
        switch self {
        case .empty: "The file is empty."
        case .noNameColumn: "The file has no name column (name, full_name, organisation, #org+name or #contact+name)."
        case .notUTF8(let line): "Line \(line) is not UTF-8 text; save the file as CSV UTF-8."
        case .notVCard: "The file holds no vCard (BEGIN:VCARD … END:VCARD)."
        case .unreadable(let why): "The file could not be read: \(why)."
        }
    }
}

/// The registry as CSV: Bearing's own columns (its export reads back in), and the names address
/// books and 4W tables give them.
public enum StakeholderCSV {
    /// The export's columns, in order.
    public static let header = [
        "id", "kind", "name", "acronym", "actor_type", "organisation", "position", "mandate", "topic", "relation",
        "influence", "interest", "owner", "last_verified_on", "emails", "phones", "website", "address", "notes",
        "audience",
    ]

    static var columns: [(key: String, names: Set<String>)] {
        [
            ("id", ["id", "bearing_id"]),
            ("kind", ["kind", "entry_kind"]),
            ("name", ["name", "full_name", "organisation_name", "organization_name", "#org+name", "#contact+name"]),
            ("acronym", ["acronym", "short_name", "abbreviation", "#org+acronym"]),
            ("actor_type", ["actor_type", "type", "organisation_type", "organization_type", "#org+type"]),
            ("organisation", ["organisation", "organization", "org", "agency", "employer", "#org"]),
            ("position", ["position", "title", "job_title", "role", "function", "#contact+title"]),
            ("mandate", ["mandate"]),
            ("topic", ["topic", "topics"]),
            ("relation", ["relation", "relation_to_ifrc", "relationship"]),
            ("influence", ["influence", "power"]),
            ("interest", ["interest"]),
            ("owner", ["owner", "relationship_owner", "focal_point", "owner_email"]),
            ("last_verified_on", ["last_verified_on", "last_verified", "verified_on", "verified"]),
            ("emails", ["emails", "email", "e_mail", "email_address", "#contact+email"]),
            ("phones", ["phones", "phone", "mobile", "telephone", "#contact+phone"]),
            ("website", ["website", "url", "web"]),
            ("address", ["address", "#loc+address"]),
            ("notes", ["notes", "note", "comments", "remarks"]),
            ("audience", ["audience", "visibility", "classification"]),
        ]
    }

    static func normalise(_ header: String) -> String {
        let lowered = header.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if lowered.hasPrefix("#") { return lowered.replacingOccurrences(of: " ", with: "") }
        return String(lowered.map { " -./".contains($0) ? "_" : $0 })
    }

    /// Reads a CSV file (a comma, a semicolon or a tab between fields; an HXL hashtag row under the
    /// header is read past).
    public static func read(url: URL) throws(StakeholderFileFailure) -> StakeholderFile {
        let csv: CSVRows
        do { csv = try CSVRows(url: url) } catch { throw .unreadable("\(error)") }
        return try read(csv)
    }

    public static func read(string: String) throws(StakeholderFileFailure) -> StakeholderFile {
        try read(CSVRows(string: string))
    }

    static func read(_ csv: CSVRows) throws(StakeholderFileFailure) -> StakeholderFile {
        func next() throws(StakeholderFileFailure) -> [String]? {
            do { return try csv.next() } catch CSVRows.Failure.notUTF8(let row) { throw .notUTF8(line: row) } catch {
                throw .unreadable("\(error)")
            }
        }
        guard var header = try next() else { throw .empty }
        if header.count == 1, header[0].contains(";") {
            // A semicolon-separated file read as one column: read it again with semicolons.
            header = header[0].split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            csv.separator = UInt8(ascii: ";")
        }
        var file = StakeholderFile()
        var mapping: [(Int, String)] = []
        func map(_ names: [String]) -> [(Int, String)] {
            var found: [(Int, String)] = []
            var taken = Set<String>()
            for (index, raw) in names.enumerated() {
                let name = normalise(raw)
                if let column = columns.first(where: { $0.names.contains(name) }), !taken.contains(column.key) {
                    taken.insert(column.key)
                    found.append((index, column.key))
                }
            }
            return found
        }
        mapping = map(header)
        var first = try next()
        // An HXL row: hashtags under the header.
        if let row = first, row.contains(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }),
            row.allSatisfy({ $0.isEmpty || $0.trimmingCharacters(in: .whitespaces).hasPrefix("#") })
        {
            let tagged = map(row)
            if tagged.count > mapping.count { mapping = tagged }
            first = try next()
        }
        let mapped = Set(mapping.map(\.0))
        for (index, raw) in header.enumerated() where !mapped.contains(index) && !raw.isEmpty {
            file.ignored.append(raw)
        }
        guard mapping.contains(where: { $0.1 == "name" }) else { throw .noNameColumn }
        var row = first
        while let fields = row {
            if !fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                var entry = StakeholderFileEntry(origin: "line \(csv.recordNumber)")
                entry.input.kind = ""
                // A file says nothing of these unless it has the column: the decoder's defaults hold.
                for (index, key) in mapping where index < fields.count {
                    let value = PersonRoster.undefused(fields[index].trimmingCharacters(in: .whitespacesAndNewlines))
                    entry.set(key, value)
                }
                if entry.input.kind.isEmpty {
                    entry.input.kind = entry.organisation.isEmpty ? "organisation" : "person"
                }
                file.entries.append(entry)
            }
            row = try next()
        }
        return file
    }

    /// One CSV line of the export (with a CRLF), every cell guarded against formulas.
    public static func line(_ cells: [String]) -> String { FlowExchange.line(cells) }
}

extension StakeholderFileEntry {
    /// Sets a field by its column key; an empty cell gives nothing.
    mutating func set(_ key: String, _ value: String) {
        guard !value.isEmpty else { return }
        given.insert(key)
        switch key {
        case "id": id = value
        case "kind": input.kind = value.lowercased() == "organization" ? "organisation" : value.lowercased()
        case "name": input.name = value
        case "acronym": input.acronym = value
        case "actor_type": input.actorType = value.lowercased().replacingOccurrences(of: " ", with: "_")
        case "organisation": organisation = value
        case "position": input.position = value
        case "mandate": input.mandate = value
        case "topic": input.topic = value.lowercased()
        case "relation": input.relation = value.lowercased().replacingOccurrences(of: " ", with: "_")
        case "influence": input.influence = value
        case "interest": input.interest = value
        case "owner": ownerEmail = value
        case "last_verified_on": input.lastVerifiedOn = value
        case "emails": input.emails = [value]
        // Lines of the export, or numbers separated by "|" or ";".
        case "phones":
            input.phones = value.split(whereSeparator: { $0 == "|" || $0 == ";" || $0.isNewline }).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
        case "website": input.website = value
        case "address": input.address = value
        case "notes": input.notes = value
        case "audience": input.audience = value.lowercased()
        default: break
        }
    }
}

/// vCard (RFC 6350, 4.0; 3.0 and 2.1 as phones and mail programs still write them, quoted-printable
/// included): one card an entry. A card of `KIND:org` is an organisation; any other a person, in the
/// organisation its `ORG` names. Our own fields travel as `X-BEARING-…` properties, which other
/// programs keep and ignore.
public enum VCard {
    public struct Card: Sendable, Equatable {
        public var kind: StakeholderKind
        public var name: String
        public var organisation: String?
        public var title: String?
        public var emails: [String] = []
        /// Numbers with the kind the card gives them (cell, voice, fax, text …).
        public var phones: [(number: String, kind: String)] = []
        public var url: String?
        public var address: String?
        public var note: String?
        public var uid: String?
        /// Bearing's own properties, lower-cased without the prefix: actor_type, topic, relation, …
        public var extra: [String: String] = [:]

        public init(kind: StakeholderKind, name: String) {
            self.kind = kind
            self.name = name
        }

        public static func == (a: Card, b: Card) -> Bool {
            a.kind == b.kind && a.name == b.name && a.organisation == b.organisation && a.title == b.title
                && a.emails == b.emails && a.phones.map(\.number) == b.phones.map(\.number)
                && a.phones.map(\.kind) == b.phones.map(\.kind) && a.url == b.url && a.address == b.address
                && a.note == b.note && a.uid == b.uid && a.extra == b.extra
        }
    }

    // MARK: Writing

    /// The cards as one vCard 4.0 file, lines folded at 75 octets and ended with CRLF.
    public static func write(_ cards: [Card]) -> String {
        var out = ""
        for card in cards {
            var lines = ["BEGIN:VCARD", "VERSION:4.0"]
            if card.kind == .organisation { lines.append("KIND:org") }
            lines.append("FN:" + PersonExport.escape(card.name))
            if card.kind == .organisation {
                lines.append("ORG:" + PersonExport.escape(card.name))
            } else {
                lines.append("N:" + PersonExport.escape(card.name) + ";;;;")
                if let org = card.organisation { lines.append("ORG:" + PersonExport.escape(org)) }
            }
            if let title = card.title { lines.append("TITLE:" + PersonExport.escape(title)) }
            for email in card.emails { lines.append("EMAIL:" + PersonExport.escape(email)) }
            for phone in card.phones {
                let kind = phone.kind.isEmpty ? "voice" : phone.kind
                lines.append("TEL;VALUE=uri;TYPE=" + kind + ":tel:" + phone.number.filter { $0.isNumber || $0 == "+" })
            }
            if let url = card.url { lines.append("URL:" + PersonExport.escape(url)) }
            if let address = card.address { lines.append("ADR:;;" + PersonExport.escape(address) + ";;;;") }
            if let note = card.note { lines.append("NOTE:" + PersonExport.escape(note)) }
            if let uid = card.uid { lines.append("UID:urn:uuid:" + uid.lowercased()) }
            for (key, value) in card.extra.sorted(by: { $0.key < $1.key }) {
                lines.append(
                    "X-BEARING-" + key.uppercased().replacingOccurrences(of: "_", with: "-") + ":"
                        + PersonExport.escape(value))
            }
            lines.append("END:VCARD")
            // Escaped and folded as the personnel register's cards are (RFC 6350 §3.2, §3.4).
            for line in lines { out += PersonExport.fold(line) }
        }
        return out
    }

    // MARK: Reading

    /// The cards of a vCard file, each with where it was; a card without a name is skipped and said.
    public static func read(_ text: String) throws(StakeholderFileFailure) -> (cards: [(Int, Card)], skipped: [String])
    {
        var cards: [(Int, Card)] = []
        var skipped: [String] = []
        var current: [(name: String, params: [String: String], value: String)]?
        var count = 0
        for line in unfolded(text) {
            guard let colon = contentColon(line) else { continue }
            let head = line[..<colon]
            let value = String(line[line.index(after: colon)...])
            var parts = head.split(separator: ";").map(String.init)
            guard !parts.isEmpty else { continue }
            // A group prefix ("item1.EMAIL") names nothing we keep.
            var name = parts.removeFirst().uppercased()
            if let dot = name.lastIndex(of: ".") { name = String(name[name.index(after: dot)...]) }
            var params: [String: String] = [:]
            for p in parts {
                let kv = p.split(separator: "=", maxSplits: 1).map(String.init)
                if kv.count == 2 {
                    let key = kv[0].uppercased()
                    params[key] = params[key].map { $0 + "," + kv[1] } ?? kv[1]
                } else {
                    // vCard 2.1: a bare type ("TEL;CELL:…").
                    params["TYPE"] = params["TYPE"].map { $0 + "," + kv[0] } ?? kv[0]
                }
            }
            switch name {
            case "BEGIN" where value.uppercased() == "VCARD": current = []
            case "END" where value.uppercased() == "VCARD":
                count += 1
                if let properties = current {
                    if let card = card(properties) {
                        cards.append((count, card))
                    } else {
                        skipped.append("card \(count): no name (FN, N or ORG)")
                    }
                }
                current = nil
            default:
                current?.append((name, params, value))
            }
        }
        if count == 0 { throw .notVCard }
        return (cards, skipped)
    }

    /// Lines with their continuations joined (RFC 6350 §3.2; vCard 2.1's quoted-printable soft breaks).
    static func unfolded(_ text: String) -> [String] {
        var lines: [String] = []
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            if let first = line.first, first == " " || first == "\t", !lines.isEmpty {
                lines[lines.count - 1] += line.dropFirst()
            } else if let last = lines.last, last.uppercased().contains("QUOTED-PRINTABLE"), last.hasSuffix("=") {
                lines[lines.count - 1] = String(last.dropLast()) + line
            } else {
                lines.append(line)
            }
        }
        return lines
    }

    /// The colon that ends a property's name and parameters (a quoted parameter may hold one).
    static func contentColon(_ line: String) -> String.Index? {
        var quoted = false
        for i in line.indices {
            if line[i] == "\"" { quoted.toggle() } else if line[i] == ":" && !quoted { return i }
        }
        return nil
    }

    static func card(_ properties: [(name: String, params: [String: String], value: String)]) -> Card? {
        // The value as written, quoted-printable decoded (vCard 2.1), still escaped.
        func raw(_ p: (name: String, params: [String: String], value: String)) -> String {
            p.params["ENCODING"]?.uppercased() == "QUOTED-PRINTABLE" ? quotedPrintable(p.value) : p.value
        }
        func text(_ p: (name: String, params: [String: String], value: String)) -> String {
            unescape(raw(p)).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func first(_ name: String) -> String? {
            properties.first { $0.name == name }.map(text).flatMap { $0.isEmpty ? nil : $0 }
        }
        let isOrganisation = first("KIND")?.lowercased() == "org" || first("X-ABSHOWAS")?.uppercased() == "COMPANY"
        // ORG's first component is the organisation; the rest are units.
        let org = properties.first { $0.name == "ORG" }.map {
            unescape(components(raw($0)).first ?? "").trimmingCharacters(in: .whitespaces)
        }.flatMap { $0.isEmpty ? nil : $0 }
        var name = first("FN")
        if name == nil, let n = properties.first(where: { $0.name == "N" }) {
            // N is family;given;additional;prefix;suffix.
            let parts = components(raw(n)).map { unescape($0).trimmingCharacters(in: .whitespaces) }
            let given = parts.count > 1 ? parts[1] : ""
            name = [given, parts.first ?? ""].filter { !$0.isEmpty }.joined(separator: " ").nilIfEmpty
        }
        if isOrganisation || name == nil { name = name ?? org }
        guard let name else { return nil }
        var card = Card(kind: isOrganisation ? .organisation : .person, name: name)
        card.organisation = isOrganisation ? nil : org
        card.title = first("TITLE") ?? first("ROLE")
        card.emails = properties.filter { $0.name == "EMAIL" }.map(text).filter { !$0.isEmpty }
        card.phones = properties.filter { $0.name == "TEL" }.compactMap { p in
            var number = text(p)
            if number.lowercased().hasPrefix("tel:") { number = String(number.dropFirst(4)) }
            guard !number.isEmpty else { return nil }
            let types = (p.params["TYPE"] ?? "").lowercased().replacingOccurrences(of: "\"", with: "")
                .split(separator: ",").map(String.init)
            let kind = ["cell", "fax", "text", "video", "pager", "textphone"].first { types.contains($0) } ?? "voice"
            return (number, kind)
        }
        card.url = first("URL")
        card.address = properties.first { $0.name == "ADR" }.map { p in
            components(raw(p)).map { unescape($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                .joined(separator: ", ")
        }.flatMap { $0.isEmpty ? nil : $0 }
        card.note = first("NOTE")
        if let uid = first("UID") {
            card.uid = uid.lowercased().hasPrefix("urn:uuid:") ? String(uid.dropFirst(9)) : uid
        }
        for p in properties where p.name.hasPrefix("X-BEARING-") {
            card.extra[p.name.dropFirst(10).lowercased().replacingOccurrences(of: "-", with: "_")] = text(p)
        }
        return card
    }

    /// A structured value's components, split on unescaped semicolons.
    static func components(_ value: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for c in value {
            if escaped {
                current.append("\\")
                current.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == ";" {
                parts.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        parts.append(current)
        return parts
    }

    static func unescape(_ text: String) -> String {
        var out = ""
        var escaped = false
        for c in text {
            if escaped {
                switch c {
                case "n", "N": out += "\n"
                default: out.append(c)
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// "=C3=A9" as "é": the bytes decoded as UTF-8 once all are read.
    static func quotedPrintable(_ text: String) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.first {
            utf8 = utf8.dropFirst()
            if byte == UInt8(ascii: "="), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension VCard.Card {
    /// The card as a registry entry's file form, for the one decoder.
    public func entry(origin: String) -> StakeholderFileEntry {
        var entry = StakeholderFileEntry(origin: origin)
        entry.set("kind", kind.rawValue)
        entry.set("name", name)
        if let organisation { entry.set("organisation", organisation) }
        if let title { entry.set("position", title) }
        if !emails.isEmpty { entry.set("emails", emails.joined(separator: ",")) }
        if !phones.isEmpty {
            entry.input.phones = phones.map { $0.number + ", " + $0.kind }; entry.given.insert("phones")
        }
        if let url { entry.set("website", url) }
        if let address { entry.set("address", address) }
        if let note { entry.set("notes", note) }
        for (key, value) in extra {
            switch key {
            case "id": entry.set("id", value)
            case "acronym", "actor_type", "mandate", "topic", "relation", "influence", "interest", "owner",
                "last_verified_on", "audience":
                entry.set(key, value)
            default: break
            }
        }
        if entry.id.isEmpty, let uid, UUID(uuidString: uid) != nil { entry.id = uid }
        return entry
    }
}
