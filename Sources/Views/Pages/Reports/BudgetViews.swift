import Domain
import Foundation

/// The security lines of the appeal budget: each line with its quantity, unit, cost and the
/// requirement that drives it; totals per currency; a proposal from the operation as it stands.
public enum BudgetPage {
    public struct Line: Sendable {
        public let id: BudgetLineID
        public let draft: BudgetLineDraft
        public let proposed: Bool
        public let edited: Bool
        public init(id: BudgetLineID, draft: BudgetLineDraft, proposed: Bool, edited: Bool) {
            self.id = id
            self.draft = draft
            self.proposed = proposed
            self.edited = edited
        }
    }

    public struct Model: Sendable {
        public let code: String
        public let lines: [Line]
        public let canWrite: Bool
        public let vehicles: Int
        public let values: BudgetLineInput
        public let errors: [String: String]
        public let editing: (BudgetLineID, BudgetLineInput, [String: String])?
        public init(
            code: String, lines: [Line], canWrite: Bool, vehicles: Int, values: BudgetLineInput,
            errors: [String: String], editing: (BudgetLineID, BudgetLineInput, [String: String])?
        ) {
            self.code = code
            self.lines = lines
            self.canWrite = canWrite
            self.vehicles = vehicles
            self.values = values
            self.errors = errors
            self.editing = editing
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("briefs_title"), .briefs(code))])
        html.markup("<h1>")
        html.text(t("budget_title"))
        html.markup("</h1>\n<p>")
        html.text(t("budget_intro"))
        html.markup("</p>\n<p class=\"actions\">")
        html.link(.budgetExport(code), t("budget_export"), "class=\"button\"")
        html.markup("</p>\n")
        if m.canWrite {
            html.markup("<details class=\"panel\" id=\"propose\"")
            html.markup(m.errors["months"] != nil || m.errors["vehicles"] != nil || m.lines.isEmpty ? " open>" : ">")
            html.markup("<summary>")
            html.text(t("budget_propose"))
            html.markup("</summary><p>")
            html.text(t("budget_propose_intro"))
            html.markup("</p><form method=\"post\" class=\"stack\" action=\"")
            html.url(.budgetPropose(code))
            html.markup("\">")
            html.csrfField(page.csrf)
            html.textInput(
                t, "months", label: "budget_months", value: "6", errors: m.errors, "inputmode=\"numeric\"")
            html.textInput(
                t, "vehicles", label: "budget_vehicles", value: String(m.vehicles), errors: m.errors,
                "inputmode=\"numeric\"", help: t("help_budget_vehicles"))
            html.submitButton(t("budget_propose"))
            html.markup("</details>\n")
        }
        if m.lines.isEmpty {
            html.paragraph(t("budget_none"))
        } else {
            var totals: [String: Double] = [:]
            for line in m.lines { if let total = line.draft.total { totals[line.draft.currency, default: 0] += total } }
            for category in BudgetCategory.allCases {
                let lines = m.lines.filter { $0.draft.category == category }
                guard !lines.isEmpty else { continue }
                html.markup("<section class=\"budget-category\"><h2>")
                html.text(t(category.labelKey))
                html.markup("</h2>")
                for line in lines { self.line(line, m, page, &html) }
                html.markup("</section>\n")
            }
            html.markup("<p id=\"totals\"><strong>")
            html.text(t("budget_total"))
            html.markup("</strong> ")
            html.markup("<bdi dir=\"ltr\">")
            html.text(
                totals.isEmpty
                    ? "—"
                    : totals.keys.sorted().map { DecimalText.plain(totals[$0]!) + " " + $0 }.joined(separator: " · "))
            html.markup("</bdi></p>\n")
        }
        if m.canWrite {
            html.markup("<details class=\"panel\"")
            html.markup(m.errors.isEmpty || m.errors["months"] != nil ? ">" : " open>")
            html.markup("<summary>")
            html.text(t("budget_add"))
            html.markup("</summary>")
            html.formErrors(t, m.errors)
            html.markup("<form method=\"post\" class=\"stack\" action=\"")
            html.url(.budget(code))
            html.markup("\">")
            html.csrfField(page.csrf)
            fields(m.values, m.errors, t, prefix: "new", &html)
            html.submitButton(t("budget_add"))
            html.markup("</details>\n")
        }
        return html
    }

    static func line(_ line: Line, _ m: Model, _ page: PageChrome, _ html: inout HTML) {
        let t = page.strings, code = Parameter.value(m.code), d = line.draft
        html.markup("<div class=\"budget-line panel\"")
        html.attribute("id", "line-" + line.id.uuidString)
        // The lines are in the language of whoever proposed or wrote them: each isolated in its own direction.
        html.markup("><p><strong><bdi>")
        html.text(d.description)
        html.markup("</bdi></strong><br><bdi>")
        html.text(DecimalText.plain(d.quantity) + " × " + d.unit)
        html.markup("</bdi>")
        if let cost = d.unitCost {
            html.markup(" · <bdi dir=\"ltr\">")
            html.text(DecimalText.plain(cost) + " " + d.currency)
            html.markup("</bdi> = <strong><bdi dir=\"ltr\">")
            html.text(DecimalText.plain(d.total ?? 0) + " " + d.currency)
            html.markup("</bdi></strong>")
        }
        if line.edited {
            html.markup(" <span class=\"tag\">")
            html.text(t("budget_edited"))
            html.markup("</span>")
        } else if line.proposed {
            html.markup(" <span class=\"tag\">")
            html.text(t("budget_proposed_tag"))
            html.markup("</span>")
        }
        html.markup("<br><small dir=\"auto\">")
        html.text(d.driver)
        html.markup("</small></p>")
        guard m.canWrite else {
            html.markup("</div>")
            return
        }
        let editing = m.editing.flatMap { $0.0 == line.id ? $0 : nil }
        html.markup(editing == nil ? "<details><summary>" : "<details open><summary>")
        html.text(t("budget_edit"))
        html.markup("</summary>")
        if let editing { html.formErrors(t, editing.2) }
        html.markup("<form method=\"post\" class=\"stack\" action=\"")
        html.url(.budgetLine(code, .value(line.id)))
        html.markup("\">")
        html.csrfField(page.csrf)
        fields(editing?.1 ?? BudgetLineInput(d), editing?.2 ?? [:], t, prefix: line.id.uuidString, &html)
        html.submitButton(t("form_save"))
        html.buttonForm(.deleteBudgetLine(code, .value(line.id)), csrf: page.csrf, label: t("budget_delete"))
        html.markup("</details></div>\n")
    }

    /// A line's fields; ids carry the line so that many forms on one page keep their labels apart.
    static func fields(
        _ v: BudgetLineInput, _ errors: [String: String], _ t: Strings, prefix: String, _ html: inout HTML
    ) {
        func input(_ name: String, _ label: String, _ value: String, _ attributes: StaticString = "") {
            html.markup("<label")
            html.attribute("for", prefix + "-" + name)
            html.markup(">")
            html.text(t(label))
            html.markup("</label><input")
            html.attribute("id", prefix + "-" + name)
            html.attribute("name", name)
            html.attribute("value", value)
            if attributes.utf8CodeUnitCount > 0 {
                html.markup(" ")
                html.markup(attributes)
            }
            html.markup(">")
            html.fieldError(errors, name)
        }
        html.markup("<label")
        html.attribute("for", prefix + "-category")
        html.markup(">")
        html.text(t("budget_column.category"))
        html.markup("</label><select")
        html.attribute("id", prefix + "-category")
        html.markup(" name=\"category\">")
        html.options(
            BudgetCategory.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.category)
            })
        html.markup("</select>")
        input("description", "budget_column.description", v.description)
        input("quantity", "budget_column.quantity", v.quantity, "inputmode=\"decimal\" dir=\"ltr\"")
        input("unit", "budget_column.unit", v.unit)
        input("unit_cost", "budget_column.unit_cost", v.unitCost, "inputmode=\"decimal\" dir=\"ltr\"")
        input(
            "currency", "budget_column.currency", v.currency.isEmpty ? "CHF" : v.currency, "dir=\"ltr\" maxlength=\"3\""
        )
        input("driver", "budget_column.driver", v.driver)
    }
}
