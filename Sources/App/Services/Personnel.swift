import Domain
import Fluent
import Foundation
import Interop
import Persistence
import Vapor
import Views

/// The operation and how much of its personnel register the viewer reaches.
struct PersonnelContext {
    let context: OperationContext
    let scope: PersonnelScope

    var operation: OperationRecord { context.operation }
    var keeps: Bool { scope.reachesEveryone }

    /// Non-members (administrators included) are told nothing exists (404); partners, and members
    /// who reach only their own record where the page is the keepers', are refused (403).
    static func load(_ req: Request, keepers: Bool) async throws -> PersonnelContext {
        let context = try await OperationContext.load(req)
        guard context.role != nil else { throw PageError(.notFound, key: "error.not_found") }
        guard let p = try await make(context, on: req.db), !keepers || p.keeps else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        return p
    }

    /// The viewer's reach over the register, as `AccessPolicy` decides it (a named focal point reaches
    /// everyone); nil when they reach no one.
    static func make(_ context: OperationContext, on db: any Database) async throws -> PersonnelContext? {
        let named = try await PersonStore(db).isFocalPoint(context.viewer.userID, in: context.operation.id)
        return AccessPolicy.personnelScope(in: context.operation.id, for: context.viewer, isNamedFocalPoint: named)
            .map { PersonnelContext(context: context, scope: $0) }
    }

    /// The operation's country, for reading national phone numbers (the first of its countries).
    var country: String? {
        operation.countries.split(separator: ",").first.map { String($0).trimmingCharacters(in: .whitespaces) }
    }
}

/// How the register's pages name places and judge locations: site names the reader may see, area
/// names in the page's language, the phases in force, and the operation's stale rule.
struct PersonnelPlaces {
    let siteNames: [SiteID: String]
    let sites: [SiteRecord]
    let areaNames: [String: String]
    let hierarchy: AreaHierarchy
    let phases: [String: String]
    let staleAfterHours: Int
    let now: Date
    let strings: Strings

    /// `inForce`: the phases in force when the caller has read them already.
    static func load(_ req: Request, _ p: PersonnelContext, inForce: [String: PhaseDeclarationRecord]? = nil)
        async throws -> PersonnelPlaces
    {
        let sites = try await p.context.visibleSites(on: req.db)
        let shapes = try await req.areaShapes.shapes(for: p.operation, on: req.db).0
        let settings = try await req.settings(DutyOfCareSettings.self, of: p.operation.id)
        let phases: [String: PhaseDeclarationRecord]
        if let inForce { phases = inForce } else { phases = try await PhaseStore(req.db).inForce(in: p.operation.id) }
        return PersonnelPlaces(
            siteNames: Dictionary(sites.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }), sites: sites,
            areaNames: try await req.areaShapes.names(for: p.operation, language: req.language, on: req.db),
            hierarchy: AreaHierarchy(shapes.map { ($0.row.pcode, $0.row.level, $0.row.parentPcode) }),
            phases: phases.mapValues(\.to), staleAfterHours: settings.staleAfterHours, now: req.now,
            strings: req.strings)
    }

    func area(_ pcode: String) -> String { areaNames[pcode].map { "\($0) (\(pcode))" } ?? pcode }

    /// The phase in force where a P-code lies: the area's own, else the nearest area holding it.
    func phase(of pcode: String) -> String? { hierarchy.nearest(pcode, in: phases) }

    func place(_ location: PersonLocation) -> String {
        switch location.place {
        case .site(let id):
            // A site the reader may not see is named by its area only.
            return siteNames[id] ?? location.areaPcode.map(area) ?? strings("person_site_hidden")
        case .area(let pcode): return area(pcode)
        case .point(let lat, let lon, let precision):
            let text =
                DecimalText.fixed(lat, digits: 5) + ", " + DecimalText.fixed(lon, digits: 5)
                + (precision.map { " ±\($0) m" } ?? "")
            return location.areaPcode.map { area($0) + " · " + text } ?? text
        }
    }

    func freshness(_ location: PersonLocation?) -> LocationFreshness {
        guard let location else { return .unknown }
        return location.isStale(now: now, afterHours: staleAfterHours) ? .stale : .current
    }

    func line(_ p: PersonRecord) -> PersonLine {
        PersonLine(
            id: p.id, name: p.draft.fullName, category: p.draft.category, function: p.draft.function,
            organisation: p.draft.organisation, phones: p.draft.phones, radioCallSign: p.draft.radioCallSign,
            email: p.draft.email, place: p.location.map(place), confirmedAt: p.location?.confirmedAt,
            freshness: freshness(p.location), hasLeft: p.leftAt != nil)
    }

    func exportRow(_ p: PersonRecord) -> PersonExport.Row {
        PersonExport.Row(
            draft: p.draft, residence: p.draft.residenceSiteID.flatMap { siteNames[$0] },
            assemblyPoint: p.draft.assemblyPointSiteID.flatMap { siteNames[$0] }, place: p.location.map(place),
            confirmedAt: p.location?.confirmedAt)
    }

    /// The headcount of the people present.
    func headcount(_ people: [PersonRecord]) -> Headcount {
        Headcount(present: people, now: now, staleAfterHours: staleAfterHours, phase: phase(of:))
    }

    /// Areas to choose from (levels 1 and 2, by name), for the location and roll-call forms.
    func areaChoices(selected: String = "") -> [Choice] {
        areaNames.filter { (hierarchy.level(of: $0.key) ?? 0) >= 1 && (hierarchy.level(of: $0.key) ?? 0) <= 2 }
            .sorted { ($0.value, $0.key) < ($1.value, $1.key) }
            .map { Choice(value: $0.key, label: "\($0.value) (\($0.key))", selected: $0.key == selected) }
    }
}

