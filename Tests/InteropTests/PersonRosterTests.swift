import Domain
import Foundation
import Testing

@testable import Interop

@Suite("Personnel rosters: reading HR and surge rosters, exporting CSV and vCard")
struct PersonRosterTests {
    @Test("a surge roster's own column names, HXL tags and word choices are read into the register's fields")
    func surgeRoster() throws {
        let csv = """
            First Name,Last Name,Position,Org,Type,Nat/Intl,Mobile,Thuraya,E-mail,Surge ID,Arrival date,Passport No.,Date of birth,Blood group\r
            Ingrid,Larsen,ERU Health Team Leader,Norwegian Red Cross,ERU,Intl,+47 912 34 567,+8821 6400 00012,Ingrid.Larsen@redcross.no,NO-ERU-7,2026-11-20,N1234567,1980-01-01,O+\r
            Grace,Wanjiru,RDRT Shelter Officer,Kenya Red Cross,rdrt,international,+254 712 345678,,grace@krcs.or.ke,KE-RDRT-2,2026-11-22,,,\r
            ,,,,,,,,,,,,,\r
            Hawa,Ali,Enumerator,SRCS,volunteer,,0912345678,,,,2026-11-01,,,\r
            """
        let result = try PersonRoster.read(CSVRows(string: csv))
        #expect(result.rows.map(\.line) == [2, 3, 5], "the blank line is skipped, lines keep their numbers")
        let ingrid = result.rows[0].input
        #expect(ingrid.fullName == "Ingrid Larsen")
        #expect(ingrid.category == "surge" && ingrid.origin == "international")
        #expect(ingrid.organisation == "Norwegian Red Cross" && ingrid.function == "ERU Health Team Leader")
        #expect(ingrid.satellitePhone == "+8821 6400 00012" && ingrid.externalID == "NO-ERU-7")
        #expect(result.rows[1].input.category == "surge")
        let hawa = result.rows[2].input
        #expect(hawa.category == "ns_volunteer" && hawa.origin == "")
        // The passport and the date of birth are never read; the blood group is no field of the register.
        #expect(
            result.ignored.map { "\($0.column):\($0.reason.rawValue)" } == [
                "Passport No.:forbidden", "Date of birth:forbidden", "Blood group:unknown",
            ])
        #expect(!result.rows.contains { "\($0.input)".contains("N1234567") })
        // Each row goes through the one decoder.
        let draft = try hawa.decoded(clock: .utc, country: "SDN")
        #expect(draft.origin == .national && draft.phones.first?.e164 == "+249912345678")
    }

    @Test("HXL-tagged columns are read; a file without names or not in UTF-8 is refused whole")
    func shapes() throws {
        let tagged = try PersonRoster.read(
            CSVRows(string: "#contact+name,#contact+phone,#contact+email\nOmer,+249911111111,omer@ifrc.org\n"))
        #expect(tagged.rows.first?.input.fullName == "Omer" && tagged.rows.first?.input.email == "omer@ifrc.org")
        #expect(throws: PersonRoster.Failure.noNameColumn) {
            try PersonRoster.read(CSVRows(string: "Phone,E-mail\n+249911111111,a@b.org\n"))
        }
        #expect(throws: PersonRoster.Failure.empty) { try PersonRoster.read(CSVRows(string: "")) }
        let latin1 = Data("Name,Phone\nJos\u{E9},1\n".utf8).map { $0 == 0xC3 ? 0x20 : $0 }  // break the UTF-8
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("roster-\(UUID()).csv")
        try Data(latin1).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: PersonRoster.Failure.notUTF8(line: 2)) { try PersonRoster.read(CSVRows(url: url)) }
    }

    func draft(_ name: String, email: String?, phones: [PhoneNumber]) -> PersonDraft {
        PersonDraft(
            fullName: name, category: .delegate, organisation: "IFRC", function: "Logistics; fleet, Port Sudan",
            languages: ["English", "Arabic"], phones: phones, radioCallSign: "ALPHA 3", email: email,
            emergencyContactName: "Maria", relocationGroup: "Port Sudan A", relocationPriority: 2,
            externalID: "DEMO-003")
    }

    @Test("the CSV export reads back through the roster and the decoder as the same person")
    func roundTrip() throws {
        let original = draft(
            "Tomás Rivera", email: "tomas@ifrc.org",
            phones: [
                PhoneNumber(kind: .mobile, reading: "+249 91 234 5678", country: nil),
                PhoneNumber(kind: .satellite, reading: "+8821 6400 00012", country: nil),
                PhoneNumber(kind: .other, reading: "=HYPERLINK(\"x\")", country: nil),
            ])
        let csv = PersonExport.csv([
            PersonExport.Row(
                draft: original, residence: "Guesthouse", assemblyPoint: nil, place: "Port Sudan", confirmedAt: Date())
        ])
        #expect(csv.contains("'=HYPERLINK"), "a formula is defused")
        let read = try PersonRoster.read(CSVRows(string: csv))
        #expect(read.ignored.isEmpty, "every exported column is one an import knows")
        let again = try read.rows[0].input.decoded(clock: .utc, country: "SDN")
        #expect(again.fullName == original.fullName && again.function == original.function)
        #expect(again.phones.map(\.e164) == ["+249912345678", "+8821640000012", nil])
        #expect(again.phones.last?.text == "=HYPERLINK(\"x\")")
        #expect(
            again.externalID == "DEMO-003" && again.relocationPriority == 2 && again.languages == original.languages)
    }

    @Test("vCard 3.0: one card a person, text escaped, long lines folded within characters")
    func vcard() {
        let card = PersonExport.vcard([
            PersonExport.Row(
                draft: draft(
                    "فاطمة إدريس", email: nil,
                    phones: [PhoneNumber(kind: .satellite, reading: "+8821 6400 00012", country: nil)]),
                residence: nil, assemblyPoint: nil, place: nil, confirmedAt: nil)
        ])
        let lines = card.components(separatedBy: "\r\n")
        #expect(
            Array(lines.prefix(3)) == ["BEGIN:VCARD", "VERSION:3.0", "FN:فاطمة إدريس"],
            "\(lines.prefix(3).map { Array($0.unicodeScalars) })")
        #expect(card.contains("TITLE:Logistics\\; fleet\\, Port Sudan\r\n"))
        #expect(card.contains("TEL;TYPE=X-SATELLITE,VOICE:+8821640000012\r\n"))
        #expect(card.contains("NOTE:Radio: ALPHA 3\\nRelocation group: Port Sudan A"))
        #expect(card.hasSuffix("END:VCARD\r\n"))
        for line in lines { #expect(line.utf8.count <= 75, "\(line)") }
        // Unfolded, the text is whole.
        #expect(card.replacingOccurrences(of: "\r\n ", with: "").contains("Emergency contact: Maria"))
    }
}
