import Domain
import Foundation

extension Strings {
    /// A phase's name: the catalogue's, or the operation's own word for a phase it added.
    public func phase(_ phase: String) -> String { self("phase." + phase, or: phase) }

    /// "Part 3".
    func part(_ part: Int) -> String {
        self("compliance.part_n").replacingOccurrences(of: "{count}", with: String(part))
    }
}

extension HTML {
    /// The score of each MSR part as list items, "—" for a part with nothing to count.
    mutating func partScores(_ scores: [(part: Int, score: Int?)], _ t: Strings) {
        for item in scores {
            markup("<li>")
            text(t.part(item.part))
            markup(": <strong>")
            text(item.score.map(String.init) ?? "—")
            markup("</strong></li>")
        }
    }
}

/// MSR compliance: every assessment's score per part (with its trend), the exemptions, and the
/// form that grants one.
public enum ComplianceOverview {
    public struct Model: Sendable {
        public struct Assessment: Sendable {
            public let id: ComplianceAssessmentID
            public let day: String
            /// The office assessed, or nil for the whole operation.
            public let scope: String?
            public let phase: String
            /// Per part, in `parts` order: the score and the same scope's previous one.
            public let scores: [(score: Int?, previous: Int?)]

            public init(
                id: ComplianceAssessmentID, day: String, scope: String?, phase: String,
                scores: [(score: Int?, previous: Int?)]
            ) {
                self.id = id
                self.day = day
                self.scope = scope
                self.phase = phase
                self.scores = scores
            }
        }

        public struct Exemption: Sendable {
            public let requirement: String
            public let reason: ExemptionReason
            public let writtenReason: String
            public let grantedBy: String
            public let from: String
            public let to: String
            public let active: Bool

            public init(
                requirement: String, reason: ExemptionReason, writtenReason: String, grantedBy: String, from: String,
                to: String, active: Bool
            ) {
                self.requirement = requirement
                self.reason = reason
                self.writtenReason = writtenReason
                self.grantedBy = grantedBy
                self.from = from
                self.to = to
                self.active = active
            }
        }

        public let code: String
        public let parts: [Int]
        /// Newest first.
        public let assessments: [Assessment]
        public let exemptions: [Exemption]
        /// The catalogue's requirements, for the exemption form.
        public let requirements: [(code: String, text: String)]
        public let canWrite: Bool
        public let today: String
        public let error: String?

