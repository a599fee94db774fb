import Domain
import Foundation

/// A product as lists show it.
public struct ProductLine: Sendable {
    public let id: ProductID
    public let number: Int
    public let kind: ProductKind
    public let title: String
    public let language: ProductLanguage
    public let state: ProductState
    public let audience: AudienceLevel
    public let version: Int
    public let updatedAt: Date

    public init(
        id: ProductID, number: Int, kind: ProductKind, title: String, language: ProductLanguage, state: ProductState,
        audience: AudienceLevel, version: Int, updatedAt: Date
    ) {
        self.id = id
        self.number = number
        self.kind = kind
        self.title = title
        self.language = language
        self.state = state
        self.audience = audience
        self.version = version
        self.updatedAt = updatedAt
    }
}

extension HTML {
    mutating func productState(_ state: ProductState, _ t: Strings) {
        markup(state == .approved ? "<span class=\"tag represented\">" : "<span class=\"tag\">")
        text(t(state.labelKey))
        markup("</span>")
    }

    /// A product's text: the language's direction, the figures in it.
    mutating func productBody(_ text: String, language: ProductLanguage) {
        markup("<div class=\"product-body\"")
        attribute("lang", language.rawValue)
        markup(language.rightToLeft ? " dir=\"rtl\">" : " dir=\"ltr\">")
        // Directly below the product's title (h1): its first level of headings is h2.
        append(RichText.html(text, topLevel: 2))
        markup("</div>\n")
    }
}

/// The advocacy products.
public enum ProductList {
    public struct Model: Sendable {
        public let code: String
        public let rows: [ProductLine]
        public let state: ProductState?
        public let kind: ProductKind?
        public let paging: PagePosition
        public let canWrite: Bool
        public init(
            code: String, rows: [ProductLine], state: ProductState?, kind: ProductKind?, paging: PagePosition,
            canWrite: Bool
        ) {
            self.code = code
            self.rows = rows
            self.state = state
            self.kind = kind
            self.paging = paging
            self.canWrite = canWrite
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code)
        html.markup("<h1>")
        html.text(t("products_title"))
        html.markup("</h1>\n<p>")
        html.text(t("products_intro"))
        html.markup("</p>\n<p class=\"actions\">")
        if m.canWrite {
            html.link(.newProduct(code), t("products_new"), "class=\"button primary\"")
            html.markup(" ")
            html.link(.distributionLists(code), t("lists_title"), "class=\"button\"")
        }
        html.markup("</p>\n<form method=\"get\" class=\"inline filters\"><label for=\"state\">")
        html.text(t("field_product_state"))
        html.markup("</label><select id=\"state\" name=\"state\"><option value=\"\">")
        html.text(t("all"))
        html.markup("</option>")
        html.options(
            ProductState.allCases.map { Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0 == m.state) })
        html.markup("</select> <label for=\"kind\">")
        html.text(t("field_product_kind"))
        html.markup("</label><select id=\"kind\" name=\"kind\"><option value=\"\">")
        html.text(t("all"))
        html.markup("</option>")
        html.options(
            ProductKind.allCases.map { Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0 == m.kind) })
        html.markup("</select> <button type=\"submit\">")
        html.text(t("filter"))
        html.markup("</button></form>\n")
        if m.rows.isEmpty {
            html.paragraph(t("products_none"))
            return html
        }
        html.markup("<div class=\"scroll\"><table class=\"list\" id=\"products\">")
        html.tableHead([
            t("field_title"), t("field_product_kind"), t("field_language"), t("field_product_state"),
            t("field_audience"),
        ])
        html.markup("<tbody>")
        for row in m.rows {
            html.markup("<tr><td><span dir=\"ltr\">P")
            html.text(row.number)
            html.markup("</span> · ")
            html.markup(row.language.rightToLeft ? "<a dir=\"rtl\" href=\"" : "<a dir=\"auto\" href=\"")
            html.url(.product(code, .value(row.id)))
            html.markup("\">")
            html.text(row.title)
            html.markup("</a></td><td>")
            html.text(t(row.kind.labelKey))
            html.markup("</td><td>")
            html.text(t(row.language.labelKey))
            html.markup("</td><td>")
            html.productState(row.state, t)
            html.markup(" <small dir=\"ltr\">v")
            html.text(row.version)
            html.markup("</small></td><td>")
            html.text(t(row.audience.labelKey))
            html.markup("</td></tr>")
        }
        html.markup("</tbody></table></div>\n")
        html.pager(t, m.paging, base: .products(code), query: [])
        return html
    }
}

