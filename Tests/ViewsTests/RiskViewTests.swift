import Domain
import Foundation
import Geo
import Testing
import Views

@Suite("Risk views")
struct RiskViewTests {
    typealias F = ViewFixtures

    /// The SRM matrix and the default threats, with one threat an administrator added and named `name`.
    static func settings(_ name: String) -> RiskSettings {
        RiskSettings(threats: ThreatDefinition.defaults + [ThreatDefinition("convoy_looting", .physical, label: name)])
    }

    /// A heat map as Geo draws it for the register (its names are Geo's to escape, so none is hostile here).
    static let heatMap: SVG = {
        let matrix = RiskMatrix.srm
        var map = SVGRiskHeatMap(
            likelihoods: matrix.likelihoods, impacts: matrix.impacts, cells: matrix.cells, levels: matrix.levels,
            colours: SVGRiskHeatMap.fiveLevelColours,
            risks: [.init(likelihood: 4, impact: 4, title: "3 · Detention at checkpoints")], title: "Heat map")
        map.counts[(4 - 1) * 5 + 4 - 1] = 1
        return map.render()
    }()

    /// Before, three risks stood at Low, Unacceptable and Medium; now the first is raised, the
    /// second lowered, the third closed, and a new one has a measure overdue.
    static func changes(_ text: String, empty: Bool) -> RiskChanges<RiskID> {
        guard !empty else { return RiskChanges.between([], [], now: F.moment) }
        func id(_ n: Int) -> RiskID { RiskID(F.id(n)) }
        let before = [
            RiskState(id: id(1), title: text, level: 0), RiskState(id: id(2), title: "Looting", level: 4),
            RiskState(id: id(3), title: "Flooding", level: 1),
        ]
        let overdue = RiskState<RiskID>.OpenMeasure(text, owner: text, dueOn: F.moment.addingTimeInterval(-86_400))
        let after = [
            RiskState(id: id(1), title: text, level: 4), RiskState(id: id(2), title: "Looting", level: 1),
            RiskState(id: id(3), title: "Flooding", level: 1, closed: true),
            RiskState(id: id(4), title: "Road accidents", level: 2, openMeasures: [overdue]),
        ]
        return RiskChanges.between(before, after, now: F.moment)
    }

    static func register(_ text: String, empty: Bool) -> RiskRegister.Model {
        let rows = [
            RiskRegister.Model.Row(
                id: F.id(1), number: 3, title: text, threat: "armed_conflict", areaPcodes: ["SD01", text],
                inherentLevel: 3, residualLevel: 2, accepted: true, openMeasures: 2, overdueMeasures: 1,
                nextReview: F.moment, reviewOverdue: true, closed: false),
            RiskRegister.Model.Row(
                id: F.id(2), number: 4, title: "Looting of convoys", threat: "convoy_looting", areaPcodes: [],
                inherentLevel: 1, residualLevel: nil, accepted: false, openMeasures: 0, overdueMeasures: 0,
                nextReview: F.moment, reviewOverdue: false, closed: true),
            RiskRegister.Model.Row(
                id: F.id(3), number: 5, title: "Threat removed from the catalogue", threat: text, areaPcodes: [],
                inherentLevel: 0, residualLevel: 0, accepted: false, openMeasures: 1, overdueMeasures: 0,
                nextReview: F.moment, reviewOverdue: false, closed: false),
        ]
        return RiskRegister.Model(
            code: F.operationCode, settings: settings(text), rows: empty ? [] : rows, total: empty ? 0 : 103,
            heatMap: Self.heatMap, area: empty ? "" : text, includeClosed: !empty, page: empty ? 1 : 2,
            hasMore: !empty, canManage: !empty, canEditSettings: !empty)
    }