/// Roster imports: the file read (`PersonRoster`), each row through the one person decoder, the
/// duplicates within the file refused, accounts linked by e-mail, then stored in one transaction.
struct PeopleImportService {
    let database: any Database

    struct Report {
        var lines: [String]
        var result: PersonStore.ImportResult
        var rejected: Int
    }

    func importFile(
        _ csv: CSVRows, named filename: String, scope: PersonnelScope, operation: OperationRecord, now: Date
    )
        async throws -> Report
    {
        let roster: PersonRoster.Result
        do {
            roster = try PersonRoster.read(csv)
        } catch {
            let reason =
                switch error {
                case .empty: "the file is empty."
                case .noNameColumn:
                    "no column holds the names (call it \"Full name\", or \"First name\" and \"Last name\")."
                case .notUTF8(let line): "line \(line) is not UTF-8 text; save the file as CSV UTF-8."
                case .unreadable(let why): "it could not be read (\(why))."
                }
            throw PeopleImportError(message: "\(filename): nothing imported: \(reason)")
        }
        let country = operation.countries.split(separator: ",").first.map(String.init)
        let members = try await OperationStore(database).members(of: operation.id)
        let accountsByEmail = Dictionary(
            members.map { ($0.email.lowercased(), $0.userId) }, uniquingKeysWith: { a, _ in a })
        var lines: [String] = []
        var drafts: [PersonDraft] = []
        var seenEmail: [String: Int] = [:], seenID: [String: Int] = [:]
        var rejected = 0
        for row in roster.rows {
            do {
                var draft = try row.input.decoded(clock: operation.time, country: country)
                if let email = draft.email, let first = seenEmail[email] {
                    throw PeopleImportError(message: "the same person as line \(first) (e-mail \(email)).")
                }
                if let id = draft.externalID, let first = seenID[id] {
                    throw PeopleImportError(message: "the same person as line \(first) (id \(id)).")
                }
                draft.email.map { seenEmail[$0] = row.line }
                draft.externalID.map { seenID[$0] = row.line }
                if draft.userID == nil, let email = draft.email { draft.userID = accountsByEmail[email] }
                drafts.append(draft)
                for phone in draft.unreadablePhones {
                    lines.append("Line \(row.line): the number “\(phone.text)” could not be read; kept as written.")
                }
            } catch let errors as ValidationErrors {
                rejected += 1
                lines.append(
                    "Line \(row.line) not imported: "
                        + errors.errors.map { ($0.field.map { "\($0): " } ?? "") + $0.message }.joined(separator: " "))
            } catch let error as PeopleImportError {
                rejected += 1
                lines.append("Line \(row.line) not imported: \(error.message)")
            }
        }
        for (column, reason) in roster.ignored {
            lines.append(
                reason == .forbidden
                    ? "Column “\(column)” left out: the register keeps no passport or ID numbers, dates of birth or proof-of-life questions."
                    : "Column “\(column)” not read: the register has no such field.")
        }
        let result: PersonStore.ImportResult
        do {
            result = try await PersonStore(database).importPeople(
                drafts, fields: roster.fields, scope: scope, now: now)
        } catch let errors as ValidationErrors {
            // A row clashes with the register (an e-mail or id another person holds): nothing is stored.
            throw PeopleImportError(
                message: "\(filename): nothing imported: "
                    + errors.errors.map { ($0.field.map { "\($0): " } ?? "") + $0.message }.joined(separator: " "))
        }
        lines.insert(
            "\(filename): \(result.created) added, \(result.updated) updated, \(result.unchanged) unchanged, \(rejected) not imported.",
            at: 0)
        return Report(lines: lines, result: result, rejected: rejected)
    }
}

struct PeopleImportError: Error { let message: String }