/// One product: its text with live (or frozen) figures, its review, approval and distribution.
public enum ProductPage {
    public struct Review: Sendable {
        public let area: ReviewArea
        public let reviewer: String?
        public let verdict: ReviewVerdict?
        public let mine: Bool
        public init(area: ReviewArea, reviewer: String?, verdict: ReviewVerdict?, mine: Bool) {
            self.area = area
            self.reviewer = reviewer
            self.verdict = verdict
            self.mine = mine
        }
    }

    public struct Comment: Sendable {
        public let version: Int
        public let area: ReviewArea
        public let reviewer: String
        public let verdict: ReviewVerdict
        public let text: String?
        public let at: Date
        public init(version: Int, area: ReviewArea, reviewer: String, verdict: ReviewVerdict, text: String?, at: Date) {
            self.version = version
            self.area = area
            self.reviewer = reviewer
            self.verdict = verdict
            self.text = text
            self.at = at
        }
    }

    public struct Distribution: Sendable {
        public let channel: DistributionChannel
        public let list: String?
        public let audience: AudienceLevel
        public let sentBy: String
        public let at: Date
        public let recipients: [(name: String, address: String?, status: String)]
        public init(
            channel: DistributionChannel, list: String?, audience: AudienceLevel, sentBy: String, at: Date,
            recipients: [(name: String, address: String?, status: String)]
        ) {
            self.channel = channel
            self.list = list
            self.audience = audience
            self.sentBy = sentBy
            self.at = at
            self.recipients = recipients
        }
    }

    public struct Model: Sendable {
        public let code: String
        public let line: ProductLine
        public let draft: ProductDraft
        /// The text as shown: the frozen one once approved, else the draft with the current figures.
        public let text: String
        public let figures: [FigureValue]
        public let unresolved: [PlaceholderProblem]
        public let author: String
        public let approvedBy: String?
        public let approvedAt: Date?
        public let variants: [ProductLine]
        public let missingLanguages: [ProductLanguage]
        public let reviews: [Review]
        public let comments: [Comment]
        public let versions: [(version: Int, by: String, at: Date)]
        public let distributions: [Distribution]
        public let canWrite: Bool
        /// Members who may be named reviewers.
        public let reviewerChoices: [(id: UserID, name: String)]
        /// Why approval is not possible now; nil when the viewer may approve it.
        public let approval: String?
        public let canApprove: Bool
        public let lists: [(id: DistributionListID, name: String, members: Int)]
        public let members: [(id: UserID, name: String)]