    static func page(_ text: String, empty: Bool, closed: Bool = false) -> RiskPage.Model {
        let measures: [RiskPage.Model.Measure] = [
            .init(
                description: text, owner: text, tags: [text, "drivers"], dueOn: F.moment, status: .inProgress,
                strategy: .acceptance, overdue: true),
            .init(
                description: "Radio checks twice a day", owner: "Fleet", tags: [], dueOn: nil, status: .done,
                strategy: .protection, overdue: false),
        ]
        let history: [RiskPage.Model.Change] = [
            .init(at: F.moment, change: closed ? "closed" : "updated", level: 2, actor: text),
            .init(at: F.moment.addingTimeInterval(-3_600), change: "updated", level: 2, actor: nil),
            .init(at: F.moment.addingTimeInterval(-86_400), change: "created", level: 3, actor: "Amal Haddad"),
        ]
        let created: [RiskPage.Model.Change] = [.init(at: F.moment, change: "created", level: 3, actor: nil)]
        let incidents: [RiskPage.Model.Incident] = [.init(id: F.id(6), number: 12, title: text)]
        let targets: Set<RiskTarget> = empty ? [] : [.people, .programmes]
        let residual: (likelihood: Int, impact: Int, level: Int)? = empty ? nil : (likelihood: 2, impact: 4, level: 1)
        let acceptance: RiskAcceptance? =
            empty
            ? nil : RiskAcceptance(decidedBy: text, decidedOn: F.moment, rationale: text)
        let criticality: ProgrammeCriticality? = empty ? nil : .pc1
        let areas: [String] = empty ? [] : [text, "Kassala (SD02)"]
        return RiskPage.Model(
            code: F.operationCode, id: F.id(1), number: 3, title: empty ? "Road accidents" : text,
            settings: settings(text), threat: empty ? "road_accident" : "convoy_looting", targets: targets,
            vulnerabilities: empty ? "" : text, areas: areas, inherent: (likelihood: 4, impact: 4, level: 3),
            residual: residual, acceptance: acceptance, criticality: criticality, nextReview: F.moment,
            reviewOverdue: !empty, audience: .ifrcOnly, closed: closed, closingNote: closed ? text : nil,
            measures: empty ? [] : measures, incidents: empty ? [] : incidents, history: empty ? created : history,
            canManage: !empty, canAudit: !empty)
    }

    static func form(_ text: String, editing: Bool) -> RiskForm.Model {
        var values = RiskForm.Values()
        values.nextReview = "2026-12-23"
        values.audience = AudienceLevel.ifrcOnly.rawValue
        if editing {
            values.title = text
            values.threat = "convoy_looting"
            values.targets = [RiskTarget.people.rawValue, text]
            values.vulnerabilities = text
            values.areaPcodes = text
            values.likelihood = "4"
            values.impact = text
            values.residualLikelihood = "2"
            values.residualImpact = "4"
            values.acceptanceBy = text
            values.acceptanceOn = text
            values.acceptanceRationale = text
            values.programmeCriticality = "pc2"
            values.nextReview = text
            values.audience = text
            values.measures = [
                RiskForm.Measure(
                    description: text, owner: text, due: text, status: "in_progress",
                    strategy: "deterrence", tags: text)
            ]
        }
        let english = Strings(F.catalog, language: "en")
        let notice =
            editing ? StaleNotice(stored: ["title": "Road ambush"], submitted: ["title": text], strings: english) : nil
        let errors =
            editing ? ["title": text, "measures[0]": text, "acceptance": "Give the day of the decision."] : [:]
        return RiskForm.Model(
            code: F.operationCode, id: editing ? F.id(1) : nil, values: values, errors: errors,
            settings: settings(editing ? text : "Looting of convoys"), version: editing ? "1733300000000" : nil,
            stale: notice)
    }

    static func changesPage(_ text: String, empty: Bool) -> RiskChangesPage.Model {
        // Thirty days before the moment at midnight (a day), or ten minutes before it (a minute).
        let since = empty ? F.moment.addingTimeInterval(-30 * 86_400 - 51_900) : F.moment.addingTimeInterval(-600)
        let reports: [RiskChangesPage.Model.Report] = [
            .init(id: F.id(7), number: 2, issuedAt: F.moment.addingTimeInterval(-7 * 86_400)),
            .init(id: F.id(8), number: 1, issuedAt: F.moment.addingTimeInterval(-37 * 86_400)),
        ]
        return RiskChangesPage.Model(
            code: F.operationCode, since: since, until: F.moment, matrix: .srm,
            changes: Self.changes(text, empty: empty), reports: empty ? [] : reports, canManage: !empty,
            error: empty ? nil : text)
    }

    static func report(_ text: String, empty: Bool) -> RiskReportPage.Model {
        RiskReportPage.Model(
            code: F.operationCode, operationName: empty ? "Sudan" : text, number: 2,
            since: F.moment.addingTimeInterval(-7 * 86_400), issuedAt: F.moment, author: empty ? nil : text,
            matrix: .srm, changes: Self.changes(text, empty: empty),
            recommendations: empty ? "" : text + "\nRe-brief drivers.", audience: .ifrcOnly)
    }

