import Domain
import Foundation
import Testing

@Suite("Days and times as text")
struct DateTextTests {
    @Test("days: real ones read as the start of the day in UTC; anything else is refused")
    func days() {
        #expect(DateText.day("2026-11-23") == Date(timeIntervalSince1970: 1_795_392_000))
        #expect(DateText.day(" 2024-2-29 ") == Date(timeIntervalSince1970: 1_709_164_800))
        #expect(DateText.day("1970-01-01") == Date(timeIntervalSince1970: 0))
        for bad in [
            "", "2026-02-29", "2026-13-01", "2026-00-10", "2026-11-31", "26-11-23", "2026-11", "2026-11-23-1",
            "+2026-11-23",
            "2026-1a-02", "0000-01-01", "2026-11-23T10:00", String(repeating: "9", count: 10_000),
        ] {
            #expect(DateText.day(bad) == nil, "\(bad.prefix(20))")
        }
    }

    @Test("times: with minutes or seconds, T or a space, or a day alone; out-of-range clocks are refused")
    func times() {
        let day = 1_795_392_000.0
        #expect(DateText.time("2026-11-23T14:05") == Date(timeIntervalSince1970: day + 14 * 3_600 + 5 * 60))
        #expect(DateText.time("2026-11-23 14:05:09") == Date(timeIntervalSince1970: day + 14 * 3_600 + 5 * 60 + 9))
        #expect(DateText.time("2026-11-23") == Date(timeIntervalSince1970: day))
        // An ISO 8601 zone after a "T" moves the time to UTC (the API's times carry one).
        #expect(DateText.time("2026-11-23T14:05Z") == Date(timeIntervalSince1970: day + 14 * 3_600 + 5 * 60))
        #expect(DateText.time("2026-11-23T14:05:09Z") == Date(timeIntervalSince1970: day + 14 * 3_600 + 5 * 60 + 9))
        #expect(DateText.time("2026-11-23T17:05+03:00") == Date(timeIntervalSince1970: day + 14 * 3_600 + 5 * 60))
        #expect(DateText.time("2026-11-23T12:35-0130") == Date(timeIntervalSince1970: day + 14 * 3_600 + 5 * 60))
        #expect(DateText.time("2026-11-23T00:30+01:00") == Date(timeIntervalSince1970: day - 30 * 60))
        // A fraction of a second, as JavaScript and the gateways write it.
        #expect(
            DateText.time("2026-11-23T14:05:09.25Z") == Date(timeIntervalSince1970: day + 14 * 3_600 + 5 * 60 + 9.25))
        for bad in [
            "2026-11-23T14:05:09.", "2026-11-23T14:05:09.1234567890", "2026-11-23T14:05:9.5", "2026-11-23T14:05.5",
            "2026-11-23T14:05:09.x",
        ] {
            #expect(DateText.time(bad) == nil, "\(bad)")
        }
        for bad in [
            "2026-11-23T24:00", "2026-11-23T10:60", "2026-11-23T1:05", "2026-11-23T10:05:60", "2026-11-23T",
            "2026-11-23T10",
            "2026-11-23 10:05Z", "2026-11-23T10:05ZZ", "2026-11-23T10:05+3", "2026-11-23T10:05+24:00",
            "2026-11-23T10:05+03:60",
            "2026-11-23T10:05+0:300", "2026-11-23Z", "0001-01-01T00:30+01:00", "9999-12-31T23:30-01:00",
            "2026-11-23 10:05 x", "T10:05", "2026-11-23T-1:05",
        ] {
            #expect(DateText.time(bad) == nil, "\(bad)")
        }
    }

    @Test("written back as pages, forms and exports show them; a moment outside years 1–9999 does not trap")
    func formatting() {
        let moment = Date(timeIntervalSince1970: 1_795_392_000 + 14 * 3_600 + 5 * 60 + 9)
        #expect(DateText.day(moment) == "2026-11-23")
        #expect(DateText.minute(moment) == "2026-11-23 14:05 UTC")
        #expect(DateText.formTime(moment) == "2026-11-23T14:05")
        #expect(DateText.day(Date(timeIntervalSince1970: -1)) == "1969-12-31")
        #expect(DateText.minute(Date(timeIntervalSince1970: -1)) == "1969-12-31 23:59 UTC")
        #expect(DateText.day(Date(timeIntervalSince1970: 1e308)) == "—")
        #expect(DateText.formTime(Date(timeIntervalSince1970: .nan)) == "")
        for text in ["0001-01-01", "9999-12-31", "2000-02-29"] {
            #expect(DateText.day(DateText.day(text)!) == text)
        }
    }
}