        public init(
            code: String, line: ProductLine, draft: ProductDraft, text: String, figures: [FigureValue],
            unresolved: [PlaceholderProblem], author: String, approvedBy: String?, approvedAt: Date?,
            variants: [ProductLine], missingLanguages: [ProductLanguage], reviews: [Review], comments: [Comment],
            versions: [(version: Int, by: String, at: Date)], distributions: [Distribution], canWrite: Bool,
            reviewerChoices: [(id: UserID, name: String)], approval: String?, canApprove: Bool,
            lists: [(id: DistributionListID, name: String, members: Int)], members: [(id: UserID, name: String)]
        ) {
            self.code = code
            self.line = line
            self.draft = draft
            self.text = text
            self.figures = figures
            self.unresolved = unresolved
            self.author = author
            self.approvedBy = approvedBy
            self.approvedAt = approvedAt
            self.variants = variants
            self.missingLanguages = missingLanguages
            self.reviews = reviews
            self.comments = comments
            self.versions = versions
            self.distributions = distributions
            self.canWrite = canWrite
            self.reviewerChoices = reviewerChoices
            self.approval = approval
            self.canApprove = canApprove
            self.lists = lists
            self.members = members
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), id = Parameter.value(m.line.id)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("products_title"), .products(code))])
        html.markup(m.line.language.rightToLeft ? "<h1 dir=\"rtl\">" : "<h1 dir=\"auto\">")
        html.text(m.line.title)
        html.markup("</h1>\n<p><span dir=\"ltr\">P")
        html.text(m.line.number)
        html.markup(" · v")
        html.text(m.line.version)
        html.markup("</span> · ")
        html.text(t(m.line.kind.labelKey) + " · " + t(m.line.language.labelKey) + " ")
        html.productState(m.line.state, t)
        html.markup(" <span class=\"tag\">")
        html.text(t(m.line.audience.labelKey))
        html.markup("</span></p>\n<p>")
        html.text(t("products_author") + ": " + m.author)
        if let by = m.approvedBy, let at = m.approvedAt {
            html.text(" · " + t("products_approved_by") + ": " + by + " ")
            html.markup("<span dir=\"ltr\">")
            html.text(DateText.day(at))
            html.markup("</span>")
        }
        if let intended = m.draft.intendedFor {
            html.text(" · " + t("field_intended_for") + ": " + intended)
        }
        html.markup("</p>\n<div class=\"actions\">")
        if m.canWrite && m.line.state != .approved {
            html.link(.editProduct(code, id), t("products_new_version"), "class=\"button\"")
            html.markup(" ")
        }
        html.link(.productPrint(code, id), t("products_print"), "class=\"button\"")
        html.markup(" ")
        html.link(.productEmail(code, id), t("products_email_body"), "class=\"button\"")
        html.markup("</div>\n")
        if !m.variants.isEmpty || (m.canWrite && !m.missingLanguages.isEmpty) {
            html.markup("<p id=\"variants\">")
            html.text(t("products_variants") + ": ")
            for (n, v) in m.variants.enumerated() {
                if n > 0 { html.markup(" · ") }
                html.link(.product(code, .value(v.id)), t(v.language.labelKey))
                html.markup(" ")
                html.productState(v.state, t)
            }
            if m.canWrite {
                for language in m.missingLanguages {
                    html.markup(" · <a href=\"")
                    html.text(
                        SiteURL.newProduct(code).path(query: [
                            ("variant_of", m.line.id.uuidString), ("language", language.rawValue),
                        ]))
                    html.markup("\">")
                    html.text(t("products_write_in") + " " + t(language.labelKey))
                    html.markup("</a>")
                }
            }
            html.markup("</p>\n")
        }
        if !m.unresolved.isEmpty {
            html.markup("<div class=\"error\" role=\"alert\" id=\"unresolved\"><p>")
            html.text(t("products_unresolved"))
            html.markup("</p><ul>")
            for problem in m.unresolved {
                html.markup("<li><code dir=\"ltr\">{{")
                html.text(problem.token)
                html.markup("}}</code> — ")
                html.text(problem.reason)
                html.markup("</li>")
            }
            html.markup("</ul></div>\n")
        }
        if m.line.state != .approved {
            html.markup("<p class=\"notice\">")
            html.text(t("products_live_figures"))
            html.markup("</p>\n")
        }
        html.productBody(m.text, language: m.line.language)
        if !m.figures.isEmpty {
            html.markup("<h2>")
            html.text(t(m.line.state == .approved ? "products_frozen_figures" : "products_figures"))
            html.markup("</h2>\n<div class=\"table-box\"><table class=\"list\" id=\"figures\">")
            html.tableHead([t("products_placeholder"), t("products_value"), t("products_source"), t("products_as_of")])
            html.markup("<tbody>")
            for figure in m.figures {
                html.markup("<tr><td><code dir=\"ltr\">")
                html.text(figure.token)
                html.markup("</code></td><td class=\"num\">")
                html.text(ProductWorkflow.grouped(figure.value))
                html.markup("</td><td>")
                html.text(figure.source)
                html.markup("</td><td dir=\"ltr\">")
                html.text(DateText.day(figure.asOf))
                html.markup("</td></tr>")
            }
            html.markup("</tbody></table></div>\n")
        }
        if !m.draft.evidence.isEmpty {
            html.markup("<h2>")
            html.text(t("products_evidence"))
            html.markup("</h2>\n<ul id=\"evidence\">")
            for c in m.draft.evidence {
                html.markup("<li>")
                html.text(t(c.type.labelKey) + " / " + t("feedback_category." + c.category) + ": ")
                html.markup("<strong>")
                html.text(c.count)
                html.markup("</strong> — ")
                html.text(c.source + (c.period.map { " (\($0))" } ?? ""))
                html.markup("</li>")
            }
            html.markup("</ul>\n")
        }
        review(m, page, into: &html)
        distribution(m, page, into: &html)
        html.markup("<h2>")
        html.text(t("products_versions"))
        html.markup("</h2>\n<ul id=\"versions\">")
        for v in m.versions {
            html.markup("<li><span dir=\"ltr\">v")
            html.text(v.version)
            html.markup(" · ")
            html.text(DateText.minute(v.at))
            html.markup("</span> · ")
            html.text(v.by)
            html.markup("</li>")
        }
        html.markup("</ul>\n")
        return html
    }

    static func review(_ m: Model, _ page: PageChrome, into html: inout HTML) {
        let t = page.strings, code = Parameter.value(m.code), id = Parameter.value(m.line.id)
        html.markup("<h2>")
        html.text(t("products_review"))
        html.markup("</h2>\n")
        if !m.reviews.isEmpty {
            html.markup("<div class=\"table-box\"><table class=\"list\" id=\"reviews\">")
            html.tableHead([t("field_review_area"), t("field_reviewer"), t("field_review_verdict")])
            html.markup("<tbody>")
            for r in m.reviews {
                html.markup("<tr><td>")
                html.text(t(r.area.labelKey))
                html.markup("</td><td>")
                html.text(r.reviewer ?? "—")
                html.markup("</td><td>")
                html.text(r.verdict.map { t($0.labelKey) } ?? t("products_waiting"))
                html.markup("</td></tr>")
            }
            html.markup("</tbody></table></div>\n")
        }
        // The named reviewer's form.
        for r in m.reviews where r.mine && m.line.state == .inReview {
            html.markup("<form method=\"post\" class=\"stack\" id=\"review-form\" action=\"")
            html.url(.productReview(code, id))
            html.markup("\">")
            html.csrfField(page.csrf)
            html.markup("<input type=\"hidden\" name=\"area\"")
            html.attribute("value", r.area.rawValue)
            html.markup("><label for=\"comment\">")
            html.text(t("products_your_review") + " (" + t(r.area.labelKey) + ")")
            html.markup(
                "</label><textarea id=\"comment\" name=\"comment\" rows=\"3\"></textarea><div class=\"actions\">")
            html.markup("<button type=\"submit\" name=\"verdict\" value=\"comment\">")
            html.text(t("products_send_comment"))
            html.markup("</button> <button type=\"submit\" name=\"verdict\" value=\"cleared\" class=\"primary\">")
            html.text(t("products_clear"))
            html.markup("</button></div></form>\n")
        }
        if !m.comments.isEmpty {
            html.markup("<ul class=\"crisis-log\" id=\"comments\">")
            for c in m.comments {
                html.markup(c.verdict == .cleared ? "<li class=\"log-decision\">" : "<li>")
                html.markup("<small dir=\"ltr\">v")
                html.text(c.version)
                html.markup(" · ")
                html.text(DateText.minute(c.at))
                html.markup("</small> ")
                html.text(c.reviewer + " · " + t(c.area.labelKey) + " · " + t(c.verdict.labelKey))
                if let text = c.text {
                    html.markup("<br><span dir=\"auto\">")
                    html.text(text)
                    html.markup("</span>")
                }
                html.markup("</li>")
            }
            html.markup("</ul>\n")
        }
        if m.canWrite && m.line.state != .approved {
            html.markup("<form method=\"post\" class=\"stack\" id=\"submit-form\" action=\"")
            html.url(.productSubmit(code, id))
            html.markup("\">")
            html.csrfField(page.csrf)
            html.markup("<p>")
            html.text(t(m.line.state == .draft ? "products_submit_intro" : "products_reviewers_change"))
            html.markup("</p>")
            for area in ReviewArea.allCases {
                let chosen = m.reviews.first { $0.area == area }?.reviewer
                html.selectField(
                    t, "reviewer_" + area.rawValue, label: area.labelKey,
                    choices: m.reviewerChoices.map {
                        Choice(value: $0.id.uuidString, label: $0.name, selected: $0.name == chosen)
                    },
                    errors: [:], blank: "form_choose")
            }
            html.markup("<button type=\"submit\">")
            html.text(t(m.line.state == .draft ? "products_submit" : "products_reviewers_save"))
            html.markup("</button></form>\n")
        }
        if m.line.state == .inReview && m.canApprove {
            if let why = m.approval {
                html.markup("<p class=\"notice\" id=\"approval-blocked\">")
                html.text(t("products_approval_blocked") + " " + why)
                html.markup("</p>\n")
            } else {
                html.buttonForm(
                    .productApprove(code, id), csrf: page.csrf, label: t("products_approve"), buttonClass: "primary")
            }
        }
    }

    static func distribution(_ m: Model, _ page: PageChrome, into html: inout HTML) {
        let t = page.strings, code = Parameter.value(m.code), id = Parameter.value(m.line.id)
        guard m.line.state == .approved else { return }
        html.markup("<h2>")
        html.text(t("products_distribution"))
        html.markup("</h2>\n")
        if m.canWrite {
            html.markup("<form method=\"post\" class=\"stack\" id=\"distribute-form\" action=\"")
            html.url(.productDistribute(code, id))
            html.markup("\">")
            html.csrfField(page.csrf)
            html.selectField(
                t, "channel", label: "field_channel",
                choices: DistributionChannel.allCases.map {
                    Choice(value: $0.rawValue, label: t($0.labelKey), selected: false)
                },
                errors: [:])
            html.selectField(
                t, "list_id", label: "field_distribution_list",
                choices: m.lists.map {
                    Choice(value: $0.id.uuidString, label: "\($0.name) (\($0.members))", selected: false)
                },
                errors: [:], blank: "products_no_list", help: "help_distribution_list")
            html.checkboxGroup(
                legend: t("products_share_members"), name: "member_ids",
                m.members.map { Choice(value: $0.id.uuidString, label: $0.name, selected: false) })
            html.markup("\n  <label for=\"dist-audience\">")
            html.text(t("field_audience"))
            html.markup("</label><select id=\"dist-audience\" name=\"audience\">")
            html.options(
                AudienceLevel.allCases.filter { $0 >= m.line.audience }.map {
                    Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0 == m.line.audience)
                })
            html.markup("</select>")
            html.textInput(t, "note", label: "field_distribution_note", value: "", errors: [:])
            html.markup("<button type=\"submit\" class=\"primary\">")
            html.text(t("products_distribute"))
            html.markup("</button></form>\n")
        }
        if m.distributions.isEmpty {
            html.paragraph(t("products_not_distributed"))
            return
        }
        for d in m.distributions {
            html.markup("<section class=\"distribution\"><h3>")
            html.text(t(d.channel.labelKey) + " · " + (d.list ?? t("products_members")))
            html.markup(" <small dir=\"ltr\">")
            html.text(DateText.minute(d.at))
            html.markup("</small></h3><p>")
            html.text(d.sentBy + " · " + t(d.audience.labelKey))
            html.markup("</p><ul>")
            for r in d.recipients {
                html.markup("<li>")
                html.text(r.name)
                if let address = r.address {
                    html.markup(" <span dir=\"ltr\">")
                    html.text(address)
                    html.markup("</span>")
                }
                html.markup(" <span class=\"tag\">")
                html.text(t("recipient_status." + r.status))
                html.markup("</span></li>")
            }
            html.markup("</ul></section>\n")
        }
    }
}

