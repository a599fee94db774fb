import Domain
import Foundation
import Testing

@Suite("Validation of drafts")
struct ValidationTests {
    @Test("an operation draft reports every bad field at once, with the field named")
    func operationErrors() {
        let draft = OperationDraft(
            code: "x", name: " ", countries: ["SDN", "XXX"], glideNumber: "FL-26", appealCode: "123")
        do {
            _ = try draft.validated()
            Issue.record("expected errors")
        } catch {
            #expect(Set(error.errors.compactMap(\.field)) == ["code", "name", "countries", "glide", "appeal"])
            #expect(error.message(for: "countries")?.message.contains("XXX") == true)
        }
    }

    @Test("a valid operation draft is normalised")
    func operationNormalised() throws {
        let draft = try OperationDraft(
            code: " sdn-2026 ", name: " Sudan ", countries: OperationDraft.parseCountries("sdn, tcd;SDN"),
            glideNumber: "ce-2023-000076-sdn", appealCode: "mdrsd033"
        ).validated()
        #expect(draft.code == "SDN-2026")
        #expect(draft.name == "Sudan")
        #expect(draft.countries == ["SDN", "TCD"])
        #expect(draft.glideNumber == "CE-2023-000076-SDN")
        #expect(draft.appealCode == "MDRSD033")
    }

    @Test("site coordinates must be WGS 84 degrees, and a phone number looks like one")
    func siteErrors() throws {
        let draft = SiteDraft(
            name: "Office", type: .office, latitude: 95, longitude: -200, contactPhone: "call me", audience: .public)
        do {
            _ = try draft.validated()
            Issue.record("expected errors")
        } catch {
            #expect(Set(error.errors.compactMap(\.field)) == ["latitude", "longitude", "contact_phone"])
        }
        #expect(throws: ValidationErrors.self) {
            try SiteDraft(name: "No coordinates", type: .camp, latitude: nil, longitude: nil, audience: .public)
                .validated()
        }
        // The phone is checked as typed, as the API document states it, then kept trimmed.
        func phone(_ text: String) throws -> String? {
            try SiteDraft(
                name: "Office", type: .office, latitude: 15, longitude: 32, contactPhone: text, audience: .public
            ).validated().contactPhone
        }
        #expect(try phone(" 0(-") == "0(-")
        #expect(try phone("+249 912 345 678") == "+249 912 345 678")
        #expect(try phone("") == nil)
        #expect(throws: ValidationErrors.self) { try phone("   ") }
        #expect(throws: ValidationErrors.self) { try phone("12") }
    }
}

@Suite("Decimal text")
struct DecimalTextTests {
    @Test(
        "fixed decimals match printf for coordinates, and never print -0",
        arguments: [
            (15.5007, 5, "15.50070"), (32.5599, 5, "32.55990"), (-17.123456, 5, "-17.12346"), (0, 5, "0.00000"),
            (-0.000001, 5, "0.00000"), (179.999999, 5, "180.00000"), (-0.5, 0, "-1"), (2.5, 1, "2.5"),
            (1234.5, 2, "1234.50"),
        ] as [(Double, Int, String)])
    func fixed(value: Double, digits: Int, expected: String) {
        #expect(DecimalText.fixed(value, digits: digits) == expected)
    }

    @Test("random coordinates print like String(format:)")
    func agreesWithFormat() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let value = Double.random(in: -180...180, using: &generator)
            let expected = String(format: "%.5f", value)
            // printf rounds the exact binary value; at an exact tie we may differ in the last digit.
            let got = DecimalText.fixed(value, digits: 5)
            #expect(got == expected || abs(Double(got)! - Double(expected)!) <= 0.0000100001, "\(value)")
        }
    }
}

@Suite("Sign-in throttling")
struct SignInThrottleTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    func failures(_ count: Int, secondsAgo: TimeInterval = 1) -> SignInThrottle.Failures {
        SignInThrottle.Failures(count: count, latest: count == 0 ? nil : now.addingTimeInterval(-secondsAgo))
    }

    @Test(
        "the wait doubles past the free tries and stops at its cap; the owner's account-wide wait never passes a minute"
    )
    func doubling() {
        let throttle = SignInThrottle.standard()
        #expect(throttle.accountAtAddress.wait(after: 4) == 0)
        #expect(throttle.accountAtAddress.wait(after: 5) == 30)
        #expect(throttle.accountAtAddress.wait(after: 6) == 60)
        #expect(throttle.accountAtAddress.wait(after: 10) == 15 * 60)
        #expect(throttle.accountAtAddress.wait(after: Int.max) == 15 * 60, "no overflow")
        #expect(throttle.account.wait(after: 1_000) == 60)
        #expect(
            throttle.until(accountAtAddress: failures(4), account: failures(4), address: failures(4), now: now) == nil)
        #expect(
            throttle.until(accountAtAddress: failures(5), account: failures(5), address: failures(5), now: now)
                == now.addingTimeInterval(29))
        #expect(
            throttle.until(
                accountAtAddress: failures(5, secondsAgo: 31), account: failures(5), address: failures(5), now: now)
                == nil,
            "after the wait, one more try")
        // Many addresses against one account: the owner, at an address with no failures, waits a minute at most.
        let owner = throttle.until(
            accountAtAddress: failures(0), account: failures(500), address: failures(0), now: now)
        #expect(owner == now.addingTimeInterval(59))
        // One address spraying many accounts is slowed however many accounts it tries.
        #expect(
            throttle.until(accountAtAddress: failures(0), account: failures(0), address: failures(25), now: now) != nil)
    }
}

@Suite("Counts at the edge of Int")
struct SaturatingCountTests {
    @Test("sums of counts from input stop at the type's bound instead of trapping, and such counts are refused")
    func edges() {
        #expect([Int.max, 1].saturatingSum() == Int.max)
        #expect([Int.min, -1].saturatingSum() == Int.min)
        #expect([Int64.max, Int64.max].saturatingSum() == Int64.max)
        #expect([1, 2, 3].saturatingSum() == 6)
        // Two bins of Int.max: refused as larger than the people counted, not a crash.
        let tally = FlowObservationDraft(
            pointID: SiteID(UUID()), windowStart: Date(timeIntervalSince1970: 1_790_000_000),
            windowEnd: Date(timeIntervalSince1970: 1_790_003_600), direction: .incoming, total: 10,
            scheme: .sex, bins: ["f": Int.max, "m": Int.max])
        #expect(throws: ValidationErrors.self) { try tally.validated(now: Date(timeIntervalSince1970: 1_790_010_000)) }
        // An incident's casualty cells: 0 to 100,000 each, and serious-or-not never traps.
        var draft = IncidentDraft(
            title: "Edge", category: .crime, occurredAt: Date(timeIntervalSince1970: 1_790_000_000),
            latitude: 15.5, longitude: 32.5, audience: .ifrcOnly)
        draft.casualties[.killed, .national, .female] = Int.max
        draft.casualties[.killed, .national, .male] = Int.max
        #expect(draft.isSerious)
        #expect(throws: ValidationErrors.self) { try draft.validated(now: Date(timeIntervalSince1970: 1_790_010_000)) }
        draft.casualties[.killed, .national, .female] = 2
        draft.casualties[.killed, .national, .male] = 0
        #expect(throws: Never.self) { try draft.validated(now: Date(timeIntervalSince1970: 1_790_010_000)) }
    }
}