        public init(
            code: String, parts: [Int], assessments: [Assessment], exemptions: [Exemption],
            requirements: [(code: String, text: String)], canWrite: Bool, today: String, error: String?
        ) {
            self.code = code
            self.parts = parts
            self.assessments = assessments
            self.exemptions = exemptions
            self.requirements = requirements
            self.canWrite = canWrite
            self.today = today
            self.error = error
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code)
        html.markup("<h1>")
        html.text(t("compliance_title"))
        html.markup("</h1>\n")
        html.alert(m.error)
        html.markup("<p class=\"actions\">")
        if m.canWrite {
            html.link(
                .newComplianceAssessment(code), t("compliance_new_assessment"),
                "id=\"new-assessment\" class=\"button primary\"")
            html.markup(" ")
        }
        html.link(.compliancePack(code), t("compliance_pack"), "id=\"compliance-pack\" class=\"button\"")
        html.markup("</p>\n<section id=\"scores\">\n<h2>")
        html.text(t("compliance_scores"))
        html.markup("</h2>\n")
        if m.assessments.isEmpty {
            html.paragraph(t("compliance_none"))
        } else {
            html.markup("<table class=\"list\">\n")
            html.tableHead([t("field_date"), t("compliance_scope"), t("phases_phase")] + m.parts.map(t.part))
            html.markup("\n<tbody>")
            for row in m.assessments {
                html.markup("<tr><td>")
                html.link(.complianceAssessment(code, .value(row.id)), row.day, "dir=\"ltr\"")
                html.markup("</td><td>")
                html.text(row.scope ?? t("compliance.whole_operation"))
                html.markup("</td><td>")
                html.text(t.phase(row.phase))
                html.markup("</td>")
                for item in row.scores {
                    html.markup("<td class=\"score\">")
                    if let score = item.score {
                        html.text(score)
                        if let before = item.previous, before != score {
                            html.markup(score > before ? " <span class=\"up\"" : " <span class=\"down\"")
                            html.attribute(
                                "title",
                                t("compliance.previous").replacingOccurrences(of: "{count}", with: String(before)))
                            html.markup(score > before ? ">▲</span>" : ">▼</span>")
                        }
                    } else {
                        html.markup("—")
                    }
                    html.markup("</td>")
                }
                html.markup("</tr>")
            }
            html.markup("</tbody>\n</table>\n<p><small>")
            html.text(t("compliance_scores_help"))
            html.markup("</small></p>")
        }
        html.markup("\n</section>\n<section id=\"exemptions\">\n<h2>")
        html.text(t("compliance_exemptions"))
        html.markup("</h2>\n")
        if m.exemptions.isEmpty {
            html.paragraph(t("compliance_no_exemptions"))
        } else {
            html.markup("<table class=\"list\">\n")
            html.tableHead([
                t("compliance_requirement"), t("field_written_reason"), t("field_granted_by"), t("compliance_valid"),
                t("phases_status"),
            ])
            html.markup("\n<tbody>")
            for e in m.exemptions {
                html.markup(e.active ? "<tr><td dir=\"ltr\">" : "<tr class=\"closed\"><td dir=\"ltr\">")
                html.text(e.requirement)
                html.markup("</td><td>")
                html.text(t("exemption_reason." + e.reason.rawValue) + " — " + e.writtenReason)
                html.markup("</td><td>")
                html.text(e.grantedBy)
                html.markup("</td><td dir=\"ltr\" class=\"nowrap\">")
                html.text(e.from + " – " + e.to)
                html.markup("</td><td>")
                html.text(t(e.active ? "compliance.active" : "compliance.expired"))
                html.markup("</td></tr>")
            }
            html.markup("</tbody>\n</table>")
        }
        html.markup("\n")
        if m.canWrite {
            html.markup("<form id=\"grant-exemption\" method=\"post\" action=\"")
            html.url(.complianceExemptions(code))
            html.markup("\" class=\"stack\">\n  ")
            html.csrfField(page.csrf)
            html.markup("\n  <label for=\"requirement\">")
            html.text(t("compliance_requirement"))
            html.markup("</label>\n  <select id=\"requirement\" name=\"requirement\">")
            html.options(
                m.requirements.map { Choice(value: $0.code, label: $0.code + " · " + $0.text, selected: false) })
            html.markup("</select>\n  <label for=\"granted_by\">")
            html.text(t("field_granted_by"))
            html.markup("</label>\n  <input id=\"granted_by\" name=\"granted_by\" required>\n  <label for=\"reason\">")
            html.text(t("field_exemption_reason"))
            html.markup("</label>\n  <select id=\"reason\" name=\"reason\">")
            html.options(
                ExemptionReason.allCases.map {
                    Choice(value: $0.rawValue, label: t("exemption_reason." + $0.rawValue), selected: false)
                })
            html.markup("</select>\n  <label for=\"written_reason\">")
            html.text(t("field_written_reason"))
            html.markup(
                "</label>\n  <textarea id=\"written_reason\" name=\"written_reason\" rows=\"2\" required></textarea>\n  <label for=\"granted_on\">"
            )
            html.text(t("field_granted_on"))
            html.markup("</label>\n  <input id=\"granted_on\" name=\"granted_on\" type=\"date\"")
            html.attribute("value", m.today)
            html.markup(" dir=\"ltr\" required>\n  <label for=\"expires_on\">")
            html.text(t("field_expires_on"))
            html.markup(
                "</label>\n  <input id=\"expires_on\" name=\"expires_on\" type=\"date\" dir=\"ltr\" required>\n  <button type=\"submit\">"
            )
            html.text(t("compliance_grant"))
            html.markup("</button>\n</form>\n")
        }
        html.markup("</section>\n")
        return html
    }
}

/// The form that records an MSR assessment: a status and evidence for every requirement, by part.
public enum ComplianceAssessmentForm {
    public struct Model: Sendable {
        public struct Requirement: Sendable {
            public let part: Int
            public let code: String
            public let text: String
            /// The phases it applies in (names), empty when it always applies.
            public let phases: [String]
            public let chosen: String
            public let evidence: String

