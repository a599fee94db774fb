import Domain
import Foundation
import Testing
import Views

@Suite("Operation views")
struct OperationViewTests {
    typealias F = ViewFixtures

    static func list(_ text: String, empty: Bool) -> OperationList.Model {
        .init(
            rows: empty
                ? []
                : [
                    .init(
                        code: "SDN-TEST", name: text, countries: ["SDN", "TCD"], emergencyType: "complex_emergency",
                        role: .securityCoordinator),
                    .init(code: "LBN-2026", name: "Lebanon", countries: ["LBN"], emergencyType: "conflict", role: nil),
                ], canCreate: !empty)
    }

    static func form(_ text: String, new: Bool, errors: [String: String]) -> OperationForm.Model {
        var values = OperationForm.Values()
        values.code = new ? "" : "SDN-TEST"
        values.name = text
        values.countries = "SDN"
        values.glide = text
        return .init(values: values, errors: errors, isNew: new)
    }

    static func details(_ text: String, member: Bool, manage: Bool) -> OperationDetails.Model {
        .init(
            code: F.operationCode, name: text, countries: ["SDN · Sudan"], emergencyType: "complex_emergency",
            glide: text, appeal: "",
            startDate: "2023-04-15", heops: member ? text : nil, role: member ? .securityCoordinator : nil,
            areaCounts: member ? [(level: 0, count: 1), (level: 1, count: 18)] : [],
            siteCounts: member ? [(type: .office, count: 2), (type: .camp, count: 5)] : nil, map: member ? F.map : nil,
            members: [
                .init(
                    userID: F.id(2), name: text, email: manage ? "amal@example.org" : nil,
                    role: "Security coordinator"
                )
            ],
            showContacts: manage, canManage: manage)
    }

    /// Every tile, filled with `text` (or empty), as the HeOps sees them.
    static func dashboard(_ text: String, member: Bool, empty: Bool = false, language: String = "en")
        -> OperationDashboard.Model
    {
        let deadline = ReportingClock.deadline(
            serious: false, occurredAt: F.moment, knownAt: nil, reportedAt: nil,
            now: F.moment.addingTimeInterval(30 * 86_400))
        var links = OperationDashboard.Links()
        links.member = member
        links.plans = member
        links.scenarios = member
        let labels = RiskLabels(RiskMatrix.srm, F.chrome(language).strings)
        let planDue = PlanDeadline(plan: .relocation, kind: .yearlyApproval, dueAt: F.moment, state: .overdue)
        let tiles: [OperationDashboard.Tile] = [
            .phases(
                inForce: empty ? [] : [.init(pcode: "SD07", area: text, phase: "orange", since: F.moment)],
                pending: empty ? 0 : 2, settings: PhaseSettings()),
            .approvals(
                empty ? [] : [.init(label: text, url: .phases(.value(F.operationCode)), since: F.moment)]),
            .reportsDue(empty ? [] : [DueItem(id: F.id(1), number: 12, title: text, deadline: deadline)], more: 4),
            .seriousIncidents(
                empty
                    ? []
                    : [
                        .init(
                            id: F.id(3), number: 31, title: text, category: .violence, area: text, occurredAt: F.moment)
                    ], more: !empty),
            .earlyWarnings(
                empty
                    ? []
                    : [
                        .init(
                            pcode: "SD07", area: text, recent: 9, expected: 2.25,
                            mapQuery: [("from", "2026-11-01"), ("to", "2026-11-28"), ("area", "SD07")])
                    ], from: "2026-11-01", to: "2026-11-28"),
            .risksForReview(
                empty
                    ? []
                    : [.init(id: F.id(4), number: 3, title: text, level: 3, nextReview: F.moment, overdue: true)],
                total: empty ? 0 : 7, labels: labels),
            .plansDue(empty ? [] : [planDue]),
            .exemptionsExpiring(empty ? [] : [.init(requirement: "2.4", expiresOn: F.moment)]),
            .flowTrend(
                empty
                    ? nil
                    : .init(
                        from: "2026-11-22", to: "2026-11-28",
                        lines: [
                            .init(direction: .incoming, now: 120, before: 100),
                            .init(direction: .outgoing, now: 30, before: 0),
                        ], analysisQuery: [("from", "2026-11-22"), ("to", "2026-11-28")])),
            .newFigures(empty ? [] : [.init(name: text, figures: 40, updatedAt: F.moment)]),
            .scenarios(
                empty
                    ? []
                    : [
                        .init(
                            id: F.id(5), name: text, month: "2026-11", projected: 900, low: 700, high: 1_100,
                            actual: 1_240)
                    ]),
        ]
        return .init(
            code: F.operationCode, name: text, role: member ? .headOfOperations : nil, links: links,
            tiles: member ? tiles : [])
    }

    static func due(_ text: String, page: Int, more: Bool) -> IncidentsDue.Model {
        let deadline = ReportingClock.deadline(
            serious: true, occurredAt: F.moment, knownAt: nil, reportedAt: nil, now: F.moment)
        return .init(
            code: F.operationCode,
            items: text.isEmpty ? [] : [DueItem(id: F.id(3), number: 7, title: text, deadline: deadline)],
            total: text.isEmpty ? 0 : 51, page: page, hasMore: more)
    }

