import Domain
import Foundation
import Testing

@Suite("Incident vocabularies")
struct IncidentVocabularyTests {
    @Test("every IFRC category has sub-types, and every sub-type belongs to one category")
    func taxonomy() {
        #expect(IncidentCategory.allCases.count == 9)
        for category in IncidentCategory.allCases {
            #expect(!category.subtypes.isEmpty, "\(category)")
        }
        #expect(IncidentCategory.allCases.flatMap(\.subtypes).count == IncidentSubtype.allCases.count)
        #expect(IncidentSubtype.kidnapping.category == .crime)
        #expect(IncidentSubtype.shelling.category == .actOfWar)
        #expect(IncidentSubtype.collision.category == .vehicleAccident)
    }

    @Test("stored values are unique snake_case words")
    func rawValues() {
        let all: [[String]] = [
            IncidentCategory.allCases.map(\.rawValue), IncidentSubtype.allCases.map(\.rawValue),
            ActorType.allCases.map(\.rawValue),
            IncidentMeans.allCases.map(\.rawValue), IncidentContext.allCases.map(\.rawValue),
            IncidentMotive.allCases.map(\.rawValue),
            IncidentLocationType.allCases.map(\.rawValue), TimePrecision.allCases.map(\.rawValue),
            GeoPrecision.allCases.map(\.rawValue),
            IncidentSeverity.allCases.map(\.rawValue), VerificationStatus.allCases.map(\.rawValue),
            IncidentSource.allCases.map(\.rawValue),
            IncidentReportType.allCases.map(\.rawValue), IncidentStatus.allCases.map(\.rawValue),
        ]
        for values in all {
            #expect(Set(values).count == values.count)
            #expect(
                values.allSatisfy { $0.range(of: #"^[a-z0-9]+(_[a-z0-9]+)*$"#, options: .regularExpression) != nil },
                "\(values)")
        }
    }

    @Test("follow-up moves forward one step at a time; only a closed incident can be reopened")
    func status() {
        #expect(IncidentStatus.reported.canMove(to: .verified))
        #expect(!IncidentStatus.reported.canMove(to: .analysed))
        #expect(!IncidentStatus.reported.canMove(to: .closed))
        #expect(IncidentStatus.analysed.canMove(to: .closed))
        #expect(IncidentStatus.closed.canMove(to: .analysed))
        #expect(!IncidentStatus.closed.canMove(to: .reported))
        #expect(!IncidentStatus.verified.canMove(to: .reported))
        #expect(IncidentStatus.closed.next == nil)
    }
}

@Suite("Casualties")
struct CasualtyTests {
    @Test("totals by harm, nationality and sex always agree")
    func totals() {
        var c = Casualties()
        c[.killed, .national, .male] = 2
        c[.killed, .international, .female] = 1
        c[.injured, .national, .unknown] = 4
        c[.kidnapped, .international, .male] = 1
        c[.detained, .national, .female] = 3
        #expect(c.total() == 11)
        #expect(c.total(.killed) == 3)
        #expect(c.total(nationality: .national) + c.total(nationality: .international) == c.total())
        #expect(c.total(sex: .female) + c.total(sex: .male) + c.total(sex: .unknown) == c.total())
        #expect(Casualties.Harm.allCases.map { c.total($0) }.reduce(0, +) == c.total())
        #expect(c.total(.killed, nationality: .national, sex: .male) == 2)
        c[.killed, .national, .male] = 0
        #expect(c.total(.killed) == 1 && c.counts.count == 4)
        #expect(Casualties.Cell.all.count == 24)
        #expect(Casualties.Cell(.detained, .international, .unknown).key == "detained_international_unknown")
    }
}

@Suite("Reporting clocks")
struct ReportingClockTests {
    let occurred = Date(timeIntervalSince1970: 1_790_000_000)
    func hours(_ h: Double) -> TimeInterval { h * 3600 }

    @Test("a serious incident must be reported in writing within 24 hours of becoming known")
    func serious() {
        let known = occurred.addingTimeInterval(hours(2))
        let open = ReportingClock.deadline(
            serious: true, occurredAt: occurred, knownAt: known, reportedAt: nil,
            now: known.addingTimeInterval(hours(23)))
        #expect(open.kind == .seriousWrittenReport)
        #expect(open.dueAt == known.addingTimeInterval(hours(24)))
        #expect(open.state == .open)
        #expect(open.remaining(at: known.addingTimeInterval(hours(23))) == hours(1))
        let overdue = ReportingClock.deadline(
            serious: true, occurredAt: occurred, knownAt: known, reportedAt: nil,
            now: known.addingTimeInterval(hours(25)))
        #expect(overdue.state == .overdue)
        #expect(overdue.remaining(at: known.addingTimeInterval(hours(25))) == -hours(1))
        let met = ReportingClock.deadline(
            serious: true, occurredAt: occurred, knownAt: known, reportedAt: known.addingTimeInterval(hours(20)),
            now: known.addingTimeInterval(hours(90)))
        #expect(met.state == .met && met.remaining(at: known) == nil)
        let late = ReportingClock.deadline(
            serious: true, occurredAt: occurred, knownAt: known, reportedAt: known.addingTimeInterval(hours(30)),
            now: known.addingTimeInterval(hours(31)))
        #expect(late.state == .late)
    }

