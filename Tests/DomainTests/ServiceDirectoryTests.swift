import Domain
import Foundation
import Testing

@Suite("Service directory rules")
struct ServiceDirectoryTests {
    static func valid() -> ServiceInput {
        var input = ServiceInput()
        input.organization = "Sudanese Red Crescent Society"
        input.name = "Restoring Family Links"
        return input
    }

    @Test("a new service requires consent and takes no referrals unless told; both are kept as given")
    func defaults() throws {
        let draft = try Self.valid().decoded()
        #expect(draft.consentRequired)
        #expect(!draft.acceptsReferrals)
        #expect(draft.status == .active)
        var input = Self.valid()
        input.consentRequired = "no"
        input.acceptsReferrals = "yes"
        let changed = try input.decoded()
        #expect(!changed.consentRequired && changed.acceptsReferrals)
        #expect(ServiceInput(changed).consentRequired == "no")
    }

    @Test("phones: number, kind, note; a bad line says which and why")
    func phones() throws {
        #expect(
            try ServicePhone.parse("+249 91 200 1001, voice, Duty officer, 24/7").get()
                == ServicePhone(number: "+249 91 200 1001", kind: .voice, note: "Duty officer, 24/7"))
        #expect(try ServicePhone.parse("(0123) 4567 8900").get() == ServicePhone(number: "(0123) 4567 8900"))
        var input = Self.valid()
        input.phones = ["+249 91 200 1001, text", "call Ahmed", "+249 91 1, pigeon"]
        let errors = try #require(throws: ValidationErrors.self) { try input.decoded() }
        let messages = errors.errors.filter { $0.field == "phones" }.map(\.message)
        #expect(messages.count == 2)
        #expect(messages[0].contains("'call Ahmed'"))
        #expect(messages[1].contains("unknown kind 'pigeon'"))
    }

    @Test("hours: ranges and lists of days, 24 hours, written back the same way")
    func hours() throws {
        let slot = try ServiceHours.parse("SU-TH 08:00-16:00").get()
        #expect(slot.days == [.monday, .tuesday, .wednesday, .thursday, .sunday])
        #expect(slot.line == "SU-TH 08:00-16:00")
        #expect(try ServiceHours.parse("FR,SA,MO 08:00-12:00").get().line == "MO,FR,SA 08:00-12:00")
        #expect(try ServiceHours.parse("SA-MO 08:00-12:00").get().line == "SA-MO 08:00-12:00")
        #expect(try ServiceHours.parse(slot.line).get() == slot)
        #expect(try ServiceHours.parse("mo,we 9:00-13:30").get().line == "MO,WE 09:00-13:30")
        #expect(try ServiceHours.parse("MO-SU 00:00-24:00").get().days.count == 7)
        for bad in ["MO-FR", "XX 08:00-10:00", "MO 10:00-08:00", "MO-XX 08:00-10:00", "MO 25:00-26:00"] {
            #expect(throws: ServiceLineProblem.self, "\(bad)") { try ServiceHours.parse(bad).get() }
        }
    }

    @Test("every problem at once, each named by its field")
    func problems() throws {
        var input = ServiceInput()
        input.status = "open"
        input.email = "not an address"
        input.url = "www.example.org"
        input.minimumAge = "18"
        input.maximumAge = "12"
        input.populationTypes = ["REF", "tourists"]
        input.sectors = ["health", "magic"]
        input.lastVerifiedOn = "2026-12-31"
        input.consentRequired = "maybe"
        input.latitude = "15.4"
        input.locationName = "Somewhere"
        let errors = try #require(throws: ValidationErrors.self) {
            try input.decoded(today: DateText.day("2026-12-04"))
        }
        let fields = Set(errors.errors.compactMap(\.field))
        #expect(
            fields == [
                "organization", "name", "status", "email", "url", "maximum_age", "population_types", "sectors",
                "last_verified_on", "consent_required", "latitude",
            ])
    }

    @Test("a place needs a name; a point needs both coordinates, in range")
    func place() throws {
        var input = Self.valid()
        input.address = "Souq street"
        #expect(throws: ValidationErrors.self) { try input.decoded() }
        input.locationName = "HSP Kassala"
        input.latitude = "15,44"
        input.longitude = "36.4"
        let place = try #require(try input.decoded().location)
        #expect(place.latitude == 15.44 && place.longitude == 36.4)
        input.latitude = "95"
        let errors = try #require(throws: ValidationErrors.self) { try input.decoded() }
        #expect(errors.errors.map(\.field) == ["latitude"])
    }

    @Test("languages from a comma-separated field, each once")
    func languages() throws {
        var input = Self.valid()
        input.languages = ["ar, en", "ti", "ar"]
        #expect(try input.decoded().languages == ["ar", "en", "ti"])
    }
}