            public init(part: Int, code: String, text: String, phases: [String], chosen: String, evidence: String) {
                self.part = part
                self.code = code
                self.text = text
                self.phases = phases
                self.chosen = chosen
                self.evidence = evidence
            }
        }

        public let code: String
        public let requirements: [Requirement]
        public let sites: [Choice]
        public let phases: [Choice]
        public let assessedOn: String
        public let errors: [String: String]

        public init(
            code: String, requirements: [Requirement], sites: [Choice], phases: [Choice], assessedOn: String,
            errors: [String: String]
        ) {
            self.code = code
            self.requirements = requirements
            self.sites = sites
            self.phases = phases
            self.assessedOn = assessedOn
            self.errors = errors
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("compliance_title"), .compliance(code))])
        html.markup("<h1>")
        html.text(t("compliance_new_assessment"))
        html.markup("</h1>\n")
        html.formErrors(t, m.errors)
        html.markup("<form id=\"assessment-form\" method=\"post\" action=\"")
        html.url(.complianceAssessments(code))
        html.markup("\" class=\"stack\">\n  ")
        html.csrfField(page.csrf)
        html.markup("\n  <label for=\"site\">")
        html.text(t("compliance_scope"))
        html.markup("</label>\n  <select id=\"site\" name=\"site\">")
        html.options(m.sites)
        html.markup("</select>\n  ")
        html.fieldError(m.errors, "site")
        html.markup("\n  <label for=\"assessed_on\">")
        html.text(t("field_date"))
        html.markup("</label>\n  <input id=\"assessed_on\" name=\"assessed_on\" type=\"date\"")
        html.attribute("value", m.assessedOn)
        html.markup(" dir=\"ltr\" required>\n  ")
        html.fieldError(m.errors, "assessed_on")
        html.markup("\n  <label for=\"phase\">")
        html.text(t("phases_phase"))
        html.markup("</label>\n  <select id=\"phase\" name=\"phase\">")
        html.options(m.phases)
        html.markup("</select>\n  <table class=\"list\" id=\"findings\">\n  ")
        html.tableHead([t("compliance_requirement"), t("phases_status"), t("compliance_evidence")])
        html.markup("\n  <tbody>")
        var part = 0
        for requirement in m.requirements {
            if requirement.part != part {
                part = requirement.part
                html.markup("<tr><th colspan=\"3\" scope=\"rowgroup\">")
                html.text(t.part(part) + " · " + t("msr_part.\(part)", or: ""))
                html.markup("</th></tr>")
            }
            html.markup("<tr><td><span dir=\"ltr\">")
            html.text(requirement.code)
            html.markup("</span> ")
            html.text(requirement.text)
            if !requirement.phases.isEmpty {
                html.markup(" <small>(")
                html.text(requirement.phases.joined(separator: ", "))
                html.markup(")</small>")
            }
            html.markup("</td><td><select")
            html.attribute("name", "status[\(requirement.code)]")
            html.attribute("aria-label", requirement.code + " · " + t("phases_status"))
            html.markup(">")
            html.options(
                [Choice(value: "", label: "—", selected: requirement.chosen.isEmpty)]
                    + ComplianceStatus.allCases.map {
                        Choice(
                            value: $0.rawValue, label: t("compliance_status." + $0.rawValue),
                            selected: $0.rawValue == requirement.chosen)
                    })
            html.markup("</select></td><td><input")
            html.attribute("name", "evidence[\(requirement.code)]")
            html.attribute("aria-label", requirement.code + " · " + t("compliance_evidence"))
            html.attribute("value", requirement.evidence)
            html.markup(">")
            if let error = m.errors["status[\(requirement.code)]"] ?? m.errors["evidence[\(requirement.code)]"] {
                html.markup("<p class=\"field-error\">")
                html.text(error)
                html.markup("</p>")
            }
            html.markup("</td></tr>")
        }
        html.markup("</tbody>\n  </table>\n  <button id=\"save\" type=\"submit\" class=\"primary\">")
        html.text(t("form_save"))
        html.markup("</button>\n</form>\n")
        return html
    }
}

/// One MSR assessment: its scope, phase, scores per part and every finding.
public enum ComplianceAssessmentPage {
    public struct Model: Sendable {
        public struct Finding: Sendable {
            public let code: String
            public let text: String
            public let status: ComplianceStatus
            public let exempt: Bool
            public let evidence: String

