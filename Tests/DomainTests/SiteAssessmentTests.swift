import Domain
import Foundation
import Testing

@Suite("Site security assessments: checklists and scores (issue 4, domain)")
struct SiteAssessmentTests {
    let on = Date(timeIntervalSince1970: 1_795_000_000)

    @Test("the default checklists are usable and differ by kind of site")
    func defaults() {
        for kind in SiteChecklistKind.allCases {
            let checklist = SiteChecklist.defaults[kind]!
            #expect(checklist.problems().isEmpty, "\(kind)")
        }
        #expect(SiteChecklist.defaults[.warehouse]!.items.contains { $0.code == "stock" })
        #expect(!SiteChecklist.defaults[.office]!.items.contains { $0.code == "stock" })
        var edited = SiteChecklist.defaults[.office]!
        edited.items.append(.init("fire", "Again", weight: 5))
        #expect(edited.problems() == ["An item code is used twice.", "fire: the weight is 1, 2 or 3."])
    }

    @Test("the score weighs each answer by its item: yes whole, partly half, no nothing, not applicable left out")
    func score() throws {
        let checklist = SiteChecklist(
            kind: .office, items: [.init("a", "A", weight: 3), .init("b", "B", weight: 1), .init("c", "C", weight: 2)])
        let assessment = SiteAssessment(kind: .office, assessedOn: on, answers: ["a": .yes, "b": .partly, "c": .no])
        #expect(try assessment.validated(checklist).score(checklist) == 58)  // (3 + 0.5) / 6
        let allNA = SiteAssessment(
            kind: .office, assessedOn: on, answers: ["a": .notApplicable, "b": .notApplicable, "c": .notApplicable])
        #expect(allNA.score(checklist) == nil)
        let withNA = SiteAssessment(kind: .office, assessedOn: on, answers: ["a": .yes, "b": .notApplicable, "c": .no])
        #expect(withNA.score(checklist) == 60)  // 3 / 5
    }

    @Test(
        "an assessment answers every item of its checklist and gives each recommendation an owner and a due date after it"
    )
    func validation() {
        let checklist = SiteChecklist(kind: .residence, items: [.init("a", "A"), .init("b", "B")])
        let bad = SiteAssessment(
            kind: .residence, assessedOn: on, answers: ["a": .yes, "z": .no],
            recommendations: [
                SiteRecommendation(text: "Fix the gate", owner: " ", dueOn: on.addingTimeInterval(86_400)),
                SiteRecommendation(text: "Add lights", owner: "Logistics", dueOn: on.addingTimeInterval(-86_400)),
            ])
        do {
            _ = try bad.validated(checklist)
            Issue.record("an incomplete assessment was accepted")
        } catch {
            #expect(
                error.errors.map(\.message) == [
                    "Answer every item (not applicable is an answer): b.", "Not on the residence checklist: z.",
                    "Recommendation 1 needs what is to be done and who owns it.",
                    "Recommendation 2 falls due before the assessment.",
                ])
        }
    }
}
