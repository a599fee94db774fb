import Domain
import Foundation
import Geo
import Testing
import Views

@Suite("Incident page, form, analysis and map views")
struct IncidentViewTests {
    typealias F = ViewFixtures

    static func draft(_ text: String, full: Bool) -> IncidentDraft {
        var casualties = Casualties()
        if full {
            casualties[.init(.injured, .national, .female)] = 2
            casualties[.init(.killed, .international, .male)] = 1
        }
        return IncidentDraft(
            title: text.isEmpty ? "Checkpoint stop" : text, description: full ? text : nil, category: .crime,
            subtype: full ? .theft : nil, occurredAt: F.moment,
            knownAt: full ? F.moment.addingTimeInterval(3_600) : nil,
            latitude: full ? 15.5007 : nil, longitude: full ? 32.5599 : nil, areaPcode: full ? "SD01001" : nil,
            placeName: full ? text : nil, affected: full ? [.staff, .volunteers] : [], casualties: casualties,
            actorName: full ? text : nil, seriousInjury: full, nearMiss: full, immediateActions: full ? text : nil,
            followUpActions: full
                ? [
                    .init(action: text, owner: text, dueOn: F.moment.addingTimeInterval(-86_400 * 3)),
                    .init(action: "Brief drivers", owner: "Security", dueOn: nil, done: true),
                ] : [],
            proceduresFollowed: full ? true : nil, audience: full ? .restricted : .ifrcOnly)
    }

    static func page(_ text: String, full: Bool) -> IncidentPage.Model {
        IncidentPage.Model(
            code: F.operationCode, id: F.id(1), number: 17, draft: draft(text, full: full),
            status: full ? .closed : .reported,
            serious: full,
            deadline: ReportingClock.deadline(
                serious: full, occurredAt: F.moment, knownAt: nil, reportedAt: nil,
                now: F.moment.addingTimeInterval(full ? 7 * 86_400 : 0)),
            today: F.moment, reporter: full ? .named(text) : .hidden,
            reports: full ? [.init(type: .update, at: F.moment, summary: text)] : [],
            risks: full ? [.init(id: F.id(2), number: 4, title: text)] : [],
            sentToRegion: !full, mayTick: full, canFollowUp: full, canReport: full, canChange: full,
            canAudit: full)
    }

    static func form(_ text: String, new: Bool, errors: [String: String], stale: Bool) -> IncidentForm.Model {
        var values = IncidentInput.newReport(at: F.moment)
        values.title = text
        values.description = text
        values.placeName = text
        values.latitude = text.isEmpty ? "" : "north"
        values.casualties = text.isEmpty ? [:] : ["killed_national_male": "-2"]
        values.followUp = text.isEmpty ? [] : [.init(action: text, owner: text, due: "31/12/2026", done: false)]
        let notice =
            stale
            ? StaleNotice(
                stored: IncidentInput.newReport(at: F.moment), submitted: values,
                strings: Strings(F.catalog, language: "en"))
            : nil
        var model = IncidentForm.Model(
            code: F.operationCode, id: new ? nil : F.id(1), values: values, blankFollowUpRows: new ? 1 : 2,
            errors: errors, offersReporterHidden: new, version: new ? "" : "1733300000000", stale: notice)
        // A new report as staff see it: the numbers to call, the areas by name, no coordinator's fields;
        // an edit as the coordinator sees it, with no numbers set yet.
        model.areas = [
            .init(pcode: "SD01", name: "Khartoum", level: 1),
            .init(pcode: "SD01001", name: text.isEmpty ? "Bahri" : text, level: 2),
        ]
        model.contacts = new ? [.init(name: text.isEmpty ? "GSU 24/7" : text, phone: "+41 22 730 4222")] : []
        model.coordinatorFields = !new
        model.canEditContacts = !new
        return model
    }

    static func filters(_ text: String) -> IncidentFilterForm {
        IncidentFilterForm(
            from: "2026-01-01", to: "2026-11-23", period: .week,
            areas: [
                .init(pcode: "SD01", name: text.isEmpty ? "Khartoum" : text, level: 1),
                .init(pcode: "SD01001", name: "Bahri", level: 2),
            ],
            area: "SD01", levels: [1, 2], level: 1, sources: [ContextEvent.Source.ownName, "acled"],
            chosenSources: text.isEmpty ? nil : [ContextEvent.Source.ownName], categories: [.crime], actorTypes: nil,
            severities: [.high])
    }

    static let chart = SVGBarChart(
        labels: ["2026-10", "2026-11"], series: [.init(name: "Own", values: [2, 3], colour: "#b3261e")],
        title: "Incidents"
    ).render()

    static func analysis(_ text: String, full: Bool) -> IncidentAnalysisPage.Model {
        IncidentAnalysisPage.Model(
            code: F.operationCode, filters: filters(text), errors: text.isEmpty ? [] : [text], total: full ? 5 : 0,
            previousTotal: full ? 4 : 0, changePercent: full ? 25 : nil, partial: !full, chart: chart,
            chartTable: ChartData(
                rowHeading: "Period", columns: ["Own", text], rows: full ? [("2026-W47", [3, 2])] : []),
            leftOutOfSeries: full ? 2 : 0,
            categories: full ? [.init(category: "crime", count: 5, previous: 4, changePercent: 25)] : [],
            areas: full
                ? [
                    .init(pcode: "SD01", name: text, total: 4, byCategory: ["crime": 4]),
                    .init(pcode: nil, name: "", total: 1, byCategory: ["crime": 1]),
                ] : [],
            casualties: full ? [.init(harm: "killed", counts: [1, 0, 0, 1, 0, 1])] : [], fatalities: full ? 12 : 0,
            rule: EarlyWarningRule(), windowEnd: "2026-11-23",
            warnings: full
                ? [.init(pcode: "SD01", name: text, recent: 4, expected: 0.75, pValue: 0.0004, flagged: true)] : [],
            query: text.isEmpty ? [] : [("from", "2026-01-01"), ("source", text)])
    }