/// A product's form: a new product, a variant in another language, or a new version.
public enum ProductForm {
    public struct Model: Sendable {
        public let code: String
        public let id: ProductID?
        public let variantOf: ProductID?
        public let values: ProductInput
        public let errors: [String: String]
        public let version: String
        public let stale: StaleNotice?
        public init(
            code: String, id: ProductID?, variantOf: ProductID?, values: ProductInput, errors: [String: String],
            version: String, stale: StaleNotice?
        ) {
            self.code = code
            self.id = id
            self.variantOf = variantOf
            self.values = values
            self.errors = errors
            self.version = version
            self.stale = stale
        }
    }

    public static func title(_ m: Model, _ t: Strings) -> String {
        m.id == nil ? t("products_new") : t("products_new_version") + ": " + m.values.title
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), v = m.values
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("products_title"), .products(code))])
        html.staleNotice(m.stale, t)
        html.recordFormStart(
            t, heading: title(m, t), errors: m.errors,
            action: m.id.map { .editProduct(code, .value($0)) } ?? .products(code), csrf: page.csrf,
            version: m.id == nil ? nil : m.version)
        if let variantOf = m.variantOf {
            html.markup("<input type=\"hidden\" name=\"variant_of\"")
            html.attribute("value", variantOf.uuidString)
            html.markup(">")
        }
        html.selectField(
            t, "kind", label: "field_product_kind",
            choices: ProductKind.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.kind)
            },
            errors: m.errors, blank: "form_choose")
        html.textInput(
            t, "title", label: "field_title", value: v.title, errors: m.errors,
            "required maxlength=\"200\" dir=\"auto\"")
        html.selectField(
            t, "language", label: "field_language",
            choices: ProductLanguage.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.language)
            },
            errors: m.errors)
        html.textInput(
            t, "intended_for", label: "field_intended_for", value: v.intendedFor, errors: m.errors,
            help: "help_intended_for")
        html.textArea(
            t, "body", label: "field_product_body", value: v.body, errors: m.errors, rows: 16, help: "help_product_body"
        )
        html.markup("<details class=\"help\"><summary>")
        html.text(t("products_figure_list"))
        html.markup("</summary><ul dir=\"ltr\">")
        for name in FigurePlaceholder.Name.allCases {
            html.markup("<li><code>{{")
            html.text(name.rawValue + name.parameters.sorted().map { " \($0)=…" }.joined())
            html.markup("}}</code></li>")
        }
        html.markup("</ul></details>")
        html.textArea(
            t, "evidence", label: "products_evidence", value: v.evidence.joined(separator: "\n"), errors: m.errors,
            rows: 3,
            help: "help_evidence", ltr: true)
        html.audienceSelect(t, chosen: v.audience, help: t("help_product_audience"), errors: m.errors)
        html.markup("\n  <button id=\"save\" type=\"submit\" class=\"primary\">")
        html.text(t("form_save"))
        html.markup("</button>\n</form>\n")
        return html
    }
}

