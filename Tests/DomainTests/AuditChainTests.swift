import Domain
import Foundation
import Testing

@Suite("Audit hash chain")
struct AuditChainTests {
    static func chain(_ count: Int) -> [AuditEntry] {
        var entries: [AuditEntry] = []
        var previous = AuditChain.genesis
        for i in 1...count {
            let at = Date(timeIntervalSince1970: 1_800_000_000 + Double(i))
            let changes = AuditChain.changes(before: ["name": "old \(i)"], after: ["name": "new \(i)"])
            let hash = AuditChain.hash(
                previousHash: previous, sequence: Int64(i), occurredAt: at, actorID: "u", operationID: "o",
                recordKind: "site", recordID: "s\(i)", action: .update, changes: changes)
            entries.append(
                AuditEntry(
                    sequence: Int64(i), occurredAt: at, actorID: "u", operationID: "o", recordKind: "site",
                    recordID: "s\(i)",
                    action: .update, changes: changes, previousHash: previous, hash: hash))
            previous = hash
        }
        return entries
    }

    @Test("an intact chain verifies")
    func intact() { #expect(AuditChain.verify(Self.chain(5)) == nil) }

    @Test("an altered entry is reported by its sequence number")
    func altered() {
        var entries = Self.chain(5)
        let e = entries[2]
        entries[2] = AuditEntry(
            sequence: e.sequence, occurredAt: e.occurredAt, actorID: "intruder", operationID: e.operationID,
            recordKind: e.recordKind, recordID: e.recordID, action: e.action, changes: e.changes,
            previousHash: e.previousHash, hash: e.hash)
        #expect(AuditChain.verify(entries)?.sequence == 3)
    }

    @Test("a removed entry is reported where the gap is")
    func removed() {
        var entries = Self.chain(5)
        entries.remove(at: 1)
        let broken = AuditChain.verify(entries)
        #expect(broken?.sequence == 3)
        #expect(broken?.reason.contains("removed") == true)
    }

    @Test("changes record only the fields that differ, before and after")
    func changes() throws {
        let json = AuditChain.changes(before: ["a": "1", "b": "2", "c": nil], after: ["a": "1", "b": "3", "c": "x"])
        let decoded = try JSONDecoder().decode([String: [String?]].self, from: Data(json.utf8))
        #expect(decoded == ["b": ["2", "3"], "c": [nil, "x"]])
    }
}

@Suite("Hex helpers")
struct HexTests {
    @Test("SHA-256 matches the published test vector, and random secrets differ and have the asked length")
    func hex() {
        #expect(Hex.sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let a = Hex.random(byteCount: 24), b = Hex.random(byteCount: 24)
        #expect(a.count == 48 && b.count == 48 && a != b)
        #expect(a.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(Hex.encode([0x00, 0x0F, 0xA0, 0xFF, 0x5C]) == "000fa0ff5c")
    }
}
