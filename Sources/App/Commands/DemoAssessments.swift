import Domain
import Foundation
import Persistence
import Vapor

/// The demo's needs assessments for Sudan: a household survey in Gedaref (refugees, returnees and
/// the host community, 96 KoBo submissions imported as a real export would be, with its HXL row),
/// and key-informant interviews at the Wadi Halfa crossing with the needs the assessors counted.
enum DemoAssessments {
    static func load(_ app: Application, operation: OperationRecord, coordinator: UserID, now: Date) async throws {
        let scope = AccessPolicy.unnamedOperatorScope(in: operation.id)
        let store = AssessmentStore(app.db)
        guard try await store.list(in: scope).isEmpty else { return }
        let start = now.addingTimeInterval(-12 * 86_400)
        let survey = try await store.create(
            NeedsAssessmentDraft(
                title: "Household survey: refugees, returnees and hosts in Gedaref", areaPcode: "SD12", startOn: start,
                endOn: start.addingTimeInterval(3 * 86_400), method: .householdSurvey,
                team: "SRCS Gedaref branch, 8 enumerators; IFRC migration coordinator",
                groups: [.refugees, .returnedRefugees, .hostCommunity],
                findings: [
                    SectorFinding(
                        sector: .health, severity: 4,
                        text: "Two of the three health centres near the crossing turn away people without papers."),
                    SectorFinding(
                        sector: .protection, severity: 4,
                        text:
                            "Unaccompanied adolescents sleep at the bus station; women report harassment at water points."
                    ),
                    SectorFinding(
                        sector: .shelter, severity: 3,
                        text: "Host families shelter 3–4 returnee households each; rents have doubled since April."),
                ]), scope: scope, actorID: coordinator, now: start)
        // A KoBo CSV export as the enumerators' form produces it: ";" and the HXL row.
        var csv =
            "population_group;resp_sex;resp_age;specific_needs;priority_needs;hh_size;adm1_pcode;_uuid;_submission_time\n"
        csv +=
            "#respondee+type;#respondee+sex;#respondee+age;#respondee+needs;#sector+priority;#respondee+hh_size;#adm1+code;;\n"
        let groups = ["refugee", "refugee", "returnee", "host"]
        let needs = ["", "SC-UC", "SV-VA", "DS-PM", "WR-WR", "ER-NF", "SM-CI", "LP-ND", "", "FU-TR"]
        let priorities = [
            "health", "shelter_housing_and_settlements", "livelihoods_and_basic_needs", "water_sanitation_and_hygiene",
            "protection_gender_and_inclusion", "education",
        ]
        for i in 0..<96 {
            // Deterministic, varied: the same demo every time.
            let group = groups[(i * 7) % groups.count]
            let sex = (i * 5) % 3 == 0 ? "male" : "female"
            let age = 15 + (i * 37) % 60
            let need = [needs[(i * 3) % needs.count], needs[(i * 11) % needs.count]].filter { !$0.isEmpty }
            // Refugees name health and protection first, returnees shelter, hosts their livelihoods.
            let first = ["refugee": [0, 4, 0, 3], "returnee": [1, 1, 2, 0], "host": [2, 2, 1, 3]][group]![i % 4]
            let priority = [priorities[first], priorities[(i * 13 + 1) % priorities.count]]
            let day = DateText.day(start.addingTimeInterval(Double(i % 4) * 86_400))
            csv +=
                "\(group);\(sex);\(age);\(Set(need).sorted().joined(separator: " "));\(Set(priority).sorted().joined(separator: " "));"
                + "\(2 + (i * 3) % 7);SD12;demo-gedaref-\(i);\(day)T\(String(format: "%02d", 8 + i % 9)):15:00\n"
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bearing-demo-survey-\(UUID()).csv")
        try Data(csv.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        _ = try await AssessmentImport.run(
            export: file, exportName: "gedaref_household_survey_2026.csv", form: nil, formName: nil, format: .kobo,
            defaultGroup: nil, assessment: survey, scope: scope, actorID: coordinator, on: app.db,
            now: start.addingTimeInterval(4 * 86_400))
        _ = try await store.create(
            NeedsAssessmentDraft(
                title: "Key informants at the Wadi Halfa crossing", areaPcode: "SD17",
                startOn: now.addingTimeInterval(-5 * 86_400), method: .keyInformants,
                team: "SRCS Northern branch; HSP volunteers", groups: [.migrantsInTransit, .refugees, .hostCommunity],
                findings: [
                    SectorFinding(
                        sector: .migration, severity: 4,
                        text: "Arrivals wait 3–6 days for transport north; families separate to travel faster."),
                    SectorFinding(
                        sector: .wash, severity: 3,
                        text: "One water point for the waiting area; trucking stops at night."),
                ],
                needCounts: [
                    NeedCount(group: .migrantsInTransit, need: .unaccompanied, bin: "m_12_17", count: 14),
                    NeedCount(group: .migrantsInTransit, need: .unaccompanied, bin: "f_12_17", count: 6),
                    NeedCount(group: .migrantsInTransit, need: .tracing, bin: "f_18_59", count: 22),
                    NeedCount(group: .refugees, need: .sgbv, bin: "f_18_59", count: 9),
                    NeedCount(group: .hostCommunity, need: .olderPersonAtRisk, bin: "f_60", count: 3),
                ]), scope: scope, actorID: coordinator, now: now.addingTimeInterval(-4 * 86_400))
    }
}