/// An approved product as printed: A4, the operation and the classification on every page, the
/// figures' sources at the end.
public enum ProductPrint {
    public struct Model: Sendable {
        public let operationName: String
        public let line: ProductLine
        public let text: String
        public let figures: [FigureValue]
        public let evidence: [FeedbackCitation]
        public let approvedAt: Date?
        public let printedAt: Date
        public init(
            operationName: String, line: ProductLine, text: String, figures: [FigureValue],
            evidence: [FeedbackCitation],
            approvedAt: Date?, printedAt: Date
        ) {
            self.operationName = operationName
            self.line = line
            self.text = text
            self.figures = figures
            self.evidence = evidence
            self.approvedAt = approvedAt
            self.printedAt = printedAt
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings
        var html = HTML()
        html.markup(
            "<table class=\"print-frame\" role=\"presentation\"><thead><tr><td><p class=\"print-header\"><strong>")
        html.text(t(m.line.audience.labelKey))
        html.markup("</strong> · ")
        html.text(m.operationName + " · " + t(m.line.kind.labelKey))
        html.markup(" · <span dir=\"ltr\">")
        html.text(m.approvedAt.map(DateText.day) ?? DateText.day(m.printedAt))
        html.markup("</span></p></td></tr></thead><tbody><tr><td>\n<article class=\"product-print\">")
        if m.line.state != .approved {
            html.markup("<p class=\"error\" id=\"draft-mark\">")
            html.text(t("products_draft_mark"))
            html.markup("</p>")
        }
        html.markup(m.line.language.rightToLeft ? "<h1 dir=\"rtl\">" : "<h1 dir=\"auto\">")
        html.text(m.line.title)
        html.markup("</h1>\n")
        html.productBody(m.text, language: m.line.language)
        if !m.figures.isEmpty {
            html.markup("<section class=\"sources\"><h2>")
            html.text(t("products_sources"))
            html.markup("</h2><ol>")
            for f in m.figures {
                html.markup("<li><span dir=\"ltr\">")
                html.text(ProductWorkflow.grouped(f.value))
                html.markup("</span> — ")
                html.text(f.source)
                html.markup(" (<span dir=\"ltr\">")
                html.text(DateText.day(f.asOf))
                html.markup("</span>)</li>")
            }
            html.markup("</ol></section>\n")
        }
        if !m.evidence.isEmpty {
            html.markup("<section class=\"sources\"><h2>")
            html.text(t("products_evidence"))
            html.markup("</h2><ul>")
            for c in m.evidence {
                html.markup("<li>")
                html.text(
                    t(c.type.labelKey) + " / " + t("feedback_category." + c.category) + ": \(c.count) — " + c.source)
                html.markup("</li>")
            }
            html.markup("</ul></section>\n")
        }
        html.markup("</article>\n")
        html.printFrameEnd()
        return html
    }
}

/// A product as the body of an e-mail: the plain text a mail program is given, shown in the
/// product's language and direction, with the link to the text alone.
public enum ProductEmailPage {
    public struct Model: Sendable {
        public let code: String
        public let line: ProductLine
        public let text: String
        public init(code: String, line: ProductLine, text: String) {
            self.code = code
            self.line = line
            self.text = text
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), id = Parameter.value(m.line.id)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("products_title"), .products(code)), (m.line.title, .product(code, id))])
        html.markup("<h1>")
        html.text(t("products_email_body"))
        html.markup("</h1>\n<p class=\"actions\"><a href=\"")
        html.text(SiteURL.productEmail(code, id).path(query: [("format", "text")]))
        html.markup("\">")
        html.text(t("products_email_text"))
        html.markup("</a></p>\n<pre class=\"email-body\"")
        html.attribute("lang", m.line.language.rawValue)
        html.markup(m.line.language.rightToLeft ? " dir=\"rtl\">" : " dir=\"ltr\">")
        html.text(m.text)
        html.markup("</pre>\n")
        return html
    }
}

