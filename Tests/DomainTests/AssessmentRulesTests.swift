import Foundation
import Testing

@testable import Domain

/// Needs assessments' rules (issue 18, part 1): the decoder, the mapping by HXL and by names, and
/// each submission read or refused with its reason.
@Suite("Needs assessment rules")
struct AssessmentRulesTests {
    @Test("the mapping: HXL hashtags first (attributes as HXL compares them), names after, one column per field")
    func mapping() {
        let columns = ["grp", "gender", "age", "needs_of_person", "_uuid", "today"]
        let hxl: [String?] = [
            "#respondee+type", nil, "#respondee+age", "#respondee+needs+coded", nil, "#date+collected",
        ]
        let mapping = AssessmentMapping.detect(columns: columns, hxl: hxl, form: nil)
        #expect(mapping.columns[.group] == "grp" && mapping.sources[.group] == .hxl)
        #expect(mapping.columns[.needs] == "needs_of_person" && mapping.sources[.needs] == .hxl)
        #expect(mapping.columns[.sex] == "gender" && mapping.sources[.sex] == .name)
        #expect(mapping.columns[.age] == "age" && mapping.sources[.age] == .hxl)
        #expect(mapping.columns[.submissionID] == "_uuid")
        #expect(mapping.columns[.date] == "today" && mapping.sources[.date] == .hxl)
        // A saved mapping wins where the file has the column, and only there.
        let saved = mapping.applying(saved: [.group: "gender", .householdSize: "absent"], columns: columns)
        #expect(saved.columns[.group] == "gender" && saved.sources[.group] == .saved)
        #expect(saved.columns[.householdSize] == nil)
    }

    @Test(
        "a row read: words for groups and sexes, ages into UNHCR's brackets, codes in either spelling; each bad value refused with its field"
    )
    func rows() {
        let columns = [
            "_uuid", "population_group", "sex", "age", "specific_needs", "priority_needs", "hh_size", "adm1_pcode",
        ]
        let mapping = AssessmentMapping.detect(columns: columns, hxl: [], form: nil)
        let decoder = SubmissionDecoder(
            columns: columns, mapping: mapping, form: nil, defaultGroup: nil, knownAreas: ["SD12"])
        let good = decoder.decode(["u1", "host", "F", "61", "ds_pm er-nf", "health", "4", "sd12"], row: 2)
        guard case .success(let r) = good else {
            Issue.record("refused: \(good)")
            return
        }
        #expect(r.group == .hostCommunity && r.sex == "f" && r.ageBracket == "60")
        #expect(r.needs == [.physicalModerate, .olderPersonAtRisk] && r.prioritySectors == [.health])
        #expect(r.householdSize == 4 && r.areaPcode == "SD12")
        for (cells, field) in [
            (["u2", "martian", "f", "3", "", "", "", ""], "group"),
            (["u3", "REF", "x", "3", "", "", "", ""], "sex"),
            (["u4", "REF", "f", "300", "", "", "", ""], "age"),
            (["u5", "REF", "f", "3", "SC-ZZ", "", "", ""], "needs"),
            (["u6", "REF", "f", "3", "", "tourism", "", ""], "priority_sectors"),
            (["u7", "REF", "f", "3", "", "", "0", ""], "household_size"),
            (["u8", "REF", "f", "3", "", "", "", "SD99"], "area"),
            (["u9", "POP", "f", "3", "", "", "", ""], "group"),
        ] {
            guard case .failure(let problem) = decoder.decode(cells, row: 5) else {
                Issue.record("\(cells) was accepted")
                continue
            }
            #expect(problem.field == field && problem.row == 5, "\(problem)")
        }
        // Without an id the row's digest stands in, the same on every read.
        let noID = SubmissionDecoder(
            columns: ["population_group"],
            mapping: AssessmentMapping.detect(columns: ["population_group"], hxl: [], form: nil),
            form: nil, defaultGroup: nil, knownAreas: nil)
        guard case .success(let a) = noID.decode(["REF"], row: 2), case .success(let b) = noID.decode(["REF"], row: 3)
        else {
            Issue.record("refused")
            return
        }
        #expect(a.submissionID == b.submissionID && a.submissionID.hasPrefix("row:"))
    }

    @Test("KoBo's dates: ISO with a zone, without, a day, and Excel's serial days")
    func dates() {
        #expect(SubmissionDecoder.date("2017-10-23T05:40:39.000-04:00").map(DateText.minute) == "2017-10-23 09:40 UTC")
        #expect(SubmissionDecoder.date("2017-10-23T09:41:19").map(DateText.minute) == "2017-10-23 09:41 UTC")
        #expect(SubmissionDecoder.date("2026-05-01").map(DateText.day) == "2026-05-01")
        #expect(SubmissionDecoder.date("44685.894976851851").map(DateText.day) == "2022-05-04")
        #expect(SubmissionDecoder.date("soon") == nil)
        #expect(SubmissionDecoder.date("2026-05-01T10:00:00.000Z").map(DateText.minute) == "2026-05-01 10:00 UTC")
        #expect(SubmissionDecoder.date("2026-05-01 23:30:00+0530").map(DateText.minute) == "2026-05-01 18:00 UTC")
        #expect(SubmissionDecoder.date("2024-02-29T12:00").map(DateText.minute) == "2024-02-29 12:00 UTC")
        #expect(SubmissionDecoder.date("1969-12-31").map { $0.timeIntervalSince1970 } == -86_400)
        #expect(
            SubmissionDecoder.date("2026-13-01") == nil && SubmissionDecoder.date("2026-05-01T10:00:00 junk") == nil)
    }

    @Test("the assessment's decoder: groups, findings, counts by line; every problem with its field")
    func assessment() throws {
        var input = NeedsAssessmentInput()
        input.title = " Border KII "
        input.startOn = "2026-05-01"
        input.method = "key_informants"
        input.groups = ["MIT", "HST", "MIT"]
        input.findings = [.init(sector: "health", severity: "3", text: " No clinic ")]
        input.needCounts = "MIT, sc_uc, M_12_17, 12\n\nHST, ER-NF, f_60, 3"
        let draft = try input.draft(knownAreas: nil)
        #expect(draft.title == "Border KII" && draft.groups == [.migrantsInTransit, .hostCommunity])
        #expect(draft.findings == [SectorFinding(sector: .health, severity: 3, text: "No clinic")])
        #expect(
            draft.needCounts.first
                == NeedCount(group: .migrantsInTransit, need: .unaccompanied, bin: "m_12_17", count: 12))
        #expect(try NeedsAssessmentInput(draft).draft(knownAreas: nil) == draft)
        var bad = NeedsAssessmentInput()
        bad.startOn = "2026-05-03"
        bad.endOn = "2026-05-01"
        bad.method = "séance"
        bad.groups = ["POP"]
        bad.area = "SD99"
        bad.findings = [.init(sector: "tourism", text: "x"), .init(sector: "health", severity: "9", text: "")]
        bad.needCounts =
            "MIT, SC-UC, m_12_17\nMIT, SC-UC, m_99, 3\nMIT, SC-UC, m_12_17, -1\nMIT, SC-UC, m_12_17, 9223372036854775807"
        do {
            _ = try bad.draft(knownAreas: ["SD12"])
            Issue.record("accepted")
        } catch {
            #expect(
                Set(error.errors.compactMap(\.field)) == [
                    "title", "end_on", "method", "groups", "area", "findings[0]", "findings[1]", "need_counts",
                ])
            #expect(error.errors.filter { $0.field == "need_counts" }.count == 4)
        }
    }
}
