import Domain
import Foundation
import Testing

@Suite("Alerts: the one decoder, the audience rules, the language of each recipient")
struct AlertRulesTests {
    let amira = PersonID(UUID()), tomas = PersonID(UUID()), dana = PersonID(UUID())
    let office = SiteID(UUID())

    @Test("every field is checked and named; a text needs a title; nobody chosen is refused")
    func decoder() throws {
        var input = AlertInput()
        input.severity = "loud"
        input.texts = [.init(language: "de", title: "Achtung", body: ""), .init(language: "ar", title: "", body: "نص")]
        input.latitude = "95"
        input.longitude = "36"
        input.radiusKm = "0"
        input.channels = ["pigeon"]
        input.roles = ["general"]
        input.phases = ["purple"]
        #expect(
            Set(Self.fields(input, phases: ["white", "yellow", "orange", "red"])) == [
                "severity", "category", "texts", "title_ar", "latitude", "radius_km", "channels", "roles", "phases",
            ])
        var none = AlertInput()
        none.severity = "minor"
        none.category = "other"
        none.texts = [.init(language: "en", title: "Hello", body: "")]
        none.channels = ["email"]
        #expect(Self.fields(none) == ["audience"])
        var long = none
        long.areas = ["sd11", "SD11"]
        long.texts = [.init(language: "en", title: String(repeating: "a", count: 121), body: "")]
        #expect(Self.fields(long) == ["title_en"])
        var good = none
        good.areas = ["sd11", "SD11 "]
        good.latitude = "15,45"
        good.longitude = "36.4"
        good.radiusKm = "25"
        let draft = try good.decoded(phases: [])
        #expect(draft.audience.areaPcodes == ["SD11"])
        #expect(draft.audience.circle == AlertCircle(latitude: 15.45, longitude: 36.4, radiusKm: 25))
    }

    /// The fields refused, in order; empty when accepted.
    static func fields(_ input: AlertInput, phases: [String] = []) -> [String] {
        do {
            _ = try input.decoded(phases: phases)
            return []
        } catch {
            return error.errors.map { $0.field ?? "" }
        }
    }

    @Test("filters narrow one another, people named are added, a circle measures great-circle kilometres")
    func audience() {
        let inKassalaOffice = AlertCandidate(
            id: amira, areaLineage: ["SD11001", "SD11"], siteID: office, point: (15.45, 36.4), phase: "orange",
            role: .staff)
        let inKassalaNoAccount = AlertCandidate(
            id: dana, areaLineage: ["SD11"], siteID: nil, point: nil, phase: "orange", role: nil)
        let inKhartoum = AlertCandidate(
            id: tomas, areaLineage: ["SD01"], siteID: nil, point: (15.5, 32.56), phase: "yellow",
            role: .securityCoordinator)
        var a = AlertAudience(areaPcodes: ["SD11"])
        #expect(a.selects(inKassalaOffice) && a.selects(inKassalaNoAccount) && !a.selects(inKhartoum))
        a.roles = [.staff]
        #expect(a.selects(inKassalaOffice) && !a.selects(inKassalaNoAccount))
        a.personIDs = [tomas]
        #expect(a.selects(inKhartoum))
        #expect(!AlertAudience().selects(inKassalaOffice))
        #expect(AlertAudience(personIDs: [dana]).selects(inKassalaNoAccount))
        // Kassala to Khartoum is about 410 km.
        let circle = AlertAudience(circle: AlertCircle(latitude: 15.45, longitude: 36.4, radiusKm: 400))
        #expect(circle.selects(inKassalaOffice) && !circle.selects(inKhartoum) && !circle.selects(inKassalaNoAccount))
        #expect(AlertAudience(circle: AlertCircle(latitude: 15.45, longitude: 36.4, radiusKm: 420)).selects(inKhartoum))
        #expect(AlertAudience(phases: ["orange"]).selects(inKassalaNoAccount))
        #expect(!AlertAudience(phases: ["red"]).selects(inKassalaNoAccount))
        #expect(AlertAudience(siteIDs: [office]).selects(inKassalaOffice))
    }

    @Test("each person reads it in the first of their languages it is written in, else its first language")
    func language() {
        let draft = AlertDraft(
            texts: [AlertText(language: "en", title: "T", body: ""), AlertText(language: "ar", title: "ع", body: "")],
            severity: .minor, category: .other, audience: AlertAudience(), channels: [.email])
        #expect(draft.language(for: ["fr", "ar"]) == "ar")
        #expect(draft.language(for: ["Arabic"]) == "ar" && draft.language(for: ["العربية"]) == "ar")
        #expect(draft.language(for: ["es", "Spanish"]) == "en")
        #expect(draft.language(for: ["Armenian"]) == "en")
        #expect(draft.language(for: []) == "en")
        #expect(draft.text(in: "ar").title == "ع")
    }

    @Test("a failed job waits twice as long each time, at most an hour")
    func backoff() {
        let b = JobBackoff()
        #expect(b.delay(afterAttempt: 1) == 30)
        #expect(b.delay(afterAttempt: 2) == 60)
        #expect(b.delay(afterAttempt: 4) == 240)
        #expect(b.delay(afterAttempt: 30) == 3_600)
        #expect(b.delay(afterAttempt: 0) == 30)
    }
}
