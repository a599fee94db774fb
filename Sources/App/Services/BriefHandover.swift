import Domain
import Fluent
import Foundation
import Persistence
import Vapor
import Views

/// The handover pack at the end of a mission (issue 20, point 5): not what changed, but the state of
/// everything a successor takes over, as of the pack's day. Longer tables than a brief's: a
/// successor needs every open item, so these list up to `handoverRows` rows.
extension BriefGenerator {
    static let handoverRows = 200

    func handover(_ section: BriefSection, scope: Scope, names: [String: String]) async throws -> [BriefContent.Item]? {
        switch section {
        case .openRisks: try await openRisks(scope)
        case .phaseHistory: try await phaseHistory(names: names)
        case .planClocks: try await planClocks()
        case .complianceStatus: try await complianceStatus()
        case .peopleAndMovements: try await peopleAndMovements()
        case .ongoingCrises: try await ongoingCrises()
        case .network: try await network(scope)
        case .openActions: try await openActions(scope)
        case .scenarioAssumptions: try await scenarioAssumptions()
        case .protectionRegister: try await protectionRegister(scope)
        default: nil
        }
    }

    func long(
        _ key: String, _ label: String, columns: [String], rows: [[Cell]], source: String, link: SiteURL
    ) -> BriefContent.Item {
        let shown = Array(rows.prefix(Self.handoverRows))
        return BriefContent.Item(
            key: key, label: label, source: source, asOf: asOfDay, link: link.path,
            table: BriefContent.Table(columns: columns, rows: shown, more: rows.count - shown.count))
    }

    func openRisks(_ scope: Scope) async throws -> [BriefContent.Item] {
        let settings = try await SettingsStore(db).load(RiskSettings.self, operationID: operation.id)
        let labels = RiskLabels(settings.matrix, t)
        let open = try await RiskStore(db).states(at: asOf, in: scope, detailed: true).filter { !$0.closed }
            .sorted { ($0.level, $1.title) > ($1.level, $0.title) }
        let rows: [[Cell]] = open.map { risk in
            [
                Cell(risk.title, link: SiteURL.risk(code, .value(risk.id)).path), Cell(labels.level(risk.level)),
                Cell(
                    risk.openMeasures.map { m in
                        m.description + (m.owner.isEmpty ? "" : " (\(m.owner))")
                            + (m.dueOn.map { " · " + DateText.day($0) } ?? "")
                    }.joined(separator: "; ")),
            ]
        }
        return [
            figure(
                "open", t("brief_item.risks_open"), open.count, source: t("brief_source.risk_register"),
                link: .risks(code)),
            long(
                "list", t("brief_item.risks_open"),
                columns: [t("brief_column.risk"), t("brief_column.level"), t("brief_column.measures")], rows: rows,
                source: t("brief_source.risk_register"), link: .risks(code)),
        ]
    }

    func phaseHistory(names: [String: String]) async throws -> [BriefContent.Item] {
        var items = try await phases(names: names).filter { $0.key == "in_force" }
        let history = try await PhaseStore(db).history(in: operation.id, limit: 1_000)
        func phase(_ name: String?) -> String { name.map { t.phase($0) } ?? "—" }
        items.append(
            long(
                "history", t("brief_item.phase_history"),
                columns: [
                    t("brief_column.area"), t("brief_column.phase"), t("brief_column.status"),
                    t("brief_column.declared"), t("brief_column.in_force"), t("brief_column.ended"),
                ],
                rows: history.map { d in
                    [
                        Cell(names[d.areaPcode] ?? d.areaPcode), Cell(phase(d.from) + arrow + phase(d.to)),
                        Cell(t("phase_status.\(d.status.rawValue)")), Cell(day(d.declaredAt)),
                        Cell(d.inForceAt.map(day) ?? "—"), Cell(d.closedAt.map(day) ?? "—"),
                    ]
                }, source: t("brief_source.phases"), link: .phases(code)))
        return items
    }

    func planClocks() async throws -> [BriefContent.Item] {
        let all: [PlanDeadline] = try await PlanDeadlines.all(of: operation, in: db, now: asOf).values.flatMap { $0 }
            .sorted { ($0.plan.rawValue, $0.dueAt) < ($1.plan.rawValue, $1.dueAt) }
        return [
            long(
                "clocks", t("brief_item.plan_clocks"),
                columns: [
                    t("brief_column.plan"), t("brief_column.deadline"), t("brief_column.due"), t("brief_column.status"),
                ],
                rows: all.map {
                    [
                        Cell(t($0.plan.labelKey), link: SiteURL.plan(code, .value($0.plan)).path),
                        Cell(t($0.kind.labelKey)), Cell(day($0.dueAt)), Cell(t("deadline_state.\($0.state.rawValue)")),
                    ]
                }, source: t("brief_source.plans"), link: .plans(code))
        ]
    }

