import Domain
import Foundation
import Persistence
import Vapor
import Views

/// Roll-calls for an area (issue 16): opened from the headcount page, each person marked safe,
/// needing help or not reached, counted live, until the coordinator closes it. For those who keep
/// the register.
struct RollCallController {
    struct OpenForm: Content { var area: String?; var reason: String? }

    func open(_ req: Request) async throws -> Response {
        let p = try await PersonnelContext.load(req, keepers: true)
        let form = try req.content.decode(OpenForm.self)
        do {
            let call = try await RollCallStore(req.db).open(
                areaPcode: form.area ?? "", reason: form.reason ?? "", scope: p.scope, now: req.now)
            return req.redirect(to: SiteURL.rollCall(.value(p.operation.code), .value(call.id)).path)
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            var errors = ValidationErrors()
            errors.add(error.field ?? "area", key: error.messageKey, error.message)
            return try await PersonnelPages.renderHeadcount(
                req, p, errors: errors.messages(in: req), status: .unprocessableEntity)
        }
    }

    func show(_ req: Request) async throws -> Response {
        let (p, call) = try await Self.load(req)
        let people = try await PersonStore(req.db).all(in: p.scope, filter: .init(includeLeft: true))
        let phones = Dictionary(people.map { ($0.id, $0.draft.phones) }, uniquingKeysWith: { a, _ in a })
        try await PersonStore(req.db).recordView(
            of: call.lines.map(\.personID), what: "roll_call", scope: p.scope, now: req.now)
        let places = try await PersonnelPlaces.load(req, p)
        let model = RollCallPage.Model(
            code: p.operation.code, id: call.id, number: call.number, area: places.area(call.areaPcode),
            reason: call.reason, openedAt: call.openedAt, closedAt: call.closedAt,
            lines: call.lines.map {
                (
                    .init(
                        personID: $0.personID, name: $0.name, answer: $0.answer, answeredAt: $0.answeredAt,
                        note: $0.note), phones[$0.personID] ?? []
                )
            })
        return Page.render(req, title: req.t("roll_calls_title")) { RollCallPage.view(model, $0) }
    }

    struct AnswerForm: Content { var person: String?; var answer: String?; var note: String? }

    func answer(_ req: Request) async throws -> Response {
        let (p, call) = try await Self.load(req)
        let form = try req.content.decode(AnswerForm.self)
        guard let person = form.person.flatMap(UUID.init(uuidString:)).map(PersonID.init(rawValue:)),
            let answer = form.answer.flatMap(RollCallAnswer.init(rawValue:))
        else { throw PageError(.badRequest, key: "error.bad_request") }
        do {
            try await RollCallStore(req.db).answer(
                answer, for: person, in: call.id, note: form.note ?? "", scope: p.scope, now: req.now)
        } catch let error as DomainError where error.kind == .conflict {
            throw PageError(.conflict, key: error.messageKey)
        } catch let error as DomainError where error.kind == .notFound {
            throw PageError(.notFound, key: "error.not_found")
        }
        return req.redirect(to: SiteURL.rollCall(.value(p.operation.code), .value(call.id)).path)
    }

    func close(_ req: Request) async throws -> Response {
        let (p, call) = try await Self.load(req)
        do {
            try await RollCallStore(req.db).close(call.id, scope: p.scope, now: req.now)
        } catch let error as DomainError where error.kind == .conflict {
            throw PageError(.conflict, key: error.messageKey)
        }
        return req.redirect(to: SiteURL.rollCall(.value(p.operation.code), .value(call.id)).path)
    }

    static func load(_ req: Request) async throws -> (PersonnelContext, RollCallRecord) {
        let p = try await PersonnelContext.load(req, keepers: true)
        guard let id = req.pathID(as: RollCallID.self),
            let call = try await RollCallStore(req.db).find(id, scope: p.scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        return (p, call)
    }
}
