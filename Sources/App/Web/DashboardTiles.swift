import Domain
import Foundation
import Persistence
import Vapor
import Views

/// The dashboard's tiles: for each tile the reader's role gets (`DashboardTile.tiles(for:)`), what
/// it shows, read through the reader's scope and only where the access policy lets them read it.
/// Every list is short (the page must stay light); each tile links to the page with all of it.
struct DashboardTiles {
    let context: OperationContext
    let scope: Scope
    let req: Request
    /// The reader's reach over the personnel register, read once for the page (nil: none).
    let personnel: PersonnelContext?
    let shared = SharedReads()

    /// What more than one tile reads, read once a view: the same rows, not a second query.
    final class SharedReads {
        var inForce: [String: PhaseDeclarationRecord]?
        var pending: [PhaseDeclarationRecord]?
        var places: PersonnelPlaces?
    }

    /// The shared read at `path`, made the first time a tile asks.
    func once<Value>(
        _ path: ReferenceWritableKeyPath<SharedReads, Value?>, _ read: () async throws -> Value
    ) async throws -> Value {
        if let done = shared[keyPath: path] { return done }
        let value = try await read()
        shared[keyPath: path] = value
        return value
    }

    func inForce() async throws -> [String: PhaseDeclarationRecord] {
        try await once(\.inForce) { try await PhaseStore(req.db).inForce(in: operationID) }
    }

    func pending() async throws -> [PhaseDeclarationRecord] {
        try await once(\.pending) { try await PhaseStore(req.db).pending(in: operationID) }
    }

    func places(_ p: PersonnelContext) async throws -> PersonnelPlaces {
        try await once(\.places) { try await PersonnelPlaces.load(req, p, inForce: try await inForce()) }
    }

    /// Rows shown per list.
    static let shown = 5
    /// Past this, a tile's count of what is not listed says "at least".
    static let countedUpTo = 1_000

    var operation: OperationRecord { context.operation }
    var operationID: OperationID { context.operation.id }
    var viewer: Viewer { context.viewer }
    var now: Date { req.now }
    var today: Date { AnalysisPeriods.calendar.startOfDay(for: req.now) }
    var coming: Date { now.addingTimeInterval(Double(DashboardTile.comingDays) * 86_400) }

    func tiles() async throws -> [OperationDashboard.Tile] {
        guard let role = context.role else { return [] }
        let names = try await req.areaShapes.names(for: operation, language: req.language, on: req.db)
        var tiles: [OperationDashboard.Tile] = []
        for tile in DashboardTile.tiles(for: role) {
            if let built = try await build(tile, role: role, names: names) { tiles.append(built) }
        }
        return tiles
    }

    func build(_ tile: DashboardTile, role: Role, names: [String: String]) async throws -> OperationDashboard.Tile? {
        switch tile {
        case .phases: return try await phases(names: names)
        case .approvals: return try await approvals(role: role, names: names)
        case .people: return try await people(names: names)
        case .movements: return try await movements()
        case .reportsDue: return try await reportsDue()
        case .seriousIncidents: return try await serious(names: names)
        case .earlyWarnings: return try await earlyWarnings(names: names)
        case .risksForReview: return try await risksForReview()
        case .plansDue: return try await plansDue()
        case .exemptionsExpiring: return try await exemptionsExpiring()
        case .flowTrend: return try await flowTrend()
        case .newFigures: return try await newFigures()
        case .scenarios: return try await scenarios()
        case .actionPoints: return try await actionPoints()
        }
    }

    func phases(names: [String: String]) async throws -> OperationDashboard.Tile? {
        guard AccessPolicy.canViewPhases(in: operationID, by: viewer) else { return nil }
        let settings = try await req.settings(PhaseSettings.self, of: operationID)
        let inForce = try await inForce().sorted {
            (settings.rules.rank($0.value.to) ?? 0, $1.key) > (settings.rules.rank($1.value.to) ?? 0, $0.key)
        }
        var waiting: Int?
        if AccessPolicy.canViewPhaseDeclarations(in: operationID, by: viewer) {
            waiting = try await pending().count
        }
        return .phases(
            inForce: inForce.map {
                .init(pcode: $0.key, area: names[$0.key] ?? $0.key, phase: $0.value.to, since: $0.value.inForceAt)
            }, pending: waiting, settings: settings)
    }