    @Test(
        "The register: empty and read-only, then typical with every action, in English and Arabic",
        arguments: ViewFixtures.languages)
    func register(language: String) {
        let page = F.chrome(language)
        let empty = RiskRegister.view(Self.register("", empty: true), page)
        let typical = RiskRegister.view(Self.register("Detention at checkpoints", empty: false), page)
        F.snapshot(Layout.document(page, body: empty), "empty-\(language)")
        F.snapshot(Layout.document(page, body: typical), "typical-\(language)")
    }

    @Test(
        "A risk: nothing assessed and read-only, then assessed with every action, then closed",
        arguments: ViewFixtures.languages)
    func show(language: String) {
        let page = F.chrome(language, flash: "Risk saved.")
        F.snapshot(RiskPage.view(Self.page("", empty: true), page), "empty-\(language)")
        F.snapshot(RiskPage.view(Self.page("Detention at checkpoints", empty: false), page), "typical-\(language)")
        F.snapshot(
            RiskPage.view(Self.page("Checkpoints removed", empty: false, closed: true), page),
            "closed-\(language)")
    }

    @Test(
        "The risk form: new and empty, then an edit refused with errors and a stale notice",
        arguments: ViewFixtures.languages)
    func form(language: String) {
        let page = F.chrome(language)
        F.snapshot(RiskForm.view(Self.form("", editing: false), page), "new-\(language)")
        F.snapshot(RiskForm.view(Self.form("Detention at checkpoints", editing: true), page), "refused-\(language)")
    }

    @Test(
        "What changed and the report: nothing changed, then every kind of change (the arrow follows the direction)",
        arguments: ViewFixtures.languages)
    func changes(language: String) {
        let page = F.chrome(language)
        let text = "Detention at checkpoints"
        F.snapshot(RiskChangesPage.view(Self.changesPage("", empty: true), page), "changes-empty-\(language)")
        F.snapshot(RiskChangesPage.view(Self.changesPage(text, empty: false), page), "changes-\(language)")
        F.snapshot(RiskReportPage.view(Self.report("", empty: true), page), "report-empty-\(language)")
        F.snapshot(RiskReportPage.view(Self.report(text, empty: false), page), "report-\(language)")
    }

