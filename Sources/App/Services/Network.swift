import Domain
import Fluent
import Foundation
import Interop
import Persistence

/// The stakeholder registry's imports and exports (CSV and vCard), shared by the pages, the API and
/// the command line.
struct Network {
    let database: any Database

    /// What an import does with an entry already in the registry (the same name, or its id).
    struct ImportOptions: Sendable {
        /// Merge duplicates into the entry they repeat; otherwise they are left out and listed.
        var merge = false
        /// The type of entries the file does not type (an address book's cards).
        var defaultType: StakeholderType?
        var defaultTopic: StakeholderTopic?
    }

    struct Report: Sendable {
        var file: String
        var read = 0
        var counts = StakeholderStore.ImportCounts()
        var rejected: [String] = []
        var duplicates: [String] = []
        var notes: [String] = []

        var lines: [String] {
            [
                "\(file): \(read) entr\(read == 1 ? "y" : "ies") read: \(counts.added) added, \(counts.merged) merged, \(counts.unchanged) unchanged, \(rejected.count + duplicates.count) not imported."
            ] + duplicates + rejected + notes
        }
    }

    /// A CSV or a vCard file, told apart by its name and its first line.
    static func read(url: URL, name: String) throws(StakeholderFileFailure) -> StakeholderFile {
        let lower = name.lowercased()
        let head: String
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            head = String(decoding: try handle.read(upToCount: 256) ?? Data(), as: UTF8.self)
        } catch { throw .unreadable("\(error)") }
        if lower.hasSuffix(".vcf") || lower.hasSuffix(".vcard")
            || head.trimmingCharacters(in: .whitespacesAndNewlines).uppercased().hasPrefix("BEGIN:VCARD")
        {
            let data: Data
            do { data = try Data(contentsOf: url) } catch { throw .unreadable("\(error)") }
            guard let text = String(data: data, encoding: .utf8) else { throw .notUTF8(line: 1) }
            let (cards, skipped) = try VCard.read(text)
            var file = StakeholderFile()
            file.entries = cards.map { $0.1.entry(origin: "card \($0.0)") }
            file.ignored = skipped
            return file
        }
        return try StakeholderCSV.read(url: url)
    }

    /// Checks every entry with the one decoder, finds duplicates, and stores what passed in one
    /// transaction.
    func importFile(
        _ file: StakeholderFile, name: String, options: ImportOptions, scope: Scope, actorID: UserID?, now: Date
    ) async throws -> Report {
        var report = Report(file: name, read: file.entries.count)
        if !file.ignored.isEmpty {
            report.notes.append("Not read: " + file.ignored.joined(separator: ", ") + ".")
        }
        let store = StakeholderStore(database)
        let members = try await OperationStore(database).members(of: scope.operationID)
        let memberByEmail = Dictionary(
            members.map { ($0.email.lowercased(), $0.userId) }, uniquingKeysWith: { a, _ in a })
        // The organisations the importer sees, by folded name and by acronym.
        var organisations: [String: StakeholderID] = [:]
        var names: [StakeholderID: String] = [:]
        for org in try await store.all(in: scope, filter: .init(kind: .organisation)) {
            names[org.id] = org.draft.name
            organisations[StakeholderStore.nameKey(org.draft.name)] =
                organisations[StakeholderStore.nameKey(org.draft.name)] ?? org.id
            if let acronym = org.draft.acronym {
                organisations[StakeholderStore.nameKey(acronym)] =
                    organisations[StakeholderStore.nameKey(acronym)] ?? org.id
            }
        }
        var people: [String: StakeholderID] = [:]
        for person in try await store.all(in: scope, filter: .init(kind: .person)) {
            people[Self.personKey(person.draft.name, person.draft.organisationID?.uuidString ?? "")] = person.id
        }
        var accepted: [StakeholderStore.Imported] = []
        // Entries of this file by key: a repeat within the file is a duplicate too.
        var inFile: [String: Int] = [:]
        var newOrganisations: [String: String] = [:]
        let ordered =
            file.entries.filter { ($0.input.kind) != StakeholderKind.person.rawValue }
            + file.entries.filter { $0.input.kind == StakeholderKind.person.rawValue }
        for entry in ordered {
            var input = entry.input
            var given = entry.given
            if input.actorType.isEmpty, let type = options.defaultType {
                input.actorType = type.rawValue
                given.insert("actor_type")
            }
            if !given.contains("topic"), let topic = options.defaultTopic { input.topic = topic.rawValue }
            var problems: [String] = []
            if !entry.ownerEmail.isEmpty {
                if let owner = memberByEmail[entry.ownerEmail.lowercased()] {
                    input.ownerID = owner.uuidString
                } else {
                    problems.append("owner: \(entry.ownerEmail) is not a member of this operation")
                }
            }
            var newOrganisationKey: String?
            if input.kind == StakeholderKind.person.rawValue, !entry.organisation.isEmpty {
                let key = StakeholderStore.nameKey(entry.organisation)
                if let id = organisations[key] {
                    input.organisationID = id.uuidString
                } else if let canonical = newOrganisations[key] {
                    newOrganisationKey = canonical
                } else {
                    // A person's organisation that the registry lacks is added with them.
                    newOrganisations[key] = key
                    newOrganisationKey = key
                    var org = StakeholderInput()
                    org.name = entry.organisation
                    org.actorType = options.defaultType?.rawValue ?? input.actorType
                    org.topic = input.topic
                    org.audience = input.audience
                    if let draft = try? org.decoded(today: now) {
                        accepted.append(
                            .init(origin: entry.origin, draft: draft, existing: nil, given: ["name", "actor_type"]))
                        report.notes.append("\(entry.origin): the organisation “\(entry.organisation)” was added.")
                    } else {
                        problems.append(
                            "organisation: “\(entry.organisation)” is not in the registry; choose a type for new entries to add it"
                        )
                        newOrganisationKey = nil
                    }
                }
            }
            let draft: StakeholderDraft
            do {
                draft = try input.decoded(today: now)
            } catch {
                problems += error.errors.map { "\($0.field ?? ""): \($0.message)" }
                report.rejected.append(
                    "\(entry.origin) (\(entry.input.name)): " + problems.joined(separator: "; ") + " (not imported)")
                continue
            }
            if !problems.isEmpty {
                report.rejected.append(
                    "\(entry.origin) (\(entry.input.name)): " + problems.joined(separator: "; ") + " (not imported)")
                continue
            }
            // The same entry: its id (Bearing's own export), else its name (and a person's organisation).
            let key =
                draft.kind == .organisation
                ? "o|" + StakeholderStore.nameKey(draft.name)
                : Self.personKey(draft.name, draft.organisationID?.uuidString ?? newOrganisationKey ?? "")
            var existing: StakeholderID?
            if let id = UUID(uuidString: entry.id).map(StakeholderID.init(rawValue:)),
                try await store.find(id, in: scope) != nil
            {
                existing = id
            } else if draft.kind == .organisation {
                existing = organisations[StakeholderStore.nameKey(draft.name)]
            } else {
                existing = people[key]
            }
            if let earlier = inFile[key] {
                if options.merge {
                    accepted[earlier].draft = StakeholderStore.merged(accepted[earlier].draft, with: draft)
                    accepted[earlier].given.formUnion(given)
                } else {
                    report.duplicates.append(
                        "\(entry.origin): “\(draft.name)” repeats \(accepted[earlier].origin) (not imported; tick “merge duplicates” to merge)"
                    )
                }
                continue
            }
            if let existing, entry.id.isEmpty || UUID(uuidString: entry.id) != existing.rawValue, !options.merge {
                report.duplicates.append(
                    "\(entry.origin): “\(draft.name)” is already in the registry (not imported; tick “merge duplicates” to merge)"
                )
                continue
            }
            inFile[key] = accepted.count
            // A new organisation of the file: its people, later in the file (by its name or its acronym), are
            // linked to it once it is made, whose key is its name's.
            if draft.kind == .organisation, existing == nil {
                let canonical = StakeholderStore.nameKey(draft.name)
                newOrganisations[canonical] = canonical
                if let acronym = draft.acronym { newOrganisations[StakeholderStore.nameKey(acronym)] = canonical }
            }
            accepted.append(
                .init(
                    origin: entry.origin, draft: draft, existing: existing, given: given,
                    newOrganisationKey: newOrganisationKey))
        }
        report.counts = try await store.importEntries(accepted, scope: scope, actorID: actorID, now: now)
        try await AuditStore(database).append(
            actorID: actorID, operationID: scope.operationID, recordKind: "stakeholder_import", recordID: name,
            action: .create,
            after: [
                "file": name, "added": String(report.counts.added), "merged": String(report.counts.merged),
                "rejected": String(report.rejected.count + report.duplicates.count),
            ], at: now)
        return report
    }

    static func personKey(_ name: String, _ organisation: String) -> String {
        "p|" + StakeholderStore.nameKey(name) + "|" + organisation
    }

    // MARK: Export

    /// The registry as CSV (Bearing's columns, which read back in), audited as a view of every entry.
    func csv(scope: Scope, filter: StakeholderStore.Filter, now: Date) async throws -> String {
        let (rows, owners, organisations) = try await exportRows(
            scope: scope, filter: filter, now: now, what: "export_csv")
        var out = StakeholderCSV.line(StakeholderCSV.header)
        for r in rows {
            let d = r.draft
            out += StakeholderCSV.line([
                r.id.uuidString, d.kind.rawValue, d.name, d.acronym ?? "", d.actorType.rawValue,
                d.organisationID.flatMap { organisations[$0] } ?? "", d.position ?? "", d.mandate ?? "",
                d.topic.rawValue, d.relation.rawValue, String(d.influence), String(d.interest),
                d.ownerID.flatMap { owners[$0] } ?? "", d.lastVerifiedOn.map(DateText.day) ?? "",
                d.emails.joined(separator: ", "), d.phones.map(\.line).joined(separator: " | "), d.website ?? "",
                d.address ?? "", d.notes ?? "", d.audience.rawValue,
            ])
        }
        return out
    }

    /// The registry as vCard 4.0: a card an entry, Bearing's fields as X-BEARING- properties.
    func vcard(scope: Scope, filter: StakeholderStore.Filter, now: Date) async throws -> String {
        let (rows, owners, organisations) = try await exportRows(
            scope: scope, filter: filter, now: now, what: "export_vcf")
        return VCard.write(
            rows.map { r in
                let d = r.draft
                var card = VCard.Card(kind: d.kind, name: d.name)
                card.organisation = d.organisationID.flatMap { organisations[$0] }
                card.title = d.position
                card.emails = d.emails
                card.phones = d.phones.map { ($0.number, $0.kind.rawValue) }
                card.url = d.website
                card.address = d.address
                card.note = d.notes
                card.uid = r.id.uuidString
                card.extra = [
                    "actor_type": d.actorType.rawValue, "topic": d.topic.rawValue, "relation": d.relation.rawValue,
                    "influence": String(d.influence), "interest": String(d.interest), "audience": d.audience.rawValue,
                ]
                if let acronym = d.acronym { card.extra["acronym"] = acronym }
                if let mandate = d.mandate { card.extra["mandate"] = mandate }
                if let owner = d.ownerID.flatMap({ owners[$0] }) { card.extra["owner"] = owner }
                if let day = d.lastVerifiedOn { card.extra["last_verified_on"] = DateText.day(day) }
                return card
            })
    }

    func exportRows(scope: Scope, filter: StakeholderStore.Filter, now: Date, what: String) async throws -> (
        [StakeholderRecord], [UserID: String], [StakeholderID: String]
    ) {
        let store = StakeholderStore(database)
        let rows = try await store.all(in: scope, filter: filter)
        let owners = Dictionary(
            try await OperationStore(database).members(of: scope.operationID).map { ($0.userId, $0.email) },
            uniquingKeysWith: { a, _ in a })
        let organisations = try await store.find(rows.compactMap(\.draft.organisationID), in: scope).mapValues(
            \.draft.name)
        try await store.recordView(of: rows.map(\.id), what: what, scope: scope, now: now)
        return (rows, owners, organisations)
    }
}