    /// What waits for the reader's own approval: phase declarations missing an authority they hold,
    /// and plan versions in review when they are the senior manager. Shown to the HeOps always, to
    /// others only when they hold an authority.
    func approvals(role: Role, names: [String: String]) async throws -> OperationDashboard.Tile? {
        guard AccessPolicy.canViewPhaseDeclarations(in: operationID, by: viewer) else { return nil }
        let user = context.current.user.id
        let held = try await PhaseStore(req.db).authorities(of: user, role: role, in: operationID)
        guard !held.isEmpty || role == .headOfOperations else { return nil }
        let code = Parameter.value(operation.code)
        var items: [OperationDashboard.Approval] = []
        for declaration in try await pending()
        where !declaration.missing.isDisjoint(with: held) {
            let area = names[declaration.areaPcode] ?? declaration.areaPcode
            items.append(
                .init(
                    label: req.t("dashboard.approve_phase").replacingOccurrences(
                        of: "{number}", with: String(declaration.number)
                    ).replacingOccurrences(of: "{area}", with: area).replacingOccurrences(
                        of: "{phase}", with: req.strings.phase(declaration.to)),
                    url: .phases(code), since: declaration.declaredAt))
        }
        if held.contains(.seniorManager), AccessPolicy.canViewSecurityPlans(in: operationID, by: viewer) {
            for (kind, entry) in try await PlanStore(req.db).current(in: operationID).sorted(by: {
                $0.key.rawValue < $1.key.rawValue
            }) {
                guard let open = entry.open, open.status == .inReview, open.createdBy != user else { continue }
                items.append(
                    .init(
                        label: req.t("dashboard.approve_plan").replacingOccurrences(
                            of: "{plan}", with: req.t(kind.labelKey)
                        )
                        .replacingOccurrences(of: "{version}", with: String(open.version)),
                        url: .plan(code, .value(kind)), since: open.submittedAt ?? open.createdAt))
            }
        }
        return .approvals(items.sorted { $0.since < $1.since })
    }

    /// Counts and open roll-calls (no names: the register's pages list them, and record who looked);
    /// for those who reach only themselves, their own last place.
    func people(names: [String: String]) async throws -> OperationDashboard.Tile? {
        let store = PersonStore(req.db)
        guard let p = personnel else { return nil }
        let scope = p.scope
        let places = try await places(p)
        guard scope.reachesEveryone else {
            return .people(.own(try await store.own(viewer.userID, in: scope).map(places.line)))
        }
        let everyone = try await store.all(in: scope)
        let count = places.headcount(everyone)
        // Only the briefings: the tile counts overdue arrival briefings and nothing else of readiness.
        let briefings = Dictionary(grouping: try await ReadinessStore(req.db).briefings(in: scope), by: \.personID)
        let briefingsOverdue = everyone.filter { person in
            guard person.isPresent(at: now) else { return false }
            let given = briefings[person.id]?.map(\.briefing) ?? []
            if case .overdue = PersonnelReadiness.arrival(person, briefings: given, now: now) { return true }
            return false
        }.count
        let calls = try await RollCallStore(req.db).openCalls(in: scope).map { call in
            let counts = call.counts
            return OperationDashboard.People.Call(
                id: call.id,
                label: req.t("roll_call_name").replacingOccurrences(of: "{n}", with: String(call.number)) + " · "
                    + (names[call.areaPcode] ?? call.areaPcode),
                safe: counts[.safe] ?? 0, needsHelp: counts[.needsHelp] ?? 0, notReached: counts[.notReached] ?? 0)
        }
        return .people(
            .headcount(
                present: count.total, stale: count.stale.count, unknown: count.unknown.count,
                briefingsOverdue: briefingsOverdue, calls: calls))
    }

    /// Overdue movements head the dashboard (passengers, last known point) until resolved; a
    /// member reaching only their own record sees the movements they travel on, if any.
    func movements() async throws -> OperationDashboard.Tile? {
        guard let p = personnel else { return nil }
        let scope = p.scope
        let board = try await MovementStore(req.db).board(in: scope, closedSince: now)
        let open = board.filter { !$0.status.isClosed }
        guard scope.reachesEveryone || !open.isEmpty else { return nil }
        let settings = try await req.settings(MovementSettings.self, of: operationID)
        let overdue = open.filter { $0.isOverdue(now: now, graceMinutes: settings.graceMinutes) }
        var lines: [MovementLine] = []
        if !overdue.isEmpty {
            let places = try await places(p)
            let names = try await PersonnelPages.names(req, p)
            lines = overdue.map {
                $0.line(names: names, places: places, graceMinutes: settings.graceMinutes, strings: req.strings)
            }
        }
        return .movements(
            overdue: lines, onTheRoad: open.filter { $0.status == .underway }.count,
            waiting: open.filter { $0.status == .requested }.count)
    }