    static func map(_ text: String, full: Bool) -> IncidentMapPage.Model {
        IncidentMapPage.Model(
            code: F.operationCode, filters: filters(text), errors: text.isEmpty ? [] : [text], areasOnly: !full,
            map: F.map, drawn: full ? text : nil, unplaced: full ? 3 : 0,
            query: text.isEmpty ? [] : [("area", text)], noneVisible: text.isEmpty)
    }

    @Test("An incident: new and read-only, then closed with every part and action", arguments: ViewFixtures.languages)
    func show(language: String) {
        let page = F.chrome(language)
        F.snapshot(
            Layout.document(page, body: IncidentPage.view(Self.page("", full: false), page)), "empty-\(language)")
        F.snapshot(IncidentPage.view(Self.page("Vehicle stopped", full: true), page), "typical-\(language)")
        // On an operation's own clock: times with its offset, the reporting deadline with UTC beside it.
        let khartoum = F.chrome(language, clock: OperationTime(identifier: "Africa/Khartoum")!)
        F.snapshot(IncidentPage.view(Self.page("Vehicle stopped", full: true), khartoum), "khartoum-\(language)")
        F.snapshot(
            IncidentForm.view(Self.form("", new: true, errors: [:], stale: false), khartoum),
            "form-khartoum-\(language)")
    }

    @Test(
        "The incident form: a new report, then an edit refused with errors and a stale notice",
        arguments: ViewFixtures.languages)
    func form(language: String) {
        let page = F.chrome(language)
        F.snapshot(IncidentForm.view(Self.form("", new: true, errors: [:], stale: false), page), "new-\(language)")
        let errors = [
            "title": "Too long", "latitude": "Use decimal degrees", "killed_national_male": "Counts are whole numbers",
            "follow_up[0][due]": "Use a date",
        ]
        F.snapshot(
            IncidentForm.view(Self.form("Convoy", new: false, errors: errors, stale: true), page), "refused-\(language)"
        )
    }

    @Test("The analysis: nothing found, then a typical period", arguments: ViewFixtures.languages)
    func analysis(language: String) {
        let page = F.chrome(language)
        // Empty, for a reader who sees part of the records: the count, without a comparison.
        F.snapshot(IncidentAnalysisPage.view(Self.analysis("", full: false), page), "empty-\(language)")
        F.snapshot(IncidentAnalysisPage.view(Self.analysis("Bahri", full: true), page), "typical-\(language)")
    }

    @Test("The map: areas only, then points with some unplaced", arguments: ViewFixtures.languages)
    func map(language: String) {
        let page = F.chrome(language)
        // Empty, for a reader who sees part of the records: no map of zeros.
        F.snapshot(IncidentMapPage.view(Self.map("", full: false), page), "empty-\(language)")
        F.snapshot(IncidentMapPage.view(Self.map("12 incidents", full: true), page), "typical-\(language)")
    }

    @Test("A follow-up action due before today is overdue unless done; the step offered after closing is reopening")
    func overdueAndReopen() {
        let html = IncidentPage.view(Self.page("Vehicle stopped", full: true), F.chrome("en")).html
        #expect(html.contains("<li class=\"overdue\">Vehicle stopped"))
        #expect(html.contains("<li class=\"done\">Brief drivers"))
        #expect(
            html.contains(
                "name=\"status\" value=\"analysed\">\n<button id=\"next-status\" type=\"submit\">Reopen</button>"))
        let quiet = IncidentPage.view(Self.page("", full: false), F.chrome("en")).html
        #expect(!quiet.contains("next-status") && !quiet.contains("add-report") && !quiet.contains("edit-incident"))
        #expect(quiet.contains("<dd id=\"reporter\">Reporter not shown</dd>"))
    }

    @Test("Every field the decoder may refuse shows its message; a folded section with one opens")
    func refusedFieldsShow() {
        let errors = [
            "actor_name": "E-actor", "severity": "E-severity", "description": "E-description", "audience": "E-audience",
            "affected": "E-affected", "location_type": "E-location", "procedures_followed": "E-procedures",
        ]
        let html = IncidentForm.view(Self.form("Convoy", new: false, errors: errors, stale: false), F.chrome("en")).html
        for message in errors.values {
            #expect(html.contains("<p class=\"field-error\">\(message)</p>"), "\(message)")
        }
        #expect(html.components(separatedBy: "<details open>").count - 1 == 2, "How and Response open")
        let quiet = IncidentForm.view(Self.form("Convoy", new: false, errors: [:], stale: false), F.chrome("en")).html
        #expect(!quiet.contains("<details open>") && !quiet.contains("field-error"))
    }

    @Test("Hostile text in every field is escaped on every incident view")
    func hostile() {
        let page = F.chrome("ar")
        for text in F.hostile {
            let errors = ["title": text, "killed_national_male": text, "follow_up[0][due]": text]
            let pages = [
                IncidentPage.view(Self.page(text, full: true), page),
                IncidentForm.view(Self.form(text, new: false, errors: errors, stale: true), page),
                IncidentAnalysisPage.view(Self.analysis(text, full: true), page),
                IncidentMapPage.view(Self.map(text, full: true), page),
            ]
            for html in pages {
                F.expectShownEscaped(text, in: html)
            }
        }
    }
}