    func complianceStatus() async throws -> [BriefContent.Item] {
        let scope = AccessPolicy.audienceScope(in: operation.id, audience: .ifrcOnly)
        let settings = try await SettingsStore(db).load(ComplianceSettings.self, operationID: operation.id)
        let exemptions = try await ComplianceStore(db).exemptions(in: operation.id).map(\.exemption)
        let today = operation.time.calendarDay(asOf)
        let sites = Dictionary(
            try await SiteStore(db).all(in: scope).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        // The latest assessment of each site (or of the operation as a whole).
        var latest: [String: (name: String, record: ComplianceAssessmentRecord)] = [:]
        for record in try await ComplianceStore(db).assessments(in: scope, limit: 1_000) {
            let key = record.siteID?.uuidString ?? "-"
            if let seen = latest[key], seen.record.assessment.assessedOn >= record.assessment.assessedOn { continue }
            latest[key] = (record.siteID.flatMap { sites[$0] } ?? t("brief_item.whole_operation"), record)
        }
        let rows: [[Cell]] = latest.values.sorted { $0.name < $1.name }.map { entry in
            let scores = entry.record.assessment.scores(catalogue: settings.catalogue, exemptions: exemptions).values
                .compactMap { $0 }
            let mean = scores.isEmpty ? "—" : "\(Int((scores.reduce(0, +) / Double(scores.count) * 100).rounded())) %"
            return [
                Cell(entry.name), Cell(DateText.day(entry.record.assessment.assessedOn)),
                Cell(t.phase(entry.record.assessment.phase)), Cell(mean),
            ]
        }
        let active = exemptions.filter { $0.isActive(on: today) }.sorted { $0.expiresOn < $1.expiresOn }
        return [
            long(
                "sites", t("brief_item.compliance_by_site"),
                columns: [
                    t("brief_column.site"), t("brief_column.day"), t("brief_column.phase"), t("brief_column.score"),
                ],
                rows: rows, source: t("brief_source.compliance"), link: .compliance(code)),
            long(
                "exemptions", t("brief_item.exemptions_active"),
                columns: [t("brief_column.requirement"), t("brief_column.expires")],
                rows: active.map { [Cell($0.requirement), Cell(DateText.day($0.expiresOn))] },
                source: t("brief_source.compliance"), link: .compliance(code)),
        ]
    }

    func peopleAndMovements() async throws -> [BriefContent.Item] {
        var items = try await people().filter { $0.table == nil }
        let keeper = AccessPolicy.operatorPersonnelScope(in: operation.id)
        let grace = try await SettingsStore(db).load(MovementSettings.self, operationID: operation.id).graceMinutes
        let open = try await MovementStore(db).board(in: keeper, closedSince: asOf).filter {
            $0.status == .approved || $0.status == .underway || $0.status == .requested
        }
        items.append(
            figure(
                "open_movements", t("brief_item.movements_open"), open.count, source: t("brief_source.movements"),
                link: .movements(code)))
        items.append(
            long(
                "movements", t("brief_item.movements_open"),
                columns: [
                    t("brief_column.number"), t("brief_column.purpose"), t("brief_column.expected"),
                    t("brief_column.status"),
                ],
                rows: open.map {
                    [
                        Cell("#\($0.number)", link: SiteURL.movement(code, .value($0.id)).path), Cell($0.draft.purpose),
                        Cell(operation.time.minute($0.draft.expectedArrivalAt)),
                        Cell(
                            $0.isOverdue(now: asOf, graceMinutes: grace)
                                ? t("deadline_state.overdue") : t("movement_status.\($0.status.rawValue)")),
                    ]
                }, source: t("brief_source.movements"), link: .movements(code)))
        return items
    }

    func ongoingCrises() async throws -> [BriefContent.Item] {
        let open = try await CriticalIncidentStore(db).list(in: AccessPolicy.operatorCrisisScope(in: operation.id))
            .filter(\.isOpen)
        return [
            figure(
                "ongoing", t("brief_item.crises_ongoing"), open.count, source: t("brief_source.crises"),
                link: .criticalIncidents(code), tone: open.isEmpty ? .good : .attention),
            long(
                "list", t("brief_item.crises_ongoing"),
                columns: [
                    t("brief_column.number"), t("brief_column.level"), t("brief_column.day"), t("brief_column.what"),
                ],
                rows: open.map {
                    [
                        Cell("#\($0.number)"), Cell(t($0.draft.level.labelKey)), Cell(day($0.draft.occurredAt)),
                        Cell(String($0.draft.what.prefix(160))),
                    ]
                }, source: t("brief_source.crises"), link: .criticalIncidents(code)),
        ]
    }

    func network(_ scope: Scope) async throws -> [BriefContent.Item] {
        let members = Dictionary(
            try await OperationStore(db).members(of: operation.id).map { ($0.userId, $0.displayName) },
            uniquingKeysWith: { a, _ in a })
        // Names, types, relations and owners only: contacts stay in the registry, which records who reads them.
        let entries = try await StakeholderStore(db).all(in: scope).sorted { $0.draft.name < $1.draft.name }
        return [
            figure(
                "entries", t("brief_item.network_entries"), entries.count, source: t("brief_source.network"),
                link: .stakeholders(code)),
            long(
                "owners", t("brief_item.network_owners"),
                columns: [
                    t("brief_column.stakeholder"), t("brief_column.kind"), t("brief_column.relation"),
                    t("brief_column.owner"),
                ],
                rows: entries.map {
                    [
                        Cell(
                            $0.draft.name + ($0.draft.acronym.map { " (\($0))" } ?? ""),
                            link: SiteURL.stakeholder(code, .value($0.id)).path),
                        Cell(t($0.draft.actorType.labelKey)), Cell(t($0.draft.relation.labelKey)),
                        Cell($0.draft.ownerID.flatMap { members[$0] } ?? "—"),
                    ]
                }, source: t("brief_source.network"), link: .stakeholders(code)),
        ]
    }

    func openActions(_ scope: Scope) async throws -> [BriefContent.Item] {
        let open = try await MeetingStore(db).actions(in: scope, filter: .init(status: .open), limit: 5_000)
        let members = Dictionary(
            try await OperationStore(db).members(of: operation.id).map { ($0.userId, $0.displayName) },
            uniquingKeysWith: { a, _ in a })
        let stakeholders = try await StakeholderStore(db).find(
            open.compactMap { if case .stakeholder(let id) = $0.owner { id } else { nil } }, in: scope)
        func owner(_ o: ActionOwner?) -> String {
            switch o {
            case .member(let id): members[id] ?? "—"
            case .stakeholder(let id): stakeholders[id]?.draft.name ?? "—"
            case nil: "—"
            }
        }
        return [
            long(
                "list", t("brief_item.actions_open"),
                columns: [
                    t("brief_column.action"), t("brief_column.owner"), t("brief_column.due"), t("brief_column.forum"),
                ],
                rows: open.map {
                    [
                        Cell($0.text), Cell(owner($0.owner)), Cell(DateText.day($0.dueOn)),
                        Cell($0.forum, link: SiteURL.meeting(code, .value($0.meetingID)).path),
                    ]
                }, source: t("brief_source.meetings"), link: .actionPoints(code))
        ]
    }

    func scenarioAssumptions() async throws -> [BriefContent.Item] {
        let scenarios = try await ScenarioStore(db).list(in: operation.id)
        return [
            long(
                "list", t("brief_item.scenarios_list"),
                columns: [
                    t("brief_column.scenario"), t("brief_column.kind"), t("brief_column.assumptions"),
                    t("brief_column.triggers"),
                ],
                rows: scenarios.map {
                    [
                        Cell($0.draft.name, link: SiteURL.scenario(code, .value($0.id)).path),
                        Cell(t($0.draft.kind.labelKey)), Cell($0.draft.assumptions), Cell($0.draft.triggers),
                    ]
                }, source: t("brief_source.scenarios"), link: .scenarios(code))
        ]
    }

    func protectionRegister(_ scope: Scope) async throws -> [BriefContent.Item] {
        let settings = try await SettingsStore(db).load(ProtectionRiskSettings.self, operationID: operation.id)
        let labels = RiskLabels(settings.method, t)
        let open = try await ProtectionRiskStore(db).list(in: scope).filter { $0.closedAt == nil }
            .sorted { ($0.level, $1.draft.title) > ($1.level, $0.draft.title) }
        return [
            figure(
                "open", t("brief_item.protection_risks_open"), open.count, source: t("brief_source.protection_risks"),
                link: .protectionRisks(code)),
            long(
                "list", t("brief_item.protection_risks_open"),
                columns: [t("brief_column.risk"), t("brief_column.level")],
                rows: open.map {
                    [
                        Cell($0.draft.title, link: SiteURL.protectionRisk(code, .value($0.id)).path),
                        Cell(labels.level($0.level)),
                    ]
                }, source: t("brief_source.protection_risks"), link: .protectionRisks(code)),
        ]
    }
}
