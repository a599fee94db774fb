import Domain
import Foundation
import Testing

/// Each kind of input has one decoder; what it stores reads back as the input that gives it again.
@Suite("Input decoders")
struct InputDecoderTests {
    /// 2026-11-23 14:25 UTC.
    let now = Date(timeIntervalSince1970: 1_795_443_900)

    @Test("an incident reads back as the input that gives it again, and a bad one names every field")
    func incident() throws {
        var input = IncidentInput.newReport(at: now.addingTimeInterval(-3_600))
        input.title = " Convoy stopped "
        input.category = "violence"
        input.subtype = "shooting"
        input.latitude = "15,5007"
        input.longitude = "32.5599"
        input.affected = ["staff"]
        input.casualties = ["injured_national_female": "2", "killed_national_male": " "]
        input.followUp = [.init(action: "Brief drivers", owner: "Logistics", due: "2026-12-10"), .init()]
        input.proceduresFollowed = "no"
        let draft = try input.draft(now: now)
        #expect(draft.title == "Convoy stopped" && draft.latitude == 15.5007 && draft.casualties.total() == 2)
        #expect(draft.followUpActions.count == 1 && draft.proceduresFollowed == false && draft.audience == .ifrcOnly)
        #expect(try IncidentInput(draft).draft(now: now) == draft)

        var bad = IncidentInput()
        bad.subtype = "theft"
        bad.occurredAt = "2026-11-23T14:05+25:00"
        bad.severity = "apocalyptic"
        bad.casualties = ["killed_national_male": "+3", "killed_martian_male": "1"]
        bad.proceduresFollowed = "maybe"
        bad.followUp = [.init(), .init(action: "Call", owner: "Me", due: "tomorrow"), .init(due: "2026-12-01")]
        do {
            _ = try bad.draft(now: now)
            Issue.record("a bad incident was accepted")
        } catch {
            let fields = Set(error.errors.compactMap(\.field))
            for field in [
                "title", "category", "audience", "occurred_at", "severity", "killed_national_male",
                "casualties.killed_martian_male", "procedures_followed", "follow_up[1].due_on", "follow_up[2].action",
            ] {
                #expect(fields.contains(field), "\(field)")
            }
        }
    }

    @Test("a site reads back as the input that gives it again; unknown codes and roles are refused by name")
    func site() throws {
        var input = SiteInput()
        input.name = "Guest house"
        input.type = "residence"
        input.latitude = "15.6"
        input.longitude = "32,53"
        input.audience = "restricted"
        input.grantRoles = ["staff"]
        let (draft, roles) = try input.decoded()
        #expect(draft.longitude == 32.53 && roles == [.staff])
        let again = try SiteInput(draft, grantRoles: roles).decoded()
        #expect(again.draft == draft && again.grantRoles == roles)
        input.type = "castle"
        input.grantRoles = ["king"]
        #expect(throws: ValidationErrors.self) { try input.decoded() }
        do { _ = try input.decoded() } catch {
            #expect(Set(error.errors.compactMap(\.field)) == ["type", "grant_roles"])
        }
    }

    @Test("a risk reads back as the input that gives it again; what cannot be read is named before the draft's rules")
    func risk() throws {
        var input = RiskInput.newRisk(at: now)
        input.title = "Ambush on the Kassala road"
        input.threat = "armed_conflict"
        input.targets = ["people"]
        input.likelihood = "4"
        input.impact = "4"
        input.measures = [
            .init(description: "Convoy rules", owner: "Security Coordinator", due: "2026-12-20"), .init(),
        ]
        let draft = try input.draft(settings: RiskSettings(), knownAreas: nil, now: now)
        #expect(draft.measures.count == 1 && draft.nextReview == DateText.day("2026-12-23"))
        #expect(try RiskInput(draft).draft(settings: RiskSettings(), knownAreas: nil, now: now) == draft)
        input.likelihood = "four"
        input.impact = "-1"
        input.targets = ["goats"]
        input.audience = ""  // left out: refused, never widened to a default
        do {
            _ = try input.draft(settings: RiskSettings(), knownAreas: nil, now: now)
            Issue.record("a bad risk was accepted")
        } catch {
            #expect(
                Set(error.errors.compactMap(\.field)).isSuperset(of: ["likelihood", "impact", "targets", "audience"]))
        }
    }

    @Test("whole numbers are ASCII digits only: no sign, spaces, grouping or other scripts")
    func wholeNumbers() {
        #expect(WholeNumber.parse("0") == 0 && WholeNumber.parse("100000") == 100_000)
        for bad in ["", "-1", "+1", " 1", "1 000", "1,000", "1.5", "١٢", "999999999999999999999"] {
            #expect(WholeNumber.parse(bad) == nil, "\(bad)")
        }
    }
}
