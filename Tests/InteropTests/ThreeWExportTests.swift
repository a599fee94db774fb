import Domain
import Foundation
import Interop
import Testing

@Suite("3W export")
struct ThreeWExportTests {
    @Test("CSV and HXL: the tags the 3W needs, one line an activity, text a spreadsheet would run defused")
    func threeW() throws {
        let draft = ActivityDraft(
            name: "=HSP at Gallabat", kind: .hsp, sector: .migration, areaPcode: "SD12001",
            populationTypes: [.refugees, .migrantsInTransit], phase: .acute, startOn: DateText.day("2026-05-01")!,
            implementer: "SRCS", targeted: 1_000, reached: 400)
        let rows = [ThreeWExport.Row(draft: draft, adm1Code: "SD12", adm1Name: "Gedaref", areaName: "Gallabat")]
        let hxl = ThreeWExport.text(rows, format: .hxl).split(separator: "\r\n").map(String.init)
        #expect(hxl.count == 3)
        for tag in ["#org+impl", "#sector", "#adm1+code", "#activity+name", "#targeted", "#reached", "#date+start"] {
            #expect(hxl[1].split(separator: ",").contains(Substring(tag)), "\(tag)")
        }
        #expect(
            hxl[2].contains(
                "SRCS,migration_and_displacement,SD12,Gedaref,SD12001,Gallabat,'=HSP at Gallabat,hsp,REF MIT,acute,2026-05-01,,1000,400"
            ))
        let csv = ThreeWExport.text(rows, format: .csv).split(separator: "\r\n")
        #expect(csv.count == 2 && csv[0].hasPrefix("organization,sector,adm1_code"))
    }
}