    @Test("other incidents go to the regional security coordinator within 48 hours; the hours are settings")
    func regional() {
        let d = ReportingClock.deadline(
            serious: false, occurredAt: occurred, knownAt: nil, reportedAt: nil,
            now: occurred.addingTimeInterval(hours(47)))
        #expect(d.kind == .regionalReport && d.dueAt == occurred.addingTimeInterval(hours(48)) && d.state == .open)
        #expect(
            ReportingClock.deadline(
                serious: false, occurredAt: occurred, knownAt: nil, reportedAt: nil,
                now: occurred.addingTimeInterval(hours(49))
            ).state == .overdue)
        let rules = ReportingRules(seriousWrittenReportHours: 12, regionalReportHours: 72)
        #expect(
            ReportingClock.deadline(
                serious: true, occurredAt: occurred, knownAt: nil, reportedAt: nil, now: occurred, rules: rules
            ).dueAt == occurred.addingTimeInterval(hours(12)))
        #expect(
            ReportingClock.deadline(
                serious: false, occurredAt: occurred, knownAt: nil, reportedAt: nil, now: occurred, rules: rules
            ).dueAt == occurred.addingTimeInterval(hours(72)))
        // A "known" time before the incident cannot start the clock early.
        #expect(
            ReportingClock.deadline(
                serious: false, occurredAt: occurred, knownAt: occurred.addingTimeInterval(-hours(5)), reportedAt: nil,
                now: occurred
            ).dueAt == occurred.addingTimeInterval(hours(48)))
    }
}

@Suite("Incident drafts")
struct IncidentDraftTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    func valid() -> IncidentDraft {
        IncidentDraft(
            title: "  Vehicle stopped at checkpoint  ", category: .harassment, subtype: .intimidation,
            occurredAt: now.addingTimeInterval(-7200), knownAt: now.addingTimeInterval(-3600), latitude: 15.5,
            longitude: 32.56,
            areaPcode: " sd01001 ", locationType: .checkpoint,
            followUpActions: [
                .init(action: " Brief drivers ", owner: "Security Coordinator"), .init(action: " ", owner: ""),
            ])
    }

    @Test("a valid draft is trimmed and keeps its facts")
    func validDraft() throws {
        let draft = try valid().validated(now: now)
        #expect(draft.title == "Vehicle stopped at checkpoint")
        #expect(draft.areaPcode == "SD01001")
        #expect(draft.followUpActions == [.init(action: "Brief drivers", owner: "Security Coordinator")])
        #expect(!draft.isSerious)
    }

    @Test("serious means death, kidnapping, serious injury or particularly sensitive")
    func serious() {
        var d = valid()
        d.casualties[.injured, .national, .male] = 1
        #expect(!d.isSerious)
        d.seriousInjury = true
        #expect(d.isSerious)
        d = valid(); d.casualties[.killed, .national, .female] = 1
        #expect(d.isSerious)
        d = valid(); d.casualties[.kidnapped, .international, .unknown] = 1
        #expect(d.isSerious)
        d = valid(); d.particularlySensitive = true
        #expect(d.isSerious)
    }

    func fields(_ draft: IncidentDraft) -> Set<String> {
        do {
            _ = try draft.validated(now: now)
            return []
        } catch {
            return Set(error.errors.compactMap(\.field))
        }
    }

    @Test("every problem is reported at once, naming its field")
    func problems() {
        var d = valid()
        d.title = " "
        d.subtype = .shelling
        d.occurredAt = now.addingTimeInterval(3600)
        d.knownAt = now.addingTimeInterval(-60)
        d.latitude = 95
        d.areaPcode = "Khartoum!"
        d.casualties[.injured, .national, .male] = -1
        d.followUpActions = [.init(action: "Check the route", owner: " ")]
        #expect(
            fields(d) == [
                "title", "subtype", "occurred_at", "known_at", "latitude", "area_pcode", "injured_national_male",
                "follow_up[0].owner",
            ])
    }

    @Test("where is required: a site, a point or an area; a point needs both coordinates")
    func location() {
        var d = valid()
        d.latitude = nil; d.longitude = nil; d.areaPcode = nil
        #expect(fields(d) == ["location"])
        d.siteID = SiteID(UUID())
        #expect(fields(d).isEmpty)
        d.latitude = 15
        #expect(fields(d) == ["longitude"])
    }

    @Test("a near-miss has no casualties")
    func nearMiss() {
        var d = valid()
        d.nearMiss = true
        #expect(fields(d).isEmpty)
        d.casualties[.injured, .national, .female] = 1
        #expect(fields(d) == ["near_miss"])
    }
}

@Suite("Incident access")
struct IncidentAccessTests {
    let operation = OperationID.named("op-1")
    func viewer(_ id: String, _ role: Role?) -> Viewer {
        Viewer(userID: .named(id), isSystemAdministrator: false, roles: role.map { [operation: $0] } ?? [:])
    }

