import Domain
import Foundation
import Persistence
import Vapor
import Views

/// The register's pages that more than one controller answers with (a refused form shows the
/// person's page, the headcount or the location page again): built here once, so no controller
/// calls another.
enum PersonnelPages {
    static func renderPerson(
        _ req: Request, _ p: PersonnelContext, _ person: PersonRecord, errors: [String: String],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let store = PersonStore(req.db)
        let places = try await PersonnelPlaces.load(req, p)
        let members = try await OperationStore(req.db).members(of: p.operation.id)
        let names = Dictionary(members.map { ($0.userId, $0.displayName) }, uniquingKeysWith: { a, _ in a })
        let history = try await store.history(of: person.id, in: p.scope)
        try await store.recordView(of: [person.id], what: "person", scope: p.scope, now: req.now)
        let readiness = try await PersonnelReadiness.load(req, p, of: [person.id])
        let movementSettings = try await SettingsStore(req.db).load(MovementSettings.self, operationID: p.operation.id)
        let travellers = try await PersonnelPages.names(req, p)
        var model = PersonPage.Model(
            code: p.operation.code, line: places.line(person), draft: person.draft,
            residence: person.draft.residenceSiteID.flatMap { places.siteNames[$0] },
            assemblyPoint: person.draft.assemblyPointSiteID.flatMap { places.siteNames[$0] },
            accountName: person.draft.userID.flatMap { names[$0] },
            history: history.map {
                (places.place($0), $0.confirmedAt, $0.source, $0.confirmedBy.flatMap { names[$0] }, $0.note)
            },
            sites: places.sites.map { Choice(value: $0.id.uuidString, label: $0.name, selected: false) },
            areas: places.areaChoices(), canKeep: p.keeps, errors: errors)
        model.readiness.arrival = readiness.arrival(person)
        model.readiness.briefings = readiness.briefings[person.id] ?? []
        model.readiness.trainings = (readiness.trainings[person.id] ?? []).map {
            (readiness.training.course($0.course)?.name ?? $0.course, $0, $0.isValid(on: req.now))
        }
        model.readiness.lacking = readiness.lacking(person, places: places)
        model.readiness.grabBag = readiness.grabBags[person.id]
        model.readiness.welcomeBriefVersion = readiness.welcomeBriefVersion
        model.readiness.relocationPlanVersion = readiness.relocationPlan?.version
        model.readiness.courses = readiness.courseChoices
        model.readiness.movements = try await MovementStore(req.db).movements(of: person.id, in: p.scope).map {
            $0.line(
                names: travellers, places: places, graceMinutes: movementSettings.graceMinutes, strings: req.strings)
        }
        let page = model
        return Page.render(req, title: person.draft.fullName, status: status) { PersonPage.view(page, $0) }
    }

    static func renderMyLocation(
        _ req: Request, _ p: PersonnelContext, saved: Bool, errors: [String: String], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let store = PersonStore(req.db)
        let me = try await store.own(p.context.viewer.userID, in: p.scope)
        let places = try await PersonnelPlaces.load(req, p)
        let emergency = try await SettingsStore(req.db).load(EmergencyContacts.self, operationID: p.operation.id)
        var oneTap: [(id: SiteID, name: String)] = []
        if let me {
            try await store.recordView(of: [me.id], what: "own", scope: p.scope, now: req.now)
            for id in [me.draft.residenceSiteID, me.draft.assemblyPointSiteID].compactMap({ $0 }) {
                if let name = places.siteNames[id], !oneTap.contains(where: { $0.id == id }) {
                    oneTap.append((id, name))
                }
            }
            for site in places.sites where site.siteType == .office && !oneTap.contains(where: { $0.id == site.id }) {
                oneTap.append((site.id, site.name))
            }
        }
        var model = MyLocationPage.Model(
            code: p.operation.code, person: me.map(places.line), places: Array(oneTap.prefix(6)),
            emergency: emergency.contacts, saved: saved, errors: errors)
        if let me {
            let readiness = try await PersonnelReadiness.load(req, p, of: [me.id])
            let settings = try await SettingsStore(req.db).load(MovementSettings.self, operationID: p.operation.id)
            let names = try await PersonnelPages.names(req, p)
            model.movements = try await MovementStore(req.db).movements(of: me.id, in: p.scope)
                .filter { !$0.status.isClosed }.map {
                    $0.line(names: names, places: places, graceMinutes: settings.graceMinutes, strings: req.strings)
                }
            if let current = readiness.welcomeBriefVersion, readiness.welcomeBrief(me) != current {
                model.welcomeBriefToAcknowledge = current
            }
            model.grabBag = readiness.grabBags[me.id]
        }
        let page = model
        return Page.render(req, title: req.t("my_location_title"), status: status) { MyLocationPage.view(page, $0) }
    }

    static func renderHeadcount(
        _ req: Request, _ p: PersonnelContext, errors: [String: String], status: HTTPResponseStatus = .ok
    )
        async throws -> Response
    {
        let store = PersonStore(req.db)
        let people = try await store.all(in: p.scope)
        let places = try await PersonnelPlaces.load(req, p)
        let count = places.headcount(people)
        let byID = Dictionary(people.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let listed = (count.stale + count.unknown).compactMap { byID[$0.personID] }
        try await store.recordView(of: listed.map(\.id), what: "headcount", scope: p.scope, now: req.now)
        let calls = try await RollCallStore(req.db).recent(in: p.scope)
        let t = req.strings
        func groups(_ list: [Headcount.Group], _ label: (String) -> String) -> [HeadcountPage.Group] {
            list.map {
                .init(label: $0.key.isEmpty ? t("headcount_none") : label($0.key), total: $0.total, stale: $0.stale)
            }
        }
        let model = HeadcountPage.Model(
            code: p.operation.code, total: count.total, byPhase: groups(count.byPhase) { t.phase($0) },
            byArea: groups(count.byArea, places.area),
            bySite: groups(count.bySite) { key in
                UUID(uuidString: key).flatMap { places.siteNames[SiteID($0)] } ?? t("person_site_hidden")
            },
            stale: count.stale.compactMap { byID[$0.personID] }.map(places.line),
            unknown: count.unknown.compactMap { byID[$0.personID] }.map(places.line),
            staleAfterHours: places.staleAfterHours,
            calls: calls.map {
                .init(
                    id: $0.id, number: $0.number, area: places.area($0.areaPcode), openedAt: $0.openedAt,
                    closedAt: $0.closedAt, counts: $0.counts)
            }, areas: places.areaChoices(), errors: errors)
        return Page.render(req, title: req.t("headcount_title"), status: status) { HeadcountPage.view(model, $0) }
    }

    /// The person in the path, if the viewer reaches them: for keepers anyone, for others themselves.
    static func loadPerson(_ req: Request) async throws -> (PersonnelContext, PersonRecord) {
        let p = try await PersonnelContext.load(req, keepers: false)
        guard let id = req.pathID(as: PersonID.self), let person = try await PersonStore(req.db).find(id, in: p.scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        return (p, person)
    }

    /// Names of everyone in reach, those who left included (old movements name them).
    static func names(_ req: Request, _ p: PersonnelContext) async throws -> [PersonID: String] {
        try await PersonStore(req.db).names(in: p.scope)
    }
}