/// Distribution lists: entries of the registry, typed by name, that products are sent to.
public enum DistributionListsPage {
    public struct Model: Sendable {
        public let code: String
        public let lists: [(id: DistributionListID, name: String, members: [String])]
        public let errors: [String: String]
        public let name: String
        public let members: String
        public init(
            code: String, lists: [(id: DistributionListID, name: String, members: [String])], errors: [String: String],
            name: String, members: String
        ) {
            self.code = code
            self.lists = lists
            self.errors = errors
            self.name = name
            self.members = members
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("products_title"), .products(code))])
        html.markup("<h1>")
        html.text(t("lists_title"))
        html.markup("</h1>\n")
        if m.lists.isEmpty { html.paragraph(t("lists_none")) }
        for list in m.lists {
            html.markup("<section class=\"list-members\"><h2>")
            html.text(list.name)
            html.markup(" <small>(")
            html.text(list.members.count)
            html.markup(")</small></h2><p dir=\"auto\">")
            html.text(list.members.joined(separator: ", "))
            html.markup("</p></section>\n")
        }
        html.recordFormStart(
            t, heading: t("lists_new"), errors: m.errors, action: .distributionLists(code), csrf: page.csrf,
            version: nil, level: 2)
        html.textInput(t, "name", label: "field_name", value: m.name, errors: m.errors, "required maxlength=\"200\"")
        html.textArea(
            t, "members", label: "lists_members", value: m.members, errors: m.errors, rows: 6, help: "help_attendees")
        html.markup("\n  <button type=\"submit\" class=\"primary\">")
        html.text(t("form_save"))
        html.markup("</button>\n</form>\n")
        return html
    }
}
