import Domain
import Foundation
import Testing

@Suite("The tally decoder (form, API and importer alike)")
struct FlowTallyInputTests {
    /// 2026-11-23 00:00 UTC, and the moment the rules are judged at, that evening.
    static let day = 1_795_392_000.0
    static let now = Date(timeIntervalSince1970: day + 20 * 3_600)
    static let point = UUID(uuidString: "5A0B7C8D-1E2F-4A5B-9C6D-7E8F9A0B1C2D")!

    static func good() -> FlowTallyInput {
        var input = FlowTallyInput()
        input.point = point.uuidString
        input.windowStart = "2026-11-23 06:00"
        input.windowEnd = "18:00"
        input.direction = "incoming"
        input.total = "1042"
        input.bins = ["f_18_59": "10", "m_18_59": "12", "f_0_4": "5", "m_0_4": ""]
        input.nationality = "sdn"
        input.originCountry = " SDN "
        input.originArea = "SD01"
        input.finalDestination = "Cairo"
        input.transport = "bus"
        input.vulnerable = ["uasc": "2", "older_people": ""]
        input.reasons = ["conflict_violence", ""]
        input.notes = " met at the gate "
        return input
    }

    /// The fields refused, or none.
    static func fields(_ input: FlowTallyInput) -> Set<String> {
        do {
            _ = try input.draft(now: now)
            return []
        } catch {
            return Set(error.errors.compactMap(\.field))
        }
    }

    @Test("a good tally: its window, counts, the scheme its bins say; codes upper-cased, text trimmed, empty not given")
    func good() throws {
        let draft = try Self.good().draft(now: Self.now)
        #expect(draft.pointID.rawValue == Self.point)
        #expect(draft.windowStart == Date(timeIntervalSince1970: Self.day + 6 * 3_600))
        #expect(draft.windowEnd == Date(timeIntervalSince1970: Self.day + 18 * 3_600))
        #expect(draft.direction == .incoming && draft.total == 1_042)
        #expect(draft.scheme == .unhcr && draft.bins == ["f_18_59": 10, "m_18_59": 12, "f_0_4": 5])
        #expect(draft.nationality == "SDN" && draft.originCountry == "SDN" && draft.originArea == "SD01")
        #expect(draft.finalDestination == "Cairo" && draft.nextDestination == nil && draft.transport == .bus)
        #expect(draft.vulnerable == [.unaccompaniedOrSeparatedChildren: 2] && draft.reasons == [.conflictViolence])
        #expect(draft.notes == "met at the gate")
        var sexes = Self.good()
        sexes.bins = ["f": "20", "m": "22"]
        #expect(try sexes.draft(now: Self.now).scheme == .sex)
    }

    @Test("the end: a time of day on the start's day (the next at or before the start), a time as written, or none")
    func windows() throws {
        var input = Self.good()
        func hours() throws -> Double {
            let draft = try input.draft(now: Self.now)
            return draft.windowEnd.timeIntervalSince(draft.windowStart) / 3_600
        }
        input.windowStart = "2026-11-22T18:00"
        input.windowEnd = "06:00"
        #expect(try hours() == 12, "a night shift")
        input.windowEnd = "18:00"
        #expect(try hours() == 24)
        input.windowEnd = ""
        #expect(try hours() == 0)
        input.windowStart = "2026-11-23T06:00:00Z"
        input.windowEnd = "2026-11-23T12:00:00+03:00"
        #expect(try hours() == 3, "a zone moves the time to UTC")
        input.windowEnd = "2026-11-23T05:00:00Z"
        #expect(Self.fields(input) == ["window_end"], "a full time before the start is not moved")
        input.windowEnd = "25:00"
        #expect(Self.fields(input) == ["window_end"])
    }

    @Test("what is required: the point, the start, the direction and the number of people")
    func required() {
        #expect(Self.fields(FlowTallyInput()) == ["point", "window_start", "direction", "total"])
    }

    @Test("bad input: every field named at once, then the draft's rules for the fields still clean")
    func refused() throws {
        var input = Self.good()
        input.point = "FMP Argeen"
        input.windowStart = "yesterday"
        input.direction = "sideways"
        input.total = "-3"
        input.bins = ["x_1": "3", "f_0_4": "many"]
        input.vulnerable = ["bored": "1", "uasc": "two"]
        input.transport = "camel"
        input.reasons = ["boredom"]
        input.nationality = "ZZZ"
        #expect(
            Self.fields(input) == [
                "point", "window_start", "direction", "total", "bins", "vulnerable",
                "vulnerable[uasc]", "transport", "reasons", "nationality",
            ])
        do {
            _ = try input.draft(now: Self.now)
        } catch {
            #expect(error.message(for: "direction")?.messageKey == "error.choice")
            #expect(error.message(for: "direction")?.message == "“sideways” is not incoming, outgoing or transit.")
            #expect(error.message(for: "total")?.messageKey == "error.number")
            #expect(error.message(for: "nationality")?.messageKey == "error.country_code")
        }

        // A tally's counts are digits, as the phone form's numeric fields send them.
        var grouped = Self.good()
        grouped.total = "1,042"
        #expect(Self.fields(grouped) == ["total"])

        // The draft's own rules: a breakdown or a vulnerable group larger than the group, a start in the future.
        var rules = Self.good()
        rules.total = "10"
        rules.vulnerable = ["uasc": "11"]
        rules.windowStart = "2026-11-24 06:00"
        #expect(Self.fields(rules) == ["bins", "vulnerable[uasc]", "window_start"])
    }

    @Test("round trip: the input of a draft gives the same draft")
    func roundTrip() throws {
        let draft = try Self.good().draft(now: Self.now)
        #expect(try FlowTallyInput(draft).draft(now: Self.now) == draft)
        var night = Self.good()
        night.windowStart = "2026-11-22 18:00"
        night.windowEnd = "06:00"
        night.bins = ["f": "1", "m": "2"]
        night.transport = ""
        night.reasons = []
        let other = try night.draft(now: Self.now)
        #expect(try FlowTallyInput(other).draft(now: Self.now) == other)
    }
}
