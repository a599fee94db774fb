import Foundation
import Testing

@testable import Domain

@Suite("An operation's time zone")
struct OperationTimeTests {
    let khartoum = OperationTime(identifier: "Africa/Khartoum")!
    let london = OperationTime(identifier: "Europe/London")!
    let kolkata = OperationTime(identifier: "Asia/Kolkata")!

    @Test("only IANA names are accepted, not fixed offsets or made-up names")
    func names() {
        #expect(OperationTime(identifier: "Africa/Khartoum")?.identifier == "Africa/Khartoum")
        #expect(OperationTime(identifier: " UTC ")?.identifier == "UTC")
        for bad in ["GMT+3", "UTC+3", "Mars/Base", "africa/khartoum", ""] {
            #expect(OperationTime(identifier: bad) == nil, "\(bad)")
        }
        #expect(OperationTime.identifiers.contains("Asia/Beirut") && OperationTime.identifiers.contains("UTC"))
    }

    @Test("times are shown on the operation's clock with its offset, and UTC beside them where asked")
    func shown() throws {
        let moment = try #require(DateText.time("2026-12-05T15:14Z"))
        #expect(khartoum.minute(moment) == "2026-12-05 17:14 UTC+2")
        #expect(khartoum.minuteWithUTC(moment) == "2026-12-05 17:14 UTC+2 (15:14 UTC)")
        #expect(kolkata.minute(moment) == "2026-12-05 20:44 UTC+5:30")
        #expect(OperationTime.utc.minuteWithUTC(moment) == "2026-12-05 15:14 UTC")
        let late = try #require(DateText.time("2026-12-05T23:30Z"))
        #expect(khartoum.minuteWithUTC(late) == "2026-12-06 01:30 UTC+2 (2026-12-05 23:30 UTC)")
        #expect(khartoum.day(late) == "2026-12-06" && khartoum.formTime(late) == "2026-12-06T01:30")
        #expect(OperationTime(identifier: "America/Bogota")!.offsetLabel(at: moment) == "UTC-5")
    }

    @Test("times entered without a zone are on the operation's clock; an explicit zone is kept")
    func entered() throws {
        #expect(khartoum.time("2026-12-05T17:14") == DateText.time("2026-12-05T15:14Z"))
        #expect(khartoum.time("2026-12-05 17:14") == DateText.time("2026-12-05T15:14Z"))
        #expect(khartoum.time("2026-12-05T17:14Z") == DateText.time("2026-12-05T17:14Z"))
        #expect(khartoum.time("2026-12-05T17:14+01:00") == DateText.time("2026-12-05T16:14Z"))
        #expect(khartoum.time("2026-12-05") == DateText.time("2026-12-04T22:00Z"))
        #expect(khartoum.time("not a time") == nil)
        // Summer time: London's clocks go forward at 01:00 on 2026-03-29 and back at 02:00 on 2026-10-25.
        #expect(london.time("2026-07-01T12:00") == DateText.time("2026-07-01T11:00Z"))
        #expect(london.time("2026-03-29T01:30") == DateText.time("2026-03-29T01:30Z"))  // skipped: the offset before
        #expect(london.time("2026-10-25T01:30") == DateText.time("2026-10-25T00:30Z"))  // twice: the first
        // Every time read back is the time shown.
        for text in ["2026-01-15T08:05", "2026-07-15T23:59", "2026-10-25T03:00"] {
            let moment = try #require(london.time(text))
            #expect(london.formTime(moment) == text)
        }
    }
}
