import Domain
import Fluent
import Foundation
import Persistence
import Views

/// What the coordination log's pages and API share: attendees typed by name found in the registry,
/// and meetings as the pages show them.
struct Meetings {
    let database: any Database

    /// Finds each typed attendee ("UNHCR", "Amna Idris (SRCS)") among the entries `scope` sees. A
    /// name that matches nothing, or several, is a problem of the `attendees` field, said by line.
    func attendees(_ text: String, scope: Scope) async throws -> [StakeholderID] {
        let store = StakeholderStore(database)
        var ids: [StakeholderID] = []
        var problems: [String] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { continue }
            var name = line
            var organisation: String?
            // "Name (Organisation)": a person, told apart from namesakes by their organisation.
            if line.hasSuffix(")"), let open = line.lastIndex(of: "(") {
                name = line[..<open].trimmingCharacters(in: .whitespaces)
                organisation = String(line[line.index(after: open)..<line.index(before: line.endIndex)])
            }
            var found = try await store.matching(name, in: scope)
            if let organisation, found.count != 1 || found[0].draft.kind == .person {
                let orgs = Set(try await store.matching(organisation, in: scope).map(\.id))
                found = found.filter { $0.draft.organisationID.map(orgs.contains) ?? false }
            }
            if found.isEmpty, organisation != nil {
                found = try await store.matching(line, in: scope)
            }
            switch found.count {
            case 1: if !ids.contains(found[0].id) { ids.append(found[0].id) }
            case 0: problems.append("“\(line)” is not in the registry; add it there first.")
            default:
                problems.append("“\(line)” names \(found.count) entries; write a person as “Name (Organisation)”.")
            }
        }
        if !problems.isEmpty {
            var errors = ValidationErrors()
            errors.add("attendees", key: "error.attendees", problems.joined(separator: " "))
            throw errors
        }
        return ids
    }

    /// The attendees as the form writes them back: a line each, people with their organisation.
    func attendeeText(_ ids: [StakeholderID], scope: Scope) async throws -> String {
        let store = StakeholderStore(database)
        let entries = try await store.find(ids, in: scope)
        let organisations = try await store.find(entries.values.compactMap(\.draft.organisationID), in: scope)
        return ids.compactMap { id in
            guard let entry = entries[id] else { return nil }
            if entry.draft.kind == .person, let org = entry.draft.organisationID.flatMap({ organisations[$0] }) {
                return "\(entry.draft.name) (\(org.shortName))"
            }
            return entry.draft.name
        }.joined(separator: "\n")
    }

    /// Meetings as the pages list them: representatives and attendees named, action points resolved.
    func lines(_ records: [MeetingRecord], _ n: NetworkContext) async throws -> [MeetingLine] {
        let store = StakeholderStore(database)
        let attendees = try await store.find(records.flatMap(\.draft.attendeeIDs), in: n.scope)
        let organisations = try await store.find(attendees.values.compactMap(\.draft.organisationID), in: n.scope)
        let names = n.memberNames
        let actions = try await n.actionLines(records.flatMap(\.actions), on: database)
        let actionsByMeeting = Dictionary(grouping: actions, by: \.meetingID)
        return records.map { r in
            MeetingLine(
                id: r.id, draft: r.draft,
                representatives: r.draft.representativeIDs.compactMap { names[$0] }
                    + (r.draft.representativeNote.map { [$0] } ?? []),
                attendees: r.draft.attendeeIDs.compactMap { id in
                    attendees[id].map { entry in
                        let org =
                            entry.draft.kind == .person
                            ? entry.draft.organisationID.flatMap { organisations[$0]?.shortName } : nil
                        return (id, org.map { "\(entry.draft.name) (\($0))" } ?? entry.shortName)
                    }
                }, actions: actionsByMeeting[r.id] ?? [])
        }
    }
}
