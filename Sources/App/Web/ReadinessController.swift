import Domain
import Foundation
import Persistence
import Vapor
import Views

/// Readiness (issue 16): briefings, trainings, documents and grab bag per person; the matrix of who
/// lacks what; sessions given to National Society personnel; the printable relocation list.
struct ReadinessController {
    func index(_ req: Request) async throws -> Response {
        let p = try await PersonnelContext.load(req, keepers: true)
        let people = try await PersonStore(req.db).all(in: p.scope).filter { $0.isPresent(at: req.now) }
        let places = try await PersonnelPlaces.load(req, p)
        let readiness = try await PersonnelReadiness.load(req, p)
        try await PersonStore(req.db).recordView(of: people.map(\.id), what: "readiness", scope: p.scope, now: req.now)
        let t = req.strings
        let model = ReadinessPage.Model(
            code: p.operation.code,
            rows: people.map {
                .init(
                    id: $0.id, name: $0.draft.fullName, arrival: readiness.arrival($0),
                    welcomeBrief: readiness.welcomeBrief($0), lacking: readiness.lacking($0, places: places),
                    relocationBriefed: readiness.briefedOnRelocation($0), grabBag: readiness.grabBags[$0.id])
            }.sorted { Self.urgency($0) > Self.urgency($1) }, courses: readiness.training.courses,
            requirements: readiness.training.requirements.map { r in
                let course = readiness.training.course(r.course)?.name ?? r.course
                var who = r.managersOnly ? t("training_rule_managers") : t("training_rule_everyone")
                if !r.categories.isEmpty {
                    who +=
                        " (" + r.categories.map { t("person_category." + $0) }.joined(separator: t("list_separator"))
                        + ")"
                }
                let phases =
                    r.phases.isEmpty
                    ? t("training_rule_every_phase") : r.phases.map(t.phase).joined(separator: t("list_separator"))
                return t("training_rule_line").replacingOccurrences(of: "{course}", with: course)
                    .replacingOccurrences(of: "{who}", with: who).replacingOccurrences(of: "{phases}", with: phases)
            })
        return Page.render(req, title: req.t("readiness_title")) { ReadinessPage.view(model, $0) }
    }

    /// Overdue briefings first, then the gaps.
    static func urgency(_ row: ReadinessPage.Row) -> Int {
        var score = row.lacking.count
        if case .overdue = row.arrival { score += 100 }
        if case .due = row.arrival { score += 10 }
        return score
    }

    // MARK: Recording

    struct BriefingForm: Content {
        var kind: String?; var givenAt: String?; var givenBy: String?; var area: String?; var note: String?
        enum CodingKeys: String, CodingKey {
            case kind, area, note
            case givenAt = "given_at", givenBy = "given_by"
        }
    }

