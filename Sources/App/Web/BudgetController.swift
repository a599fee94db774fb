import Domain
import Fluent
import Foundation
import Interop
import Persistence
import Vapor
import Views

/// The security lines of the Emergency Appeal budget (issue 20, point 6): proposed from the phases,
/// the MSR, the sites and the people; costed and edited by the coordinator; exported to CSV. Read by
/// those who read the security plans, kept by those who write them.
struct BudgetController {
    static func context(_ req: Request, writing: Bool = false) async throws -> OperationContext {
        let context = try await OperationContext.load(req)
        let rule = writing ? AccessPolicy.canWriteSecurityBudget : AccessPolicy.canViewSecurityBudget
        guard rule(context.operation.id, context.viewer) else {
            throw context.role == nil
                ? PageError(.notFound, key: "error.not_found") : PageError(.forbidden, key: "error.forbidden")
        }
        return context
    }

    func index(_ req: Request) async throws -> Response {
        let context = try await Self.context(req)
        return try await render(req, context, values: BudgetLineInput(), errors: [:])
    }

    func render(
        _ req: Request, _ context: OperationContext, values: BudgetLineInput, errors: [String: String],
        editing: (BudgetLineID, BudgetLineInput, [String: String])? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let lines = try await BudgetStore(req.db).lines(in: context.operation.id)
        let model = BudgetPage.Model(
            code: context.operation.code,
            lines: lines.map { .init(id: $0.id, draft: $0.draft, proposed: $0.basis != nil, edited: $0.edited) },
            canWrite: AccessPolicy.canWriteSecurityBudget(in: context.operation.id, by: context.viewer),
            vehicles: try await BudgetProposals.estimatedVehicles(context.operation, db: req.db, now: req.now),
            values: values, errors: errors, editing: editing)
        return Page.render(req, title: req.t("budget_title"), status: status) { BudgetPage.view(model, $0) }
    }

    struct ProposeForm: Content { var months: String?; var vehicles: String? }

    func propose(_ req: Request) async throws -> Response {
        let context = try await Self.context(req, writing: true)
        let form = try req.content.decode(ProposeForm.self)
        var read = FieldReader()
        func whole(_ text: String?, _ field: String, _ range: ClosedRange<Int>) -> Int? {
            guard let value = read.trimmed(text ?? "") else { return nil }
            guard let n = WholeNumber.parse(Substring(value)), range.contains(n) else {
                read.errors.add(
                    field, key: "budget.whole", "A whole number from \(range.lowerBound) to \(range.upperBound).")
                return nil
            }
            return n
        }
        let months = whole(form.months, "months", 1...36) ?? 6
        let vehicles = whole(form.vehicles, "vehicles", 0...10_000)
        guard read.errors.isEmpty else {
            return try await render(
                req, context, values: BudgetLineInput(), errors: read.errors.messages(in: req),
                status: .unprocessableEntity)
        }
        let basis = try await BudgetProposals.basis(
            context.operation, app: req.application, months: months, vehicles: vehicles, now: req.now)
        let counts = try await BudgetStore(req.db).applyProposal(
            BudgetProposals.lines(basis, t: req.strings), in: context.operation.id, actorID: context.current.user.id,
            now: req.now)
        req.session.data["flash"] = req.t("budget.proposal_applied")
            .replacingOccurrences(of: "{added}", with: String(counts.added))
            .replacingOccurrences(of: "{updated}", with: String(counts.updated))
            .replacingOccurrences(of: "{removed}", with: String(counts.removed))
        return req.redirect(to: SiteURL.budget(.value(context.operation.code)).path)
    }

    struct LineForm: Content {
        var category: String?; var description: String?; var quantity: String?; var unit: String?
        var unitCost: String?; var currency: String?; var driver: String?
        enum CodingKeys: String, CodingKey {
            case category, description, quantity, unit, currency, driver
            case unitCost = "unit_cost"
        }
        /// Over the stored line: a field left out keeps its value.
        func input(over base: BudgetLineInput) -> BudgetLineInput {
            var input = base
            let fields: [(String?, WritableKeyPath<BudgetLineInput, String>)] = [
                (category, \.category), (description, \.description), (quantity, \.quantity), (unit, \.unit),
                (unitCost, \.unitCost), (currency, \.currency), (driver, \.driver),
            ]
            for (value, path) in fields { if let value { input[keyPath: path] = value } }
            return input
        }
    }

    func add(_ req: Request) async throws -> Response {
        let context = try await Self.context(req, writing: true)
        let input = try req.content.decode(LineForm.self).input(over: BudgetLineInput())
        do {
            try await BudgetStore(req.db).add(
                try input.decoded(), in: context.operation.id, actorID: context.current.user.id, now: req.now)
            Page.flash("budget.added", on: req)
            return req.redirect(to: SiteURL.budget(.value(context.operation.code)).path)
        } catch let errors as ValidationErrors {
            return try await render(
                req, context, values: input, errors: errors.messages(in: req), status: .unprocessableEntity)
        }
    }

    func update(_ req: Request) async throws -> Response {
        let context = try await Self.context(req, writing: true)
        guard let id = req.pathID(as: BudgetLineID.self),
            let line = try await BudgetStore(req.db).find(id, in: context.operation.id)
        else { throw PageError(.notFound, key: "error.not_found") }
        let input = try req.content.decode(LineForm.self).input(over: BudgetLineInput(line.draft))
        do {
            try await BudgetStore(req.db).update(
                id, draft: try input.decoded(), in: context.operation.id, actorID: context.current.user.id,
                now: req.now)
            Page.flash("budget.saved", on: req)
            return req.redirect(to: SiteURL.budget(.value(context.operation.code)).path + "#line-\(id.uuidString)")
        } catch let errors as ValidationErrors {
            return try await render(
                req, context, values: BudgetLineInput(), errors: [:],
                editing: (id, input, errors.messages(in: req)), status: .unprocessableEntity)
        }
    }

    func delete(_ req: Request) async throws -> Response {
        let context = try await Self.context(req, writing: true)
        guard let id = req.pathID(as: BudgetLineID.self),
            try await BudgetStore(req.db).find(id, in: context.operation.id) != nil
        else { throw PageError(.notFound, key: "error.not_found") }
        try await BudgetStore(req.db).delete(
            id, in: context.operation.id, actorID: context.current.user.id, now: req.now)
        Page.flash("budget.deleted", on: req)
        return req.redirect(to: SiteURL.budget(.value(context.operation.code)).path)
    }

    /// The lines as CSV, in the reader's language, with totals per line; spreadsheet-safe cells.
    func export(_ req: Request) async throws -> Response {
        let context = try await Self.context(req)
        let lines = try await BudgetStore(req.db).lines(in: context.operation.id)
        let t = req.strings
        var rows: [[String]] = [
            [
                t("budget_column.category"), t("budget_column.description"), t("budget_column.quantity"),
                t("budget_column.unit"), t("budget_column.unit_cost"), t("budget_column.total"),
                t("budget_column.currency"), t("budget_column.driver"),
            ]
        ]
        for line in lines {
            let d = line.draft
            rows.append([
                t(d.category.labelKey), d.description, DecimalText.plain(d.quantity), d.unit,
                d.unitCost.map(DecimalText.plain) ?? "", d.total.map(DecimalText.plain) ?? "", d.currency, d.driver,
            ])
        }
        let csv = rows.map(FlowExchange.line).joined()
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(
            name: .contentDisposition,
            value: "attachment; filename=\"\(context.operation.code)-security-budget-\(DateText.day(req.now)).csv\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: "\u{FEFF}" + csv))
    }
}
