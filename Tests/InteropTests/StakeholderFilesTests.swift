import Domain
import Foundation
import TestFiles
import Testing

@testable import Interop

@Suite("Stakeholder files: CSV and vCard")
struct StakeholderFilesTests {
    @Test(
        "Open Referral's organizations table is read as organisations: name, e-mail and web address; other columns named",
        .enabled(if: SharedDataFolder.url != nil, "shared/data not found"))
    func hsdsOrganizations() throws {
        let url = try #require(SharedDataFolder.url).appendingPathComponent("hsds/v1.1-sample/organizations.csv")
        let file = try StakeholderCSV.read(url: url)
        #expect(file.entries.count == 10)
        let first = try #require(file.entries.first)
        #expect(first.input.name == "Sanctuary Example City" && first.input.kind == "organisation")
        #expect(first.input.emails == ["sanctuary@example.com"] && first.input.website == "http://example.com")
        #expect(first.origin == "line 2")
        #expect(file.ignored.contains("description") && file.ignored.contains("tax_status"))
        #expect(!first.given.contains("actor_type"), "the table does not type its organisations")
    }

    @Test("a semicolon file from a spreadsheet, with an HXL row, a guarded phone and a person's organisation")
    func spreadsheet() throws {
        let text = """
            Full name;Organisation;Job title;E-mail;Mobile;Type
            #contact+name;#org;#contact+title;#contact+email;#contact+phone;#org+type
            Ahmed Saleh;UNDSS;FSCO;ahmed@undss.example;'+249 912 555 900;un agency

            Fatima Bashir;COR;Director;;+249 441 000 030 | +249 912 000 031;ministry
            """
        let file = try StakeholderCSV.read(string: text)
        #expect(file.entries.count == 2)
        let ahmed = file.entries[0]
        #expect(ahmed.input.kind == "person" && ahmed.organisation == "UNDSS" && ahmed.input.position == "FSCO")
        #expect(ahmed.input.phones == ["+249 912 555 900"], "the apostrophe a spreadsheet export adds is removed")
        #expect(ahmed.input.actorType == "un_agency")
        #expect(file.entries[1].input.phones.count == 2 && file.entries[1].origin == "line 5")
    }

    @Test("a file without a name column, and one that is not UTF-8, are refused whole")
    func refused() throws {
        #expect(throws: StakeholderFileFailure.noNameColumn) {
            try StakeholderCSV.read(string: "email,phone\na@b.c,1234\n")
        }
        #expect(throws: StakeholderFileFailure.empty) { try StakeholderCSV.read(string: "") }
        #expect(throws: StakeholderFileFailure.notVCard) { try VCard.read("hello\n") }
    }

    @Test(
        "vCards as phones write them: 2.1 with quoted-printable, 3.0 folded, an organisation card, a card without a name"
    )
    func cards() throws {
        let text = [
            "BEGIN:VCARD", "VERSION:2.1", "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Marchand;H=C3=A9l=C3=A8ne;;;",
            "ORG:ICRC;Protection", "TEL;CELL:+249 912 000 210", "TEL;WORK;VOICE:+249 183 000 210",
            "EMAIL;PREF;INTERNET:hmarchand@icrc.example", "END:VCARD",
            "BEGIN:VCARD", "VERSION:3.0", "FN:Samir Abdelrahman", "ORG:Humanitarian Aid Commission",
            "TITLE:Director of the Gedaref office\\, HAC",
            "NOTE:Prefers calls in the morning.\\nSpeaks Arabic and Eng", " lish.",
            "item1.TEL;type=CELL;type=VOICE;type=pref:+249 912 111 222", "END:VCARD",
            "BEGIN:VCARD", "VERSION:4.0", "KIND:org", "FN:INSO", "ORG:INSO", "URL:https://ngosafety.org", "END:VCARD",
            "BEGIN:VCARD", "VERSION:3.0", "TEL:+249 1", "END:VCARD",
        ].joined(separator: "\r\n")
        let (cards, skipped) = try VCard.read(text)
        #expect(cards.count == 3 && skipped == ["card 4: no name (FN, N or ORG)"])
        let helene = cards[0].1
        #expect(helene.name == "Hélène Marchand" && helene.kind == .person && helene.organisation == "ICRC")
        #expect(helene.phones.map(\.kind) == ["cell", "voice"] && helene.emails == ["hmarchand@icrc.example"])
        let samir = cards[1].1
        #expect(samir.title == "Director of the Gedaref office, HAC")
        #expect(samir.note == "Prefers calls in the morning.\nSpeaks Arabic and English.")
        #expect(samir.phones.first?.kind == "cell")
        #expect(cards[2].1.kind == .organisation && cards[2].1.url == "https://ngosafety.org")
        let entry = helene.entry(origin: "card 1")
        #expect(entry.input.kind == "person" && entry.organisation == "ICRC")
        #expect(entry.input.phones == ["+249 912 000 210, cell", "+249 183 000 210, voice"])
    }

    @Test("Bearing's vCard reads back the same: Arabic names folded between characters, our fields as X-BEARING-")
    func roundTrip() throws {
        var card = VCard.Card(
            kind: .person, name: "آمنة خالد عبد الرحمن محمد أحمد الطيب الحسن, مسؤولة الحماية; فرع القضارف")
        card.organisation = "Sudanese Red Crescent Society"
        card.title = "Protection officer"
        card.emails = ["amna@srcs.example"]
        card.phones = [("+249912300101", "cell")]
        card.note = "Line one\nLine two; with a semicolon"
        card.uid = UUID().uuidString
        card.extra = ["actor_type": "host_national_society", "topic": "both", "influence": "4"]
        let text = VCard.write([card])
        for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75) }
        let (cards, _) = try VCard.read(text)
        var expected = card
        expected.uid = card.uid?.lowercased()
        #expect(cards.first?.1 == expected)
        let entry = try #require(cards.first?.1).entry(origin: "card 1")
        #expect(entry.input.actorType == "host_national_society" && entry.input.influence == "4")
        #expect(entry.id.lowercased() == card.uid?.lowercased())
    }
}
