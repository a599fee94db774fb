import Foundation
import Testing

@testable import Domain

/// The protection-risk register's rules (issue 18, part 2): the GPC list and its sub-types, the
/// exposure method, the one decoder, the settings.
@Suite("Protection-risk rules")
struct ProtectionRiskRulesTests {
    let method = ExposureMethod.standard

    @Test("the GPC's 15 risks keep their numbers; every sub-type sits under one of them")
    func vocabulary() {
        #expect(ProtectionRiskCategory.allCases.count == 15)
        #expect(ProtectionRiskCategory.abductionDetention.number == 1)
        #expect(ProtectionRiskCategory.genderBasedViolence.number == 8)
        #expect(ProtectionRiskCategory.movementRestrictions.number == 15)
        #expect(MigrationRiskSubtype.pushback.category == .movementRestrictions)
        #expect(MigrationRiskSubtype.immigrationDetention.category == .abductionDetention)
        #expect(MigrationRiskSubtype.extortionOnRoute.category == .theftExtortion)
        // Each of the role profile's names finds something by default.
        for concern in ProtectionConcern.allCases {
            let mapping = ProtectionRiskSettings.defaults.mapping(concern)
            #expect(!mapping.categories.isEmpty || !mapping.subtypes.isEmpty, "\(concern)")
        }
    }

    @Test(
        "exposure: likelihood × severity, adjusted by context, phase, vulnerabilities (capped) and capacities (capped)")
    func exposure() {
        // 4 × 4 = 16; border area +10, at borders +10, 1 vulnerability +5, 1 capacity −5: +20 % → 19.2 → 19.
        let a = Exposure(
            likelihood: 4, severity: 4, context: .borderArea, phase: .atBorders, vulnerabilities: 1, capacities: 1,
            method: method)
        #expect(a.base == 16 && a.adjustment == 20 && a.score == 19 && a.level == 3)
        #expect(a.parts.map(\.percent) == [10, 10, 5, -5])
        // Five vulnerabilities are capped at +15 %, four capacities at −15 %: 3 × 3 = 9, camp (0), origin (0) → 9.
        let b = Exposure(
            likelihood: 3, severity: 3, context: .camp, phase: .origin, vulnerabilities: 5, capacities: 4,
            method: method)
        #expect(b.adjustment == 0 && b.score == 9 && b.level == 1)
        #expect(b.parts.map(\.percent) == [15, -15])
        // Never above the scale's top (25), never below 1; half rounds up (2 × 1 × 1.25 = 2.5 → 3).
        let c = Exposure(
            likelihood: 5, severity: 5, context: .detention, phase: .inTransit, vulnerabilities: 3, capacities: 0,
            method: method)
        #expect(c.score == 25 && c.level == 4)
        var steep = method
        steep.contextAdjustments = ["urban": -90]
        steep.capacityCap = 90
        steep.perCapacity = 50
        let d = Exposure(
            likelihood: 1, severity: 1, context: .urban, phase: .origin, vulnerabilities: 0, capacities: 2,
            method: steep)
        #expect(d.adjustment == -90 && d.score == 1 && d.level == 0)
        var half = method
        half.contextAdjustments = ["urban": 25]
        #expect(
            Exposure(
                likelihood: 2, severity: 1, context: .urban, phase: .origin, vulnerabilities: 0, capacities: 0,
                method: half
            ).score == 3)
    }

    @Test("a method that cannot be used is refused, each problem said")
    func methodProblems() {
        #expect(method.problems().isEmpty)
        var bad = method
        bad.levelFloors = [1, 5]
        bad.contextAdjustments["sea"] = 10
        bad.phaseAdjustments["flight"] = 10
        bad.perVulnerability = 500
        let problems = bad.problems().joined(separator: " | ")
        #expect(problems.contains("one level floor per level"))
        #expect(problems.contains("“sea” is not a context"))
        #expect(problems.contains("“flight” is not a journey phase"))
        #expect(problems.contains("Per vulnerability"))
        #expect(throws: ValidationErrors.self) {
            try ProtectionRiskSettings.defaults.replacing(
                .concerns, json: #"{"cruelty": {"categories": [], "subtypes": []}}"#)
        }
        let settings = try? ProtectionRiskSettings.defaults.replacing(
            .concerns, json: #"{"abuse": {"categories": ["torture"], "subtypes": []}}"#)
        #expect(settings?.mapping(.abuse).categories == [.torture])
        #expect(settings?.mapping(.refoulement).subtypes == [], "a name left out of the settings finds nothing")
    }

    func input() -> ProtectionRiskInput {
        var input = ProtectionRiskInput()
        input.title = "  Pushbacks at the crossing "
        input.category = "movement_restrictions"
        input.subtype = "pushback"
        input.context = "border_area"
        input.phase = "at_borders"
        input.groups = ["REF", "HST"]
        input.likelihood = "4"
        input.severity = "5"
        return input
    }

    @Test("the decoder: a good risk, trimmed; every bad field named at once; a stored risk reads back the same")
    func decoder() throws {
        let activity = UUID()
        var good = input()
        good.areaPcodes = "sd12, SD12 ;SD11"
        good.mitigations = [
            .init(description: " Desk ", owner: "SRCS", due: "2026-12-31", activities: [activity.uuidString])
        ]
        let draft = try good.draft(method: method, knownAreas: ["SD11", "SD12"], knownActivities: [activity])
        #expect(draft.title == "Pushbacks at the crossing")
        #expect(draft.areaPcodes == ["SD12", "SD11"])
        #expect(draft.groups == [.refugees, .hostCommunity])
        #expect(draft.mitigations.first?.activityIDs == [activity] && draft.mitigations.first?.description == "Desk")
        #expect(
            try ProtectionRiskInput(draft).draft(
                method: method, knownAreas: ["SD11", "SD12"], knownActivities: [activity]) == draft)
        var bad = input()
        bad.title = ""
        bad.category = "torture"
        bad.context = "sea"
        bad.phase = ""
        bad.groups = ["POP"]
        bad.likelihood = "0"
        bad.severity = "x"
        bad.areaPcodes = "SD99"
        bad.nextReview = "tomorrow"
        bad.mitigations = [
            .init(description: "", owner: "", status: "maybe", activities: ["not-an-id", UUID().uuidString])
        ]
        do {
            _ = try bad.draft(method: method, knownAreas: ["SD12"], knownActivities: [])
            Issue.record("a bad risk was accepted")
        } catch {
            let fields = Set(error.errors.compactMap(\.field))
            #expect(
                fields == [
                    "title", "subtype", "context", "phase", "groups", "likelihood", "severity", "area_pcodes",
                    "next_review", "mitigations[0]",
                ])
        }
        // Without a readable category, the sub-type is not blamed for sitting under it.
        var noCategory = input()
        noCategory.category = ""
        do {
            _ = try noCategory.draft(method: method, knownAreas: nil, knownActivities: nil)
            Issue.record("a risk without its GPC risk was accepted")
        } catch {
            #expect(Set(error.errors.compactMap(\.field)) == ["category"])
        }
    }
}