            public init(code: String, text: String, status: ComplianceStatus, exempt: Bool, evidence: String) {
                self.code = code
                self.text = text
                self.status = status
                self.exempt = exempt
                self.evidence = evidence
            }
        }

        public let code: String
        public let number: Int
        public let day: String
        /// The office assessed, or nil for the whole operation.
        public let scope: String?
        public let phase: String
        public let scores: [(part: Int, score: Int?)]
        public let findings: [Finding]

        public init(
            code: String, number: Int, day: String, scope: String?, phase: String, scores: [(part: Int, score: Int?)],
            findings: [Finding]
        ) {
            self.code = code
            self.number = number
            self.day = day
            self.scope = scope
            self.phase = phase
            self.scores = scores
            self.findings = findings
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("compliance_title"), .compliance(code))])
        html.markup("<h1>")
        html.text(
            t("compliance.assessment_n").replacingOccurrences(of: "{count}", with: String(m.number)) + " · " + m.day)
        html.markup("</h1>\n<dl class=\"facts\"><dt>")
        html.text(t("compliance_scope"))
        html.markup("</dt><dd>")
        html.text(m.scope ?? t("compliance.whole_operation"))
        html.markup("</dd><dt>")
        html.text(t("phases_phase"))
        html.markup("</dt><dd>")
        html.text(t.phase(m.phase))
        html.markup("</dd></dl>\n<h2>")
        html.text(t("compliance_scores"))
        html.markup("</h2>\n<ul id=\"part-scores\">")
        html.partScores(m.scores, t)
        html.markup("</ul>\n<table class=\"list\" id=\"findings\">\n")
        html.tableHead([t("field_code"), t("compliance_requirement"), t("phases_status"), t("compliance_evidence")])
        html.markup("\n<tbody>")
        for finding in m.findings {
            html.markup("<tr")
            html.attribute("class", "status-" + finding.status.rawValue)
            html.markup("><td dir=\"ltr\">")
            html.text(finding.code)
            html.markup("</td><td>")
            html.text(finding.text)
            html.markup("</td><td>")
            html.text(t("compliance_status." + finding.status.rawValue))
            if finding.exempt {
                html.markup(" <span class=\"tag\">")
                html.text(t("compliance.exempt"))
                html.markup("</span>")
            }
            html.markup("</td><td class=\"notes\" dir=\"auto\">")
            html.text(finding.evidence)
            html.markup("</td></tr>")
        }
        html.markup("</tbody>\n</table>\n")
        return html
    }
}

/// The annual compliance pack: the annexes, the latest scores, the exemptions in force, and the
/// senior manager's written approval.
public enum CompliancePack {
    public struct Model: Sendable {
        public struct Annex: Sendable {
            public let kind: SecurityPlanKind
            public let approvedVersion: Int?
            public let approvedOn: String?

            public init(kind: SecurityPlanKind, approvedVersion: Int?, approvedOn: String?) {
                self.kind = kind
                self.approvedVersion = approvedVersion
                self.approvedOn = approvedOn
            }
        }

        public struct Exemption: Sendable {
            public let requirement: String
            public let writtenReason: String
            public let grantedBy: String
            public let expires: String

            public init(requirement: String, writtenReason: String, grantedBy: String, expires: String) {
                self.requirement = requirement
                self.writtenReason = writtenReason
                self.grantedBy = grantedBy
                self.expires = expires
            }
        }

        public struct Approval: Sendable {
            public let statement: String
            public let by: String
            public let at: String

            public init(statement: String, by: String, at: String) {
                self.statement = statement
                self.by = by
                self.at = at
            }
        }

        public let code: String
        public let operationName: String
        public let year: Int
        public let annexes: [Annex]
        public let risks: Int
        /// The latest assessment's day and scores, if there is one.
        public let assessedOn: String?
        public let scores: [(part: Int, score: Int?)]
        public let exemptions: [Exemption]
        public let approval: Approval?
        public let canApprove: Bool
        public let error: String?

