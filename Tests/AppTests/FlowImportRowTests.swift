import Domain
import Foundation
import Testing

@testable import App
@testable import Interop

/// What the tally importer makes of one row of a file, before the one decoder reads it.
@Suite("A flow file's row")
struct FlowImportRowTests {
    @Test("a row with UNHCR's sex-and-age bins and the sex totals beside them is read by its age bins, as before")
    func ageBinsWinOverSexTotals() throws {
        let row = FlowReader.Row(
            number: 2,
            values: [
                "window_start": "2026-11-20T06:00", "window_end": "2026-11-20T18:00", "direction": "Incoming",
                "people": "10", "f": "6", "m": "4", "f_18_59": "6", "m_18_59": "4",
            ])
        let input = FlowImportService.input(row, point: SiteID(UUID()))
        #expect(input.bins == ["f_18_59": "6", "m_18_59": "4"])
        let draft = try input.draft(now: Date(timeIntervalSince1970: 1_795_443_900))
        #expect(draft.scheme == .unhcr && draft.bins["f"] == nil && draft.direction == .incoming)
        // Sex totals alone stay what they are.
        let sexOnly = FlowReader.Row(number: 3, values: ["f": "6", "m": "4"])
        #expect(FlowImportService.input(sexOnly, point: nil).bins == ["f": "6", "m": "4"])
    }
}