    /// Keepers record any briefing; the person acknowledges the welcome brief's current version.
    func recordBriefing(_ req: Request) async throws -> Response {
        let (p, person) = try await PersonnelPages.loadPerson(req)
        let form = try req.content.decode(BriefingForm.self)
        guard let kind = BriefingKind(rawValue: form.kind ?? "") else {
            throw PageError(.badRequest, key: "error.bad_request")
        }
        let own = !p.keeps
        let plans = try await PlanStore(req.db).current(in: p.operation.id)
        var errors = ValidationErrors()
        let givenAt: Date
        if own || (form.givenAt ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            givenAt = req.now
        } else if let at = p.operation.time.time(form.givenAt ?? "") {
            givenAt = at
        } else {
            errors.add("given_at", key: "error.date", "“\(form.givenAt ?? "")” is not a date and time.")
            givenAt = req.now
        }
        let area = (form.area ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        let briefing = Briefing(
            kind: kind, givenAt: givenAt,
            givenBy: own ? (p.context.current.user.displayName) : (form.givenBy ?? ""),
            planVersion: kind.plan.flatMap { plans[$0]?.approved?.version },
            areaPcode: kind == .travel && !area.isEmpty ? area : nil, note: form.note ?? "")
        do {
            try errors.throwIfAny()
            _ = try await ReadinessStore(req.db).recordBriefing(briefing, for: person.id, scope: p.scope, now: req.now)
        } catch let errors as ValidationErrors {
            return try await PersonnelPages.renderPerson(
                req, p, person, errors: errors.messages(in: req), status: .unprocessableEntity)
        } catch let error as DomainError where error.kind == .forbidden {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        Page.flash("briefing_saved", on: req)
        return req.redirect(
            to: own
                ? SiteURL.myLocation(.value(p.operation.code)).path
                : SiteURL.person(.value(p.operation.code), .value(person.id)).path + "#briefings")
    }

    struct TrainingForm: Content {
        var course: String?; var completedOn: String?; var evidence: String?
        enum CodingKeys: String, CodingKey {
            case course, evidence
            case completedOn = "completed_on"
        }
    }

    func recordTraining(_ req: Request) async throws -> Response {
        let (p, person) = try await PersonnelPages.loadPerson(req)
        guard p.keeps else { throw PageError(.forbidden, key: "error.forbidden") }
        let form = try req.content.decode(TrainingForm.self)
        let settings = try await SettingsStore(req.db).load(TrainingSettings.self, operationID: p.operation.id)
        do {
            var errors = ValidationErrors()
            let course = settings.course(form.course ?? "")
            if course == nil { errors.add("course", key: "error.choose", "Choose a course of the catalogue.") }
            let day = DateText.day(form.completedOn ?? "")
            if day == nil { errors.add("completed_on", key: "error.date", "Use a date like 2026-11-23.") }
            try errors.throwIfAny()
            try await ReadinessStore(req.db).recordTraining(
                TrainingRecord(
                    course: course!.code, completedOn: day!,
                    expiresOn: settings.expiry(of: course!.code, completedOn: day!),
                    evidence: form.evidence ?? ""), for: person.id, scope: p.scope, now: req.now)
        } catch let errors as ValidationErrors {
            return try await PersonnelPages.renderPerson(
                req, p, person, errors: errors.messages(in: req), status: .unprocessableEntity)
        }
        Page.flash("training_saved", on: req)
        return req.redirect(to: SiteURL.person(.value(p.operation.code), .value(person.id)).path + "#trainings")
    }

    func confirmGrabBag(_ req: Request) async throws -> Response {
        let (p, person) = try await PersonnelPages.loadPerson(req)
        try await ReadinessStore(req.db).confirmGrabBag(of: person.id, scope: p.scope, now: req.now)
        return req.redirect(
            to: p.keeps
                ? SiteURL.person(.value(p.operation.code), .value(person.id)).path + "#readiness"
                : SiteURL.myLocation(.value(p.operation.code)).path)
    }

    // MARK: Sessions given to National Society personnel

    func sessions(_ req: Request) async throws -> Response {
        let p = try await PersonnelContext.load(req, keepers: true)
        return try await renderSessions(req, p, values: [:], errors: [:])
    }

    func renderSessions(
        _ req: Request, _ p: PersonnelContext, values: [String: String], errors: [String: String],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let sessions = try await ReadinessStore(req.db).sessions(in: p.operation.id)
        let model = SessionsPage.Model(
            code: p.operation.code, sessions: sessions.map(\.session), values: values, errors: errors)
        return Page.render(req, title: req.t("sessions_title"), status: status) { SessionsPage.view(model, $0) }
    }

    struct SessionRow: Content {
        var nationalSociety: String?; var female: String?; var male: String?; var other: String?
        enum CodingKeys: String, CodingKey {
            case female, male, other
            case nationalSociety = "national_society"
        }
    }
    struct SessionForm: Content {
        var topic: String?; var heldOn: String?; var place: String?; var trainers: String?;
        var participants: [SessionRow]?
        enum CodingKeys: String, CodingKey {
            case topic, place, trainers, participants
            case heldOn = "held_on"
        }
    }

    func recordSession(_ req: Request) async throws -> Response {
        let p = try await PersonnelContext.load(req, keepers: true)
        let form = try req.content.decode(SessionForm.self)
        var values = [
            "topic": form.topic ?? "", "held_on": form.heldOn ?? "", "place": form.place ?? "",
            "trainers": form.trainers ?? "",
        ]
        for (index, row) in (form.participants ?? []).prefix(3).enumerated() {
            values["participants[\(index)][national_society]"] = row.nationalSociety ?? ""
            values["participants[\(index)][female]"] = row.female ?? ""
            values["participants[\(index)][male]"] = row.male ?? ""
            values["participants[\(index)][other]"] = row.other ?? ""
        }
        do {
            var errors = ValidationErrors()
            let day = DateText.day(form.heldOn ?? "")
            if day == nil { errors.add("held_on", key: "error.date", "Use a date like 2026-11-23.") }
            func count(_ text: String?, _ row: Int) -> Int {
                let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty { return 0 }
                if let n = WholeNumber.parse(trimmed) { return n }
                errors.add(
                    "participants[\(row)]", key: "error.session_count", "Row \(row + 1): counts are whole numbers.")
                return 0
            }
            let rows = (form.participants ?? []).prefix(20).enumerated().map { index, row in
                TrainingSession.Participants(
                    nationalSociety: row.nationalSociety ?? "", female: count(row.female, index),
                    male: count(row.male, index), other: count(row.other, index))
            }
            try errors.throwIfAny()
            _ = try await ReadinessStore(req.db).recordSession(
                TrainingSession(
                    topic: form.topic ?? "", heldOn: day!, place: form.place ?? "", trainers: form.trainers ?? "",
                    participants: Array(rows)), scope: p.scope, now: req.now)
        } catch let errors as ValidationErrors {
            return try await renderSessions(
                req, p, values: values, errors: errors.messages(in: req), status: .unprocessableEntity)
        }
        Page.flash("session_saved", on: req)
        return req.redirect(to: SiteURL.trainingSessions(.value(p.operation.code)).path)
    }

    // MARK: The relocation list

    func relocationList(_ req: Request) async throws -> Response {
        let p = try await PersonnelContext.load(req, keepers: true)
        let places = try await PersonnelPlaces.load(req, p)
        let phaseSettings = try await SettingsStore(req.db).load(PhaseSettings.self, operationID: p.operation.id)
        let areaChoices = places.areaChoices()
        let area =
            (try? req.query.get(String.self, at: "area")).map { $0.uppercased() }.flatMap { pcode in
                areaChoices.contains { $0.value == pcode } ? pcode : nil
            } ?? areaChoices.first?.value
        let phase =
            (try? req.query.get(String.self, at: "phase")).flatMap {
                phaseSettings.rules.phases.contains($0) ? $0 : nil
            }
            ?? area.flatMap(places.phase(of:)) ?? phaseSettings.rules.phases.last
        let readiness = try await PersonnelReadiness.load(req, p)
        let people = try await PersonStore(req.db).all(in: p.scope).filter {
            // In the area or an area inside it.
            guard $0.isPresent(at: req.now), let area, let at = $0.location?.areaPcode else { return false }
            return places.hierarchy.lineage(of: at).contains(area)
        }.sorted {
            ($0.draft.relocationGroup, $0.draft.relocationPriority ?? 99, $0.draft.fullName)
                < ($1.draft.relocationGroup, $1.draft.relocationPriority ?? 99, $1.draft.fullName)
        }
        try await PersonStore(req.db).recordView(
            of: people.map(\.id), what: "relocation_list", scope: p.scope, now: req.now)
        let plan = readiness.relocationPlan
        let model = RelocationListPage.Model(
            code: p.operation.code, operationName: p.operation.name,
            areas: areaChoices.map { Choice(value: $0.value, label: $0.label, selected: $0.value == area) },
            phases: phaseSettings.rules.phases.map {
                Choice(value: $0, label: req.strings.phase($0), selected: $0 == phase)
            },
            area: area.map(places.area), phase: phase, trigger: phase.flatMap { plan?.draft.relocation?.triggers[$0] },
            whoGoes: plan?.draft.relocation?.whoGoes, planVersion: plan?.version,
            rows: people.map {
                .init(
                    line: places.line($0), group: $0.draft.relocationGroup, priority: $0.draft.relocationPriority,
                    assemblyPoint: $0.draft.assemblyPointSiteID.flatMap { places.siteNames[$0] },
                    choice: $0.draft.relocation, briefed: readiness.briefedOnRelocation($0),
                    grabBag: readiness.grabBags[$0.id])
            }, printedAt: req.now)
        return Page.render(req, title: req.t("relocation_list_title")) { RelocationListPage.view(model, $0) }
    }
}
