import Foundation

/// One change, as written to the append-only audit log.
public struct AuditEntry: Sendable, Hashable, Codable {
    /// `view` and `export`: someone read personal data (who looked at whom, and when).
    public enum Action: String, Sendable, Codable { case create, update, delete, view, export }

    public let sequence: Int64
    public let occurredAt: Date
    /// The ids stay the text that was hashed: an entry is evidence as written, and must read back
    /// (and fail verification) even if someone altered an id into something that is not one.
    public let actorID: String?
    public let operationID: String?
    public let recordKind: String
    public let recordID: String
    public let action: Action
    /// Changed fields: name → [before, after], JSON text of `[String: [String?]]`.
    public let changes: String
    public let previousHash: String
    public let hash: String

    public init(
        sequence: Int64, occurredAt: Date, actorID: String?, operationID: String?, recordKind: String,
        recordID: String, action: Action, changes: String, previousHash: String, hash: String
    ) {
        self.sequence = sequence
        self.occurredAt = occurredAt
        self.actorID = actorID
        self.operationID = operationID
        self.recordKind = recordKind
        self.recordID = recordID
        self.action = action
        self.changes = changes
        self.previousHash = previousHash
        self.hash = hash
    }
}

extension AuditEntry {
    /// The record's id, read as the kind of id its `recordKind` names; nil when the text is not one.
    public func recordID<Tag>(as kind: Tagged<Tag, UUID>.Type) -> Tagged<Tag, UUID>? {
        UUID(uuidString: recordID).map(Tagged.init(rawValue:))
    }
}

/// Hash-chains audit entries so that any edit, deletion or reordering shows.
public enum AuditChain {
    /// The hash that precedes the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// SHA-256 over the previous hash and every field of the entry, unambiguously delimited.
    public static func hash(
        previousHash: String, sequence: Int64, occurredAt: Date, actorID: String?, operationID: String?,
        recordKind: String, recordID: String, action: AuditEntry.Action, changes: String
    ) -> String {
        // Milliseconds since 1970 survive every database's timestamp round trip.
        let millis = Int64((occurredAt.timeIntervalSince1970 * 1000).rounded())
        let fields = [
            previousHash, String(sequence), String(millis), actorID ?? "", operationID ?? "",
            recordKind, recordID, action.rawValue, changes,
        ]
        // Length-prefix each field so that no two field lists hash the same text.
        let text = fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
        return Hex.sha256(text)
    }

    /// Rounds a date to what the hash covers (milliseconds).
    public static func normalise(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }

    /// The first entry whose link is broken, if any.
    public struct Break: Sendable, Hashable, CustomStringConvertible {
        public let sequence: Int64
        public let reason: String
        public init(sequence: Int64, reason: String) {
            self.sequence = sequence
            self.reason = reason
        }
        public var description: String { "entry \(sequence): \(reason)" }
    }

    /// Walks the entries in sequence order from the first entry and reports the first broken link.
    public static func verify(_ entries: some Sequence<AuditEntry>) -> Break? {
        verify(entries, startingAfter: genesis, expectedSequence: 1)
    }

    /// Verifies a batch that continues a chain already checked (links inside the batch only).
    public static func verify(rebased entries: [AuditEntry]) -> Break? {
        guard let first = entries.first else { return nil }
        return verify(entries, startingAfter: first.previousHash, expectedSequence: first.sequence)
    }

    static func verify(
        _ entries: some Sequence<AuditEntry>, startingAfter genesisHash: String, expectedSequence first: Int64
    ) -> Break? {
        var previous = genesisHash
        var expectedSequence: Int64? = first
        for entry in entries {
            if let expected = expectedSequence, entry.sequence != expected {
                return Break(
                    sequence: entry.sequence,
                    reason: "sequence jumps from \(expected - 1) to \(entry.sequence) (an entry was removed)")
            }
            if entry.previousHash != previous {
                return Break(sequence: entry.sequence, reason: "previous-hash does not match the entry before it")
            }
            let recomputed = hash(
                previousHash: entry.previousHash, sequence: entry.sequence, occurredAt: entry.occurredAt,
                actorID: entry.actorID, operationID: entry.operationID, recordKind: entry.recordKind,
                recordID: entry.recordID, action: entry.action, changes: entry.changes)
            if recomputed != entry.hash {
                return Break(
                    sequence: entry.sequence, reason: "content does not match its hash (the entry was altered)")
            }
            previous = entry.hash
            expectedSequence = entry.sequence + 1
        }
        return nil
    }

    /// The field-level difference between two snapshots, as stored in `changes`.
    public static func changes(before: [String: String?], after: [String: String?]) -> String {
        var diff: [String: [String?]] = [:]
        for key in Set(before.keys).union(after.keys) {
            let old = before[key] ?? nil
            let new = after[key] ?? nil
            if old != new { diff[key] = [old, new] }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(diff)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }
}

/// The head of the audit chain written down outside the database (`bearing audit checkpoint`).
/// Whoever can write the database can rewrite the chain's tail and recompute every hash after it,
/// or delete the newest entries, and the chain alone still verifies; a checkpoint kept elsewhere
/// cannot be rewritten with it, so `verify` against it finds both.
public struct AuditCheckpoint: Sendable, Hashable {
    public var sequence: Int64
    public var hash: String
    public var at: Date

    public init(sequence: Int64, hash: String, at: Date) { self.sequence = sequence; self.hash = hash; self.at = at }

    static let prefix = "bearing-audit-checkpoint"

    /// One line: `bearing-audit-checkpoint <sequence> <hash> <time>`.
    public var line: String { "\(Self.prefix) \(sequence) \(hash) \(ISO8601DateFormatter().string(from: at))" }

    /// The checkpoints in a text (other lines, comments and blank lines are ignored); a line that
    /// starts like a checkpoint but cannot be read is an error naming its line number.
    public static func parse(_ text: String) throws(DomainError) -> [AuditCheckpoint] {
        var result: [AuditCheckpoint] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let parts = raw.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.first == Substring(prefix) else { continue }
            guard parts.count == 4, let sequence = Int64(parts[1]), sequence > 0, parts[2].count == 64,
                parts[2].allSatisfy(\.isHexDigit), let at = ISO8601DateFormatter().date(from: String(parts[3]))
            else {
                throw DomainError(
                    .invalid, field: "checkpoints", key: "error.audit_checkpoint",
                    "line \(number + 1) is not a checkpoint (\(prefix) <sequence> <hash> <time>)")
            }
            result.append(AuditCheckpoint(sequence: sequence, hash: String(parts[2]).lowercased(), at: at))
        }
        return result
    }
}