    func reportsDue() async throws -> OperationDashboard.Tile? {
        // The most urgent (the store sorts by deadline, so overdue ones come first); the rest are
        // counted and listed on their own page, so the busiest page stays light.
        let store = IncidentStore(req.db)
        let awaiting = try await store.awaitingRegionalReport(in: scope, limit: OperationController.dueShown + 1)
        var more = 0
        var atLeast = false
        if awaiting.count > OperationController.dueShown {
            // Counted up to a bound: the tile says "at least" beyond it, and costs the same at any size.
            let bound = OperationController.dueShown + Self.countedUpTo
            let counted = try await store.countAwaitingRegionalReport(in: scope, upTo: bound)
            (more, atLeast) = (counted - OperationController.dueShown, counted >= bound)
        }
        return .reportsDue(
            awaiting.prefix(OperationController.dueShown).map { $0.dueItem(at: now) }, more: more, atLeast: atLeast)
    }

    func serious(names: [String: String]) async throws -> OperationDashboard.Tile? {
        let since = today.addingTimeInterval(-Double(DashboardTile.recentDays - 1) * 86_400)
        let (items, more) = try await IncidentStore(req.db).recentSerious(in: scope, since: since, limit: Self.shown)
        return .seriousIncidents(
            items.map {
                .init(
                    id: $0.id, number: $0.number, title: $0.title, category: $0.category,
                    area: $0.areaPcode.map { names[$0] ?? $0 }, occurredAt: $0.occurredAt)
            }, more: more)
    }

    /// The flagged areas of the incident analysis's early warning, at the analysis's default level,
    /// each linking to the incident map of the same window framed on the area.
    func earlyWarnings(names: [String: String]) async throws -> OperationDashboard.Tile? {
        let (shapes, _) = try await req.areaShapes.shapes(for: operation, on: req.db)
        let hierarchy = AreaHierarchy(shapes.map { ($0.row.pcode, $0.row.level, $0.row.parentPcode) })
        let level = hierarchy.levels.contains(1) ? 1 : hierarchy.levels.first
        // Read once a minute per reader and role: half a year of incidents (EarlyWarningCache).
        let key = EarlyWarningCache.Key(
            operation: operationID, reader: context.current.user.id, role: context.role, language: req.language)
        // Captured as values: the shared reads are not for another task.
        let (req, scope, today, now) = (req, scope, today, now)
        let found = try await req.application.mapCaches.earlyWarnings.entry(key, now: now) {
            try await IncidentAnalysisService(database: req.db, areaShapes: req.areaShapes).earlyWarnings(
                scope: scope, filter: IncidentFilter(), rule: EarlyWarningRule(), names: names,
                rolled: { pcode in
                    guard let pcode, let level else { return pcode }
                    return hierarchy.ancestor(of: pcode, atLevel: level)
                },
                to: today.addingTimeInterval(86_400), now: now)
        }
        let (from, to) = (DateText.day(found.recentStart), DateText.day(found.end.addingTimeInterval(-86_400)))
        return .earlyWarnings(
            found.warnings.filter(\.flagged).prefix(Self.shown).map {
                .init(
                    pcode: $0.pcode, area: $0.name, recent: $0.recent, expected: $0.expected,
                    mapQuery: [("from", from), ("to", to), ("area", $0.pcode)])
            }, from: from, to: to)
    }

    func risksForReview() async throws -> OperationDashboard.Tile? {
        let settings = try await req.settings(RiskSettings.self, of: operationID)
        let (items, total) = try await RiskStore(req.db).dueForReview(in: scope, by: coming, limit: Self.shown)
        return .risksForReview(
            items.map {
                .init(
                    id: $0.id, number: $0.number, title: $0.title, level: $0.level, nextReview: $0.nextReview,
                    overdue: $0.nextReview < now)
            }, total: total, labels: RiskLabels(settings.matrix, req.strings))
    }

