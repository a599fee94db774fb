import CSV
import Foundation
import Testing

@testable import Interop

@Suite("The streaming CSV reader")
struct CSVRowsTests {
    func all(_ rows: CSVRows) throws -> [[String]] {
        var out: [[String]] = []
        while let row = try rows.next() { out.append(row) }
        return out
    }

    @Test("quotes, doubled quotes, line breaks in quotes, CRLF and LF, empty fields, a byte-order mark")
    func rfc4180() throws {
        let text = "\u{FEFF}a,b,c\r\n1,\"two, \"\"quoted\"\"\",\"line\nbreak\"\n,,\nلا,\"\",x\r\nlast,row,no-newline"
        #expect(
            try all(CSVRows(string: text)) == [
                ["a", "b", "c"], ["1", "two, \"quoted\"", "line\nbreak"], ["", "", ""], ["لا", "", "x"],
                ["last", "row", "no-newline"],
            ])
    }

    @Test("a file of several chunks reads exactly as CSV.swift reads it, fields spanning chunk boundaries included")
    func chunks() throws {
        var text = "id,note,value\n"
        for i in 0..<15_000 {
            text +=
                "\(i),\"note \(i), with \"\"quotes\"\" and\na break \(String(repeating: "é", count: i % 97))\",\(i * 3)\r\n"
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("csvrows-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(text.utf8).write(to: url)
        #expect(text.utf8.count > 2 << 20, "more than two 1 MB chunks")
        let ours = try all(CSVRows(url: url))
        let reference = try CSVReader(string: text, hasHeaderRow: false)
        var theirs: [[String]] = []
        while let row = reference.next() { theirs.append(row) }
        #expect(ours.count == 15_001 && ours == theirs)
    }

    @Test("bytes that are not UTF-8 are named by record")
    func notUTF8() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("csvrows-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("a,b\n1,2\n3,".utf8 + [0xE9, 0x74, 0xE9] + Data("\n".utf8)).write(to: url)
        let rows = try CSVRows(url: url)
        #expect(try rows.next() == ["a", "b"] && (try rows.next()) == ["1", "2"])
        #expect(throws: CSVRows.Failure.notUTF8(row: 3)) { try rows.next() }
    }
}