        public init(
            code: String, operationName: String, year: Int, annexes: [Annex], risks: Int, assessedOn: String?,
            scores: [(part: Int, score: Int?)], exemptions: [Exemption], approval: Approval?, canApprove: Bool,
            error: String?
        ) {
            self.code = code
            self.operationName = operationName
            self.year = year
            self.annexes = annexes
            self.risks = risks
            self.assessedOn = assessedOn
            self.scores = scores
            self.exemptions = exemptions
            self.approval = approval
            self.canApprove = canApprove
            self.error = error
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("compliance_title"), .compliance(code))])
        html.markup("<article class=\"report\">\n<h1>")
        html.text(t("compliance_pack") + " \(m.year) · " + m.operationName)
        html.markup("</h1>\n")
        html.alert(m.error)
        html.markup("<section id=\"annexes\">\n<h2>")
        html.text(t("compliance_annexes"))
        html.markup("</h2>\n<ul class=\"plain\">")
        // Annexes in the order of MSR Part 7: A the register, B the regulations, then the plans.
        for (index, annex) in m.annexes.enumerated() {
            html.markup("<li><strong>")
            html.text(String(UnicodeScalar(UInt8(65 + index % 26))))
            html.markup("</strong> ")
            html.text(t(annex.kind.labelKey))
            html.markup(" — ")
            if let version = annex.approvedVersion {
                html.text(
                    t("plans.version_n").replacingOccurrences(of: "{count}", with: String(version)) + ", "
                        + t("plans.approved_by"))
                html.markup(" <span dir=\"ltr\">")
                html.text(annex.approvedOn ?? "")
                html.markup("</span>")
            } else {
                html.markup("<strong class=\"overdue\">")
                html.text(t("plans.none_approved"))
                html.markup("</strong>")
            }
            html.markup("</li>")
        }
        html.markup("</ul>\n<p>")
        html.text(t("risks.count").replacingOccurrences(of: "{count}", with: String(m.risks)))
        html.markup("</p>\n</section>\n<section id=\"pack-scores\">\n<h2>")
        html.text(t("compliance_scores"))
        html.markup("</h2>\n")
        if let day = m.assessedOn {
            html.markup("<p dir=\"ltr\">")
            html.text(day)
            html.markup("</p><ul>")
            html.partScores(m.scores, t)
            html.markup("</ul>")
        } else {
            html.paragraph(t("compliance_none"))
        }
        html.markup("\n</section>\n<section id=\"pack-exemptions\">\n<h2>")
        html.text(t("compliance_exemptions"))
        html.markup("</h2>\n<ul>")
        for e in m.exemptions {
            html.markup("<li><span dir=\"ltr\">")
            html.text(e.requirement)
            html.markup("</span> — <bdi>")
            html.text(e.writtenReason)
            html.markup("</bdi> (<bdi>")
            html.text(e.grantedBy)
            html.markup("</bdi>, <span dir=\"ltr\">")
            html.text(e.expires)
            html.markup("</span>)</li>")
        }
        html.markup("</ul>\n</section>\n<section id=\"approval\">\n<h2>")
        html.text(t("compliance_approval"))
        html.markup("</h2>\n")
        if let approval = m.approval {
            html.markup("<p class=\"notes\" dir=\"auto\">")
            html.text(approval.statement)
            html.markup("</p><p>")
            html.text(approval.by)
            html.markup(" · <span dir=\"ltr\">")
            html.text(approval.at)
            html.markup("</span></p>")
        } else {
            html.markup("<p id=\"not-approved\">")
            html.text(t("compliance_not_approved"))
            html.markup("</p>")
        }
        html.markup("\n</section>\n</article>\n")
        if m.canApprove {
            html.markup("<form id=\"approve-pack\" method=\"post\" action=\"")
            html.url(.compliancePack(code))
            html.markup("\" class=\"stack\">\n  ")
            html.csrfField(page.csrf)
            html.markup("\n  <input type=\"hidden\" name=\"year\"")
            html.attribute("value", String(m.year))
            html.markup(">\n  <label for=\"statement\">")
            html.text(t("compliance_statement"))
            html.markup(
                "</label>\n  <textarea id=\"statement\" name=\"statement\" rows=\"4\" required></textarea>\n  <button type=\"submit\" class=\"primary\">"
            )
            html.text(t("compliance_approve"))
            html.markup("</button>\n</form>\n")
        }
        html.markup("<p class=\"actions\"><button id=\"print\" type=\"button\" hidden>")
        html.text(t("risks_print"))
        html.markup("</button></p>\n<script src=\"")
        html.url(.printScript)
        html.markup("\" defer></script>\n")
        return html
    }
}