    /// Action points past their day, of the meetings the reader may see.
    func actionPoints() async throws -> OperationDashboard.Tile? {
        guard AccessPolicy.canViewNetwork(in: operationID, by: viewer) else { return nil }
        let n = NetworkContext(
            context: context, scope: scope, settings: .defaults,
            members: try await OperationStore(req.db).members(of: operationID),
            today: operation.time.calendarDay(now))
        let store = MeetingStore(req.db)
        let filter = MeetingStore.ActionFilter(overdueOn: n.today)
        let overdue = try await store.actions(in: scope, filter: filter, limit: Self.shown)
        return .actionPoints(
            try await n.actionLines(overdue, on: req.db), total: try await store.countActions(in: scope, filter: filter)
        )
    }

    func plansDue() async throws -> OperationDashboard.Tile? {
        guard AccessPolicy.canViewSecurityPlans(in: operationID, by: viewer) else { return nil }
        let deadlines = try await PlanDeadlines.all(of: operation, on: req).values.flatMap { $0 }
            .filter { ($0.state == .open || $0.state == .overdue) && $0.dueAt < coming }
            .sorted { ($0.dueAt, $0.plan.rawValue) < ($1.dueAt, $1.plan.rawValue) }
        return .plansDue(deadlines)
    }

    func exemptionsExpiring() async throws -> OperationDashboard.Tile? {
        guard AccessPolicy.canViewCompliance(in: operationID, by: viewer) else { return nil }
        let expiring = try await ComplianceStore(req.db).exemptions(in: operationID).map(\.exemption)
            .filter { $0.isActive(on: now) && $0.expiresOn < coming }.sorted { $0.expiresOn < $1.expiresOn }
        return .exemptionsExpiring(expiring.map { .init(requirement: $0.requirement, expiresOn: $0.expiresOn) })
    }

    /// People counted in the last days (today included) against the same number of days before, by
    /// direction, at the points the reader may see.
    func flowTrend() async throws -> OperationDashboard.Tile? {
        let store = FlowStore(req.db)
        guard try await store.hasPoints(in: scope) else { return .flowTrend(nil) }
        let days = Double(DashboardTile.recentDays) * 86_400
        let end = today.addingTimeInterval(86_400)
        let start = end.addingTimeInterval(-days)
        var totals: [FlowDirection: (now: Int, before: Int)] = [:]
        for row in try await store.daily(in: scope, FlowStore.Selection(from: start.addingTimeInterval(-days), to: end))
        {
            let recent = (DateText.day(row.day) ?? start) >= start
            // Tallies come from input: summed without trapping (SaturatingSum).
            let sum = totals[row.direction] ?? (0, 0)
            totals[row.direction] =
                recent
                ? (sum.now.saturatingAdding(row.total), sum.before) : (sum.now, sum.before.saturatingAdding(row.total))
        }
        let (from, to) = (DateText.day(start), DateText.day(today))
        return .flowTrend(
            .init(
                from: from, to: to,
                lines: FlowDirection.allCases.map {
                    .init(direction: $0, now: totals[$0]?.now ?? 0, before: totals[$0]?.before ?? 0)
                }, analysisQuery: [("from", from), ("to", to)]))
    }

    func newFigures() async throws -> OperationDashboard.Tile? {
        guard AccessPolicy.canViewPopulationFigures(in: operationID, by: viewer) else { return nil }
        let since = now.addingTimeInterval(-Double(DashboardTile.comingDays) * 86_400)
        return .newFigures(
            try await PopulationStore(req.db).recentDatasets(in: operationID, since: since).prefix(Self.shown).map {
                .init(name: $0.name, figures: $0.figures, updatedAt: $0.updatedAt)
            })
    }

    /// For each scenario with a projection: the last month that is over, projected against counted.
    func scenarios() async throws -> OperationDashboard.Tile? {
        guard AccessPolicy.canViewScenarios(in: operationID, by: viewer) else { return nil }
        let scenarios = try await ScenarioStore(req.db).list(in: operationID).filter { $0.draft.projection != nil }
        guard !scenarios.isEmpty else { return .scenarios([]) }
        let observed = try await ScenarioFigures.monthlyArrivals(
            req, scope: AccessPolicy.scenarioScope(in: operationID), months: 1)
        guard let month = observed.labels.last, let actual = observed.values.last else { return .scenarios([]) }
        return .scenarios(
            scenarios.compactMap { scenario in
                guard let projection = scenario.draft.projection,
                    let row = ScenarioFigures.projectionRows(projection, actual: [:]).first(where: { $0.month == month }
                    )
                else { return nil }
                return .init(
                    id: scenario.id, name: scenario.draft.name, month: month, projected: row.value, low: row.low,
                    high: row.high, actual: actual)
            })
    }
}