    @Test(
        "The operation list, form, dashboard and reports due, in English and Arabic", arguments: ViewFixtures.languages)
    func views(language: String) {
        let page = F.chrome(language)
        F.snapshot(
            Layout.document(page, body: OperationList.view(Self.list("", empty: true), page)), "list-empty-\(language)")
        F.snapshot(OperationList.view(Self.list("Sudan conflict", empty: false), page), "list-\(language)")
        F.snapshot(OperationForm.view(Self.form("", new: true, errors: [:]), page), "form-new-\(language)")
        F.snapshot(
            OperationForm.view(
                Self.form("Sudan", new: false, errors: ["code": "Taken.", "start_date": "Use a date."]), page),
            "form-refused-\(language)")
        F.snapshot(
            OperationDashboard.view(Self.dashboard("Sudan", member: false), page), "dashboard-outsider-\(language)")
        F.snapshot(
            OperationDashboard.view(Self.dashboard("Sudan", member: true, language: language), page),
            "dashboard-\(language)")
        F.snapshot(
            OperationDashboard.view(Self.dashboard("Sudan", member: true, empty: true, language: language), page),
            "dashboard-empty-\(language)")
        F.snapshot(
            OperationDetails.view(Self.details("Sudan", member: false, manage: false), page),
            "details-outsider-\(language)")
        F.snapshot(
            OperationDetails.view(Self.details("Sudan", member: true, manage: true), page), "details-\(language)")
        F.snapshot(IncidentsDue.view(Self.due("", page: 1, more: false), page), "due-empty-\(language)")
        F.snapshot(IncidentsDue.view(Self.due("Convoy stopped", page: 2, more: true), page), "due-\(language)")
    }

    @Test("Reports due past the count's bound say \"at least\", in English and Arabic")
    func reportsDueAtLeast() {
        let deadline = ReportingClock.deadline(
            serious: false, occurredAt: F.moment, knownAt: nil, reportedAt: nil, now: F.moment)
        for (language, counted, atLeast) in [
            ("en", "All reports due (4 more)", false), ("en", "All reports due (at least 1000 more)", true),
            ("ar", "كل التقارير المستحقة (1000 أخرى على الأقل)", true),
        ] {
            let base = Self.dashboard("Sudan", member: true, language: language)
            let model = OperationDashboard.Model(
                code: base.code, name: base.name, role: base.role, links: base.links,
                tiles: [
                    .reportsDue(
                        [DueItem(id: F.id(1), number: 12, title: "Convoy", deadline: deadline)],
                        more: atLeast ? 1000 : 4, atLeast: atLeast)
                ])
            let html = OperationDashboard.view(model, F.chrome(language)).description
            #expect(html.contains(counted), "\(language), at least: \(atLeast)")
        }
    }

    @Test("Hostile text in every field is escaped")
    func hostile() {
        let page = F.chrome("ar")
        for text in F.hostile {
            for html in [
                OperationList.view(Self.list(text, empty: false), page),
                OperationForm.view(Self.form(text, new: false, errors: ["name": text]), page),
                OperationDashboard.view(Self.dashboard(text, member: true, language: "ar"), page),
                OperationDetails.view(Self.details(text, member: true, manage: true), page),
                IncidentsDue.view(Self.due(text, page: 1, more: true), page),
            ] {
                F.expectShownEscaped(text, in: html)
            }
        }
    }
}

@Suite("Incident list view")
struct IncidentListViewTests {
    typealias F = ViewFixtures

    static func list(_ text: String, rows: Bool, page: Int) -> IncidentList.Model {
        let open = ReportingClock.deadline(
            serious: true, occurredAt: F.moment, knownAt: nil, reportedAt: nil, now: F.moment)
        let met = ReportingClock.deadline(
            serious: false, occurredAt: F.moment, knownAt: nil, reportedAt: F.moment, now: F.moment)
        return .init(
            code: F.operationCode,
            rows: rows
                ? [
                    .init(
                        id: F.id(1), number: 31, title: text, serious: true, category: .violence, occurredAt: F.moment,
                        areaPcode: "SD01",
                        status: .reported, deadline: open),
                    .init(
                        id: F.id(2), number: 30, title: "Theft at the warehouse", serious: false, category: .crime,
                        occurredAt: F.moment,
                        areaPcode: nil, status: .closed, deadline: met),
                ] : [], page: page, hasMore: rows, canCreate: rows)
    }

    @Test("Empty, and a page with more after it, in English and Arabic", arguments: ViewFixtures.languages)
    func views(language: String) {
        let page = F.chrome(language)
        F.snapshot(IncidentList.view(Self.list("", rows: false, page: 1), page), "empty-\(language)")
        F.snapshot(
            IncidentList.view(Self.list("Convoy stopped at a checkpoint", rows: true, page: 2), page),
            "typical-\(language)")
    }

    @Test("Hostile text is escaped")
    func hostile() {
        for text in F.hostile {
            F.expectShownEscaped(text, in: IncidentList.view(Self.list(text, rows: true, page: 1), F.chrome("en")))
        }
    }
}

@Suite("IFRC's own texts in every language")
struct IFRCTextTests {
    @Test(
        "every default phase description, indicator and requirement, and every default MSR requirement, has its words in all four languages"
    )
    func phaseTexts() {
        let texts =
            (PhaseDefinition.ifrc.flatMap { [$0.description] + $0.indicators + $0.requirements }
            + MSRRequirement.defaults.map(\.text)).filter { !$0.isEmpty }
        #expect(texts.count >= 45)
        for language in Catalog.languages {
            let t = Strings(ViewFixtures.catalog, language: language)
            for text in texts {
                #expect(ViewFixtures.catalog.lookup(Strings.ifrcKey(text), language) != nil, "\(language): \(text)")
                #expect(language == "en" ? t.ifrcText(text) == text : t.ifrcText(text) != text, "\(language): \(text)")
            }
        }
        // An operation's own words are shown as written.
        #expect(Strings(ViewFixtures.catalog, language: "ar").ifrcText("Our own indicator") == "Our own indicator")
    }
}
