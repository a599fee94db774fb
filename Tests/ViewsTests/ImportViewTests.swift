import Foundation
import Testing
import Views

@Suite("Boundaries, context sources and security settings views")
struct ImportViewTests {
    typealias F = ViewFixtures

    static func boundaries(_ text: String, report: Bool, imported: Bool, manage: Bool) -> BoundariesPage.Model {
        .init(
            code: F.operationCode, counts: manage ? [(level: 0, count: 1), (level: 1, count: 18)] : [],
            areas: manage
                ? [
                    .init(level: 0, pcode: "SD", parent: nil, name: text, nameAr: "السودان"),
                    .init(level: 1, pcode: "SD01", parent: "SD", name: "Khartoum", nameAr: nil),
                ] : [],
            paging: PagePosition(page: 1, pageCount: 2, total: 150), canManage: manage,
            report: report
                ? .init(
                    imported: imported, fileName: text, levels: [(level: 1, count: 18)],
                    problems: imported ? [] : [text, "feature 3: no geometry"], inserted: 18, updated: 0,
                    relocated: 2, incidentsPlaced: 5) : nil,
            error: report ? nil : (manage ? nil : text), maxMB: 50)
    }

    static func sources(_ text: String, canImport: Bool) -> ContextSourcesPage.Model {
        .init(
            code: F.operationCode,
            sources: [.init(name: "awsd", total: 310, missing: 2), .init(name: text, total: 4, missing: 0)],
            formats: ["awsd", "sind", "acled", "hxl"], canImport: canImport,
            report: canImport ? [text, "12 rows imported"] : nil,
            error: canImport ? nil : text, maxMB: 50)
    }

    static func settings(_ text: String) -> SecuritySettingsPage.Model {
        .init(
            code: F.operationCode,
            entries: [
                .init(key: "risk_matrix", labelKey: "settings.risk_matrix", json: "{\"size\": 5}", error: nil),
                .init(key: "risk_threats", labelKey: "settings.risk_threats", json: text, error: text),
            ])
    }

    @Test("Each page, empty and typical, in English and Arabic", arguments: ViewFixtures.languages)
    func views(language: String) {
        let page = F.chrome(language)
        F.snapshot(
            BoundariesPage.view(Self.boundaries("", report: false, imported: false, manage: false), page),
            "boundaries-empty-\(language)")
        F.snapshot(
            BoundariesPage.view(Self.boundaries("Sudan", report: true, imported: true, manage: true), page),
            "boundaries-\(language)")
        F.snapshot(
            BoundariesPage.view(Self.boundaries("sudan.geojson", report: true, imported: false, manage: true), page),
            "boundaries-refused-\(language)")
        F.snapshot(
            ContextSourcesPage.view(Self.sources("bad.csv: no header", canImport: false), page),
            "sources-read-\(language)")
        F.snapshot(
            ContextSourcesPage.view(Self.sources("awsd.csv: 12 rows", canImport: true), page), "sources-\(language)")
        F.snapshot(SecuritySettingsPage.view(Self.settings("[1, 2"), page), "settings-\(language)")
    }

    @Test("Hostile text in every field is escaped")
    func hostile() {
        let page = F.chrome("ar")
        for text in F.hostile {
            for html in [
                BoundariesPage.view(Self.boundaries(text, report: true, imported: false, manage: true), page),
                BoundariesPage.view(Self.boundaries(text, report: false, imported: false, manage: false), page),
                ContextSourcesPage.view(Self.sources(text, canImport: true), page),
                ContextSourcesPage.view(Self.sources(text, canImport: false), page),
                SecuritySettingsPage.view(Self.settings(text), page),
            ] {
                F.expectShownEscaped(text, in: html)
            }
        }
    }
}

@Suite("Audit views")
struct AuditViewTests {
    typealias F = ViewFixtures

    static func rows(_ text: String) -> [AuditRow] {
        [
            AuditRow(
                sequence: 42, at: "2026-11-23T14:05:00Z", actor: "amal@example.org", kind: "site",
                record: F.id(1).uuidString,
                action: "changed",
                changes: [
                    .init(field: "name", before: text, after: "Compound B"),
                    .init(field: "notes", before: "∅", after: text),
                ],
                link: .site(.value(F.operationCode), .value(F.id(1)))),
            AuditRow(
                sequence: 41, at: "2026-11-23T13:00:00Z", actor: "Reporter not named", kind: "incident",
                record: F.id(2).uuidString,
                action: "created", changes: [.init(field: "—", before: "hidden", after: "hidden")], link: nil),
        ]
    }

    @Test(
        "The operation's trail and one record's, in English and Arabic (the arrow follows the direction)",
        arguments: ViewFixtures.languages)
    func views(language: String) {
        let page = F.chrome(language)
        F.snapshot(
            AuditPage.view(
                .init(code: F.operationCode, rows: [], paging: PagePosition(page: 1, pageCount: 1, total: 0)), page),
            "operation-empty-\(language)")
        F.snapshot(
            AuditPage.view(
                .init(
                    code: F.operationCode, rows: Self.rows("Compound A"),
                    paging: PagePosition(page: 2, pageCount: 3, total: 120)),
                page), "operation-\(language)")
        F.snapshot(
            RecordAuditPage.view(
                .init(
                    code: F.operationCode, recordName: "Compound B",
                    back: .site(.value(F.operationCode), .value(F.id(1))),
                    rows: Self.rows("Compound A")), page), "record-\(language)")
    }

    @Test("Hostile text in every field is escaped")
    func hostile() {
        let page = F.chrome("en")
        for text in F.hostile {
            F.expectShownEscaped(
                text,
                in: AuditPage.view(
                    .init(
                        code: F.operationCode, rows: Self.rows(text),
                        paging: PagePosition(page: 1, pageCount: 1, total: 2)), page))
            F.expectShownEscaped(
                text,
                in: RecordAuditPage.view(
                    .init(
                        code: F.operationCode, recordName: text,
                        back: .site(.value(F.operationCode), .value(F.id(1))),
                        rows: Self.rows(text)), page))
        }
    }
}