    @Test("The risk page has what the HTTP and browser tests look for")
    func pageMarkers() {
        let page = F.chrome("en")
        let shown = RiskPage.view(Self.page("Detention", empty: false), page).html
        #expect(
            shown.contains(
                "<dd id=\"inherent\"><span class=\"level level-3\">Very high</span> <small>Likely × Severe</small></dd>"
            ))
        #expect(shown.contains("<tr class=\"late\"><td>Detention <small>#Detention #drivers</small>"))
        #expect(
            shown.contains(
                "<span class=\"level level-3\">Very high</span> → <span class=\"level level-2\">High</span>"))
        #expect(shown.contains("id=\"close-risk\"") && shown.contains("id=\"link-incident\""))
        #expect(!shown.contains("id=\"reopen-risk\""))
        let risk = F.id(1).uuidString, incident = F.id(6).uuidString
        #expect(shown.contains("action=\"/operations/SDN-TEST/risks/\(risk)/incidents/\(incident)/unlink\""))
        let empty = RiskPage.view(Self.page("", empty: true), page).html
        #expect(empty.contains("<dd id=\"residual\">Not assessed</dd>") && empty.contains("Whole operation"))
        #expect(!empty.contains("<form"))
        let closed = RiskPage.view(Self.page("Removed", empty: false, closed: true), page).html
        #expect(closed.contains("id=\"closed-tag\"") && closed.contains("id=\"reopen-risk\""))
        let arabic = RiskPage.view(Self.page("Detention", empty: false), F.chrome("ar")).html
        #expect(arabic.contains("</span> ← <span class=\"level level-2\">"))
    }

    @Test("The register and the form have what the HTTP and browser tests look for")
    func registerAndFormMarkers() {
        let page = F.chrome("en")
        let register = RiskRegister.view(Self.register("Detention", empty: false), page).html
        #expect(
            register.contains("<table class=\"list\" id=\"register\">") && register.contains("<tr class=\"closed\">"))
        #expect(register.contains("id=\"new-risk\"") && register.contains("<figure class=\"heat\"><svg"))
        #expect(register.contains("href=\"/operations/SDN-TEST/risks?area=Detention&amp;closed=on&amp;page=3\""))
        #expect(
            register.contains("<td>Armed conflict</td>") && register.contains("<td>Detention</td>"),
            "a threat by the catalogue's name, one an administrator added by the name given")
        #expect(!RiskRegister.view(Self.register("", empty: true), page).html.contains("id=\"new-risk\""))

        let form = RiskForm.view(Self.form("", editing: false), page).html
        #expect(form.contains("<optgroup label=\"Physical\">"))
        #expect(form.contains("<option value=\"convoy_looting\">Looting of convoys</option>"))
        #expect(form.contains("name=\"measures[1][description]\"") && !form.contains("name=\"measures[2]"))
        #expect(!form.contains("name=\"version\"") && !form.contains("publish_history"))
        let refused = RiskForm.view(Self.form("Ambush", editing: true), page).html
        #expect(refused.contains("id=\"stale-edit\"") && refused.contains("name=\"version\" value=\"1733300000000\""))
        #expect(refused.contains("action=\"/operations/SDN-TEST/risks/\(F.id(1).uuidString)/edit\""))
        #expect(refused.contains("<option value=\"in_progress\" selected>"))
        #expect(refused.contains("name=\"measures[1][owner]\"") && refused.contains("name=\"publish_history\""))
    }

    @Test("What changed and the report have what the HTTP and browser tests look for")
    func changeMarkers() {
        let page = F.chrome("en")
        let changes = RiskChangesPage.view(Self.changesPage("Raised later", empty: false), page).html
        let raised = changes.components(separatedBy: "<section class=\"change\" id=\"raised\">").last ?? ""
        #expect(
            raised.contains(
                "<bdi>Raised later</bdi></a> — <span class=\"level level-0\">Low</span> → "
                    + "<span class=\"level level-4\">Unacceptable</span>"))
        for id in ["new", "lowered", "closed", "overdue"] {
            #expect(changes.contains("<section class=\"change\" id=\"\(id)\">"), "\(id)")
        }
        #expect(changes.contains("id=\"issue-report\"") && changes.contains("<option value=\"ifrc\" selected>"))
        #expect(changes.contains("name=\"since\" value=\"2026-11-23T14:15\""))
        #expect(RiskChangesPage.view(Self.changesPage("", empty: true), page).html.contains("value=\"2026-10-24\""))
        let report = RiskReportPage.view(Self.report("Raised later", empty: false), page).html
        #expect(report.contains("<h1>Security risk report 2 · Raised later</h1>"))
        #expect(report.contains("<p class=\"notes\">Raised later\nRe-brief drivers.</p>"))
        #expect(report.contains("<script src=\"\(SiteURL.printScript.path)\" defer></script>"))
    }

    @Test("Hostile text in every field is escaped on every risk view", arguments: ViewFixtures.languages)
    func hostile(language: String) {
        let page = F.chrome(language)
        for text in F.hostile {
            let pages = [
                RiskRegister.view(Self.register(text, empty: false), page),
                RiskPage.view(Self.page(text, empty: false), page),
                RiskPage.view(Self.page(text, empty: false, closed: true), page),
                RiskForm.view(Self.form(text, editing: true), page),
                RiskChangesPage.view(Self.changesPage(text, empty: false), page),
                RiskReportPage.view(Self.report(text, empty: false), page),
            ]
            for html in pages {
                F.expectShownEscaped(text, in: html)
            }
        }
    }

    @Test("a threat since taken out of the catalogue stays chosen on the form, so it is not silently replaced")
    func removedThreatStaysChosen() {
        var values = RiskForm.Values()
        values.threat = "retired_threat"
        values.audience = "ifrc"
        let model = RiskForm.Model(
            code: F.operationCode, id: F.id(1), values: values, errors: [:], settings: RiskSettings(),
            version: "1", stale: nil)
        let html = RiskForm.view(model, F.chrome("en")).html
        #expect(html.contains("<option value=\"retired_threat\" selected>retired_threat</option>"))
        #expect(!html.contains("value=\"armed_conflict\" selected"), "no catalogue threat is chosen for it")
    }
}
