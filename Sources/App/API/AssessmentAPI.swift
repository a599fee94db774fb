import Domain
import Foundation
import Persistence
import Vapor
import Views

extension APIDTO {
    struct Assessment: Content {
        struct Finding: Content { let sector: String; let severity: Int?; let text: String }
        struct Count: Content { let group: String; let need: String; let bin: String; let count: Int }
        let id: UUID; let number: Int; let title: String; let areaPcode: String?; let siteId: SiteID?
        let startOn: String; let endOn: String?; let method: String; let team: String; let groups: [String]
        let findings: [Finding]; let needCounts: [Count]; let submissions: Int; let updatedAt: Date
        init(_ r: AssessmentRecord, submissions: Int) {
            let d = r.draft
            id = r.id; number = r.number; title = d.title; areaPcode = d.areaPcode; siteId = d.siteID
            startOn = DateText.day(d.startOn); endOn = d.endOn.map(DateText.day); method = d.method.rawValue
            team = d.team; groups = d.groups.map(\.rawValue)
            findings = d.findings.map { .init(sector: $0.sector.rawValue, severity: $0.severity, text: $0.text) }
            needCounts = d.needCounts.map {
                .init(group: $0.group.rawValue, need: $0.need.rawValue, bin: $0.bin, count: $0.count)
            }
            self.submissions = submissions; updatedAt = r.updatedAt
        }
    }
    /// Results by group as the page shows them: counts as text, "<5" where suppressed for the reader.
    struct AssessmentResults: Content {
        struct Row: Content { let section: String; let label: String; let cells: [String] }
        let assessment: Assessment; let groups: [String]; let rows: [Row]; let exact: Bool; let source: String
    }
    struct AssessmentList: Content { let items: [Assessment] }
    struct AssessmentInput: Content {
        struct Finding: Content { let sector: String?; let severity: Int?; let text: String? }
        let title: String?; let areaPcode: String?; let siteId: String?; let startOn: String?; let endOn: String?
        let method: String?; let team: String?; let groups: [String]?; let findings: [Finding]?
        let needCounts: [String]?
        var input: Domain.NeedsAssessmentInput {
            var input = Domain.NeedsAssessmentInput()
            input.title = title ?? ""
            input.area = areaPcode ?? ""
            input.site = siteId ?? ""
            input.startOn = startOn ?? ""
            input.endOn = endOn ?? ""
            input.method = method ?? ""
            input.team = team ?? ""
            input.groups = groups ?? []
            input.findings = (findings ?? []).map {
                .init(sector: $0.sector ?? "", severity: $0.severity.map(String.init) ?? "", text: $0.text ?? "")
            }
            input.needCounts = (needCounts ?? []).joined(separator: "\n")
            return input
        }
    }
}

/// Needs assessments in the API: every member reads them and their results by group (counts under 5
/// suppressed for those who do not keep them); the migration coordinator and the HeOps record them.
/// Submissions are imported on the page or with `bearing import assessments`.
struct AssessmentAPI {
    func context(_ req: Request, writing: Bool = false) async throws -> (OperationContext, Scope) {
        let context = try await req.apiOperation()
        let scope = try context.requireScope(notFound: APIError(.notFound, code: "not_found", "No such operation."))
        if writing, !AccessPolicy.canManageAssessments(in: context.operation.id, by: context.viewer) {
            throw APIError(.forbidden, code: "forbidden", "Your role does not keep the operation's assessments.")
        }
        return (context, scope)
    }

    func list(_ req: Request) async throws -> APIDTO.AssessmentList {
        let (_, scope) = try await context(req)
        let store = AssessmentStore(req.db)
        var items: [APIDTO.Assessment] = []
        for record in try await store.list(in: scope) {
            items.append(.init(record, submissions: try await store.figures(of: record.id, in: scope).total))
        }
        return .init(items: items)
    }

    func show(_ req: Request) async throws -> APIDTO.AssessmentResults {
        let (context, scope) = try await context(req)
        let store = AssessmentStore(req.db)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let record = try await store.find(id, in: scope)
        else { throw APIError(.notFound, code: "not_found", "No such assessment.") }
        let figures = try await store.figures(of: id, in: scope)
        let exact = AccessPolicy.seesExactAssessmentFigures(in: context.operation.id, by: context.viewer)
        let results = Assessments.results(record, figures, exact: exact, req.strings)
        return .init(
            assessment: .init(record, submissions: figures.total), groups: results.groups,
            rows: (results.rows + results.needRows).map {
                .init(section: $0.section, label: $0.label, cells: $0.cells)
            },
            exact: exact,
            source: AssessmentController.source(
                record, figures, try await store.imports(of: id, in: scope), req.strings))
    }

    func create(_ req: Request) async throws -> Response {
        let (context, scope) = try await context(req, writing: true)
        let input = try req.apiBody(APIDTO.AssessmentInput.self).input
        let draft = try input.draft(knownAreas: try await AreaStore(req.db).pcodes(operationID: context.operation.id))
        if let site = draft.siteID, !(try await context.visibleSites(on: req.db)).contains(where: { $0.id == site }) {
            throw APIError(.unprocessableEntity, code: "invalid", "site_id: no such site in this operation.")
        }
        let record = try await AssessmentStore(req.db).create(
            draft, scope: scope, actorID: context.current.user.id, now: req.now)
        let response = try await APIDTO.Assessment(record, submissions: 0).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(
            name: .location, value: SiteURL.apiAssessment(.value(context.operation.code), .value(record.id)).path)
        return response
    }
}