    @Test("a hidden reporter is seen only by security roles and by the reporter; follow-up is for security roles")
    func reporter() {
        let record = RecordAccess(operationID: operation, audience: .ifrcOnly, createdBy: .named("reporter"))
        for role in Role.allCases {
            let other = viewer("someone", role)
            let security = role == .securityCoordinator || role == .headOfOperations
            let seesRecord = AccessPolicy.canView(record, by: other)
            #expect(
                AccessPolicy.canSeeReporter(of: record, reporterID: .named("reporter"), hidden: false, by: other)
                    == seesRecord,
                "\(role)")
            #expect(
                AccessPolicy.canSeeReporter(of: record, reporterID: .named("reporter"), hidden: true, by: other)
                    == (seesRecord && security), "\(role)")
            #expect(AccessPolicy.canFollowUp(record, by: other) == (seesRecord && security), "\(role)")
        }
        #expect(
            AccessPolicy.canSeeReporter(
                of: record, reporterID: .named("reporter"), hidden: true, by: viewer("reporter", .staff)))
        // Outsiders and administrators who are not members see nothing, reporter included.
        #expect(
            !AccessPolicy.canSeeReporter(
                of: record, reporterID: .named("reporter"), hidden: false, by: viewer("x", nil)))
        let admin = Viewer(userID: .named("admin"), isSystemAdministrator: true, roles: [:])
        #expect(!AccessPolicy.canSeeReporter(of: record, reporterID: .named("reporter"), hidden: false, by: admin))
        #expect(!AccessPolicy.canFollowUp(record, by: admin))
        // Adding to the timeline: whoever may change the incident, and security roles.
        for role in Role.allCases {
            let other = viewer("someone", role)
            #expect(
                AccessPolicy.canAddReport(to: record, by: other)
                    == (AccessPolicy.canChange(record, by: other) || AccessPolicy.canFollowUp(record, by: other)),
                "\(role)")
        }
        // IFRC only: not visible
        #expect(AccessPolicy.canAddReport(to: record, by: viewer("reporter", .nationalSocietyFocalPoint)) == false)
        #expect(AccessPolicy.canAddReport(to: record, by: viewer("reporter", .staff)))
        #expect(!AccessPolicy.canAddReport(to: record, by: viewer("someone", .partner)))
    }

    @Test("restricted incidents always name security; published events are for every member")
    func named() {
        #expect(AccessPolicy.rolesNamedOnIncident(audience: .restricted) == [.securityCoordinator, .headOfOperations])
        #expect(AccessPolicy.rolesNamedOnIncident(audience: .ifrcOnly).isEmpty)
        for role in Role.allCases { #expect(AccessPolicy.canViewContextEvents(in: operation, by: viewer("x", role))) }
        #expect(!AccessPolicy.canViewContextEvents(in: operation, by: viewer("x", nil)))
        #expect(
            !AccessPolicy.canViewContextEvents(
                in: operation, by: Viewer(userID: .named("a"), isSystemAdministrator: true, roles: [:])))
    }
}

@Suite("Early warning")
struct EarlyWarningTests {
    @Test("the Poisson upper tail matches published values")
    func tail() {
        // P(X ≥ 6 | λ = 2) = 1 − 0.98344 (Poisson CDF tables).
        #expect(abs(EarlyWarningRule.poissonUpperTail(atLeast: 6, mean: 2) - 0.016564) < 1e-5)
        #expect(abs(EarlyWarningRule.poissonUpperTail(atLeast: 1, mean: 1) - (1 - exp(-1))) < 1e-12)
        #expect(EarlyWarningRule.poissonUpperTail(atLeast: 0, mean: 3) == 1)
        #expect(EarlyWarningRule.poissonUpperTail(atLeast: 400, mean: 350) > 0.003)  // no overflow at large counts
        #expect(EarlyWarningRule.poissonUpperTail(atLeast: 400, mean: 350) < 0.01)
    }

    @Test("an area flags when its recent count is significantly above its own baseline, and only then")
    func flags() {
        let rule = EarlyWarningRule()
        // 13 incidents in 182 days → 2 expected in 28 days; 6 observed is significant (p ≈ 0.017).
        let surge = rule.evaluate(recent: 6, baseline: 13)
        #expect(abs(surge.expected - 2) < 1e-9 && surge.flagged && abs(surge.ratio - 3) < 1e-9)
        #expect(!rule.evaluate(recent: 3, baseline: 13).flagged)  // p ≈ 0.32
        // A quiet area with two incidents in a month stays below the minimum count.
        #expect(!rule.evaluate(recent: 2, baseline: 0).flagged)
        #expect(rule.evaluate(recent: 3, baseline: 0).flagged)  // 3 against a floor of 0.5: p ≈ 0.014
        #expect(
            rule.statement.contains("28 days") && rule.statement.contains("182 days") && rule.statement.contains("0.05")
        )
    }
}
