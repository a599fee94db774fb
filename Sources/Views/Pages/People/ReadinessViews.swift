import Domain
import Foundation

/// Who is ready: each person present with the security briefing (due within 24 hours of
/// arrival), the welcome brief acknowledged, the trainings their place requires, the relocation
/// plan briefing, documents and grab bag.
public enum ReadinessPage {
    public struct Row: Sendable {
        public let id: PersonID
        public let name: String
        public let arrival: ArrivalBriefing.State
        public let welcomeBrief: Int?
        /// Courses lacking, by name, with "(expired)" where one lapsed.
        public let lacking: [String]
        public let relocationBriefed: Bool
        public let grabBag: Date?
        public init(
            id: PersonID, name: String, arrival: ArrivalBriefing.State, welcomeBrief: Int?, lacking: [String],
            relocationBriefed: Bool, grabBag: Date?
        ) {
            self.id = id
            self.name = name
            self.arrival = arrival
            self.welcomeBrief = welcomeBrief
            self.lacking = lacking
            self.relocationBriefed = relocationBriefed
            self.grabBag = grabBag
        }
    }

    public struct Model: Sendable {
        public let code: String
        public let rows: [Row]
        public let courses: [TrainingSettings.Course]
        public let requirements: [String]
        public init(code: String, rows: [Row], courses: [TrainingSettings.Course], requirements: [String]) {
            self.code = code
            self.rows = rows
            self.courses = courses
            self.requirements = requirements
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("people_title"), .people(code))])
        html.markup("<h1>")
        html.text(t("readiness_title"))
        html.markup("</h1>\n<p class=\"actions\">")
        html.link(.trainingSessions(code), t("sessions_title"), "class=\"button\"")
        html.markup(" ")
        html.link(.relocationList(code), t("relocation_list_title"), "class=\"button\"")
        html.markup("</p>\n")
        let overdue = m.rows.filter { if case .overdue = $0.arrival { true } else { false } }.count
        let lacking = m.rows.filter { !$0.lacking.isEmpty }.count
        html.markup("<p class=\"lede\" id=\"readiness-summary\">")
        html.text(
            t("readiness_summary").replacingOccurrences(of: "{overdue}", with: String(overdue))
                .replacingOccurrences(of: "{lacking}", with: String(lacking)))
        html.markup("</p>\n<div class=\"scroll\"><table class=\"list\" id=\"readiness\">")
        html.tableHead([
            t("field_name"), t("briefing_kind_security_briefing"), t("briefing_kind_welcome_brief"),
            t("readiness_trainings"), t("briefing_kind_relocation_plan"), t("readiness_grab_bag"),
        ])
        html.markup("<tbody>")
        for row in m.rows {
            html.markup("<tr><td>")
            html.link(.person(code, .value(row.id)), row.name)
            html.markup("</td>")
            switch row.arrival {
            case .briefed(let at):
                html.markup("<td>✓ <small class=\"nowrap\">")
                html.text(t.isolatedMinute(at))
                html.markup("</small></td>")
            // Sentences, not tags: a tag does not wrap in a table, and these are long in Arabic.
            case .due(let deadline):
                html.markup("<td>")
                html.text(t("readiness_due_by").replacingOccurrences(of: "{time}", with: t.isolatedMinute(deadline)))
                html.markup("</td>")
            case .overdue(let deadline):
                html.markup("<td class=\"overdue\"><strong>")
                html.text(
                    t("readiness_overdue_since").replacingOccurrences(of: "{time}", with: t.isolatedMinute(deadline)))
                html.markup("</strong></td>")
            case .unknown:
                html.markup("<td>—</td>")
            }
            html.markup("<td>")
            html.text(
                row.welcomeBrief.map { t("plan_version_short").replacingOccurrences(of: "{n}", with: String($0)) }
                    ?? "—")
            html.markup("</td>")
            if row.lacking.isEmpty {
                html.markup("<td>✓</td>")
            } else {
                html.markup("<td class=\"overdue\">")
                html.text(row.lacking.joined(separator: ", "))
                html.markup("</td>")
            }
            html.markup("<td>")
            html.text(row.relocationBriefed ? "✓" : "—")
            html.markup("</td><td>")
            html.markup("<span class=\"nowrap\">")
            html.text(row.grabBag.map(t.isolatedMinute) ?? "—")
            html.markup("</span></td></tr>")
        }
        html.markup("</tbody></table></div>\n<section id=\"catalogue\"><h2>")
        html.text(t("readiness_catalogue"))
        html.markup("</h2><ul>")
        for course in m.courses {
            html.markup("<li>")
            html.text(course.name)
            html.markup(" <small>")
            html.text(
                course.validityMonths == 0
                    ? t("training_no_expiry")
                    : t("training_validity").replacingOccurrences(of: "{months}", with: String(course.validityMonths)))
            html.markup("</small></li>")
        }
        html.markup("</ul><p><small>")
        html.text(m.requirements.joined(separator: " "))
        html.markup("</small></p></section>\n")
        return html
    }
}

/// Trainings given to National Society personnel: topic, date, place, trainers, and participants
/// counted by sex and National Society.
public enum SessionsPage {
    public struct Model: Sendable {
        public let code: String
        public let sessions: [TrainingSession]
        public let values: [String: String]
        public let errors: [String: String]
        public init(code: String, sessions: [TrainingSession], values: [String: String], errors: [String: String]) {
            self.code = code
            self.sessions = sessions
            self.values = values
            self.errors = errors
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), e = m.errors
        var html = HTML()
        html.crumbs(
            t, operation: m.code, [(t("people_title"), .people(code)), (t("readiness_title"), .readiness(code))])
        html.markup("<h1>")
        html.text(t("sessions_title"))
        html.markup("</h1>\n")
        let total = m.sessions.reduce(0) { $0.saturatingAdding($1.total) }
        html.markup("<p id=\"sessions-total\">")
        html.text(
            t("sessions_summary").replacingOccurrences(of: "{sessions}", with: String(m.sessions.count))
                .replacingOccurrences(of: "{people}", with: String(total)))
        html.markup("</p>\n")
        if !m.sessions.isEmpty {
            html.markup("<div class=\"scroll\"><table class=\"list\" id=\"sessions\">")
            html.tableHead([
                t("session_topic"), t("session_held_on"), t("session_place"), t("session_trainers"),
                t("session_participants"),
            ])
            html.markup("<tbody>")
            for session in m.sessions {
                html.markup("<tr><td>")
                html.text(session.topic)
                html.markup("</td><td class=\"nowrap\">")
                html.text(DateText.day(session.heldOn))
                html.markup("</td><td>")
                html.text(session.place)
                html.markup("</td><td>")
                html.text(session.trainers)
                html.markup("</td><td>")
                html.text(
                    session.participants.map {
                        "\($0.nationalSociety): \(t("sex_female")) \($0.female), \(t("sex_male")) \($0.male)"
                            + ($0.other > 0 ? ", \(t("sex_other")) \($0.other)" : "")
                    }.joined(separator: "; "))
                html.markup("</td></tr>")
            }
            html.markup("</tbody></table></div>\n")
        }
        html.markup("<h2>")
        html.text(t("sessions_new"))
        html.markup("</h2>")
        html.formErrors(t, e)
        html.markup("<form method=\"post\" class=\"stack narrow\" action=\"")
        html.url(.trainingSessions(code))
        html.markup("\">")
        html.csrfField(page.csrf)
        html.field(
            "topic", label: t("session_topic"), value: m.values["topic"] ?? "", errors: e, attributes: "required")
        html.field(
            "held_on", label: t("session_held_on"), value: m.values["held_on"] ?? "", errors: e,
            attributes: "type=\"date\" required")
        html.field("place", label: t("session_place"), value: m.values["place"] ?? "", errors: e)
        html.field("trainers", label: t("session_trainers"), value: m.values["trainers"] ?? "", errors: e)
        html.markup("<div class=\"table-box\"><table class=\"casualties\"><thead><tr><th scope=\"col\">")
        html.text(t("session_national_society"))
        html.markup("</th><th scope=\"col\">")
        html.text(t("sex_female"))
        html.markup("</th><th scope=\"col\">")
        html.text(t("sex_male"))
        html.markup("</th><th scope=\"col\">")
        html.text(t("sex_other"))
        html.markup("</th></tr></thead><tbody>")
        for row in 0..<3 {
            html.markup("<tr>")
            for (column, numeric) in [("national_society", false), ("female", true), ("male", true), ("other", true)] {
                let name = "participants[\(row)][\(column)]"
                html.markup("<td><input")
                html.attribute("name", name)
                html.attribute("aria-label", t("session_participants") + " \(row + 1) · " + column)
                html.attribute("value", m.values[name] ?? "")
                html.markup(numeric ? " inputmode=\"numeric\" dir=\"ltr\" size=\"5\"></td>" : "></td>")
            }
            html.markup("</tr>")
        }
        html.markup("</tbody></table></div>")
        html.fieldError(e, "participants")
        for row in 0..<3 { html.fieldError(e, "participants[\(row)]") }
        html.submitButton(t("form_save"))
        return html
    }
}

/// The relocation list for an area and a phase, made for paper: who goes, in which group and
/// order, from which assembly point, ready or not; who stays; the plan's trigger for that phase.
public enum RelocationListPage {
    public struct Row: Sendable {
        public let line: PersonLine
        public let group: String
        public let priority: Int?
        public let assemblyPoint: String?
        public let choice: RelocationChoice?
        public let briefed: Bool
        public let grabBag: Date?
        public init(
            line: PersonLine, group: String, priority: Int?, assemblyPoint: String?, choice: RelocationChoice?,
            briefed: Bool, grabBag: Date?
        ) {
            self.line = line
            self.group = group
            self.priority = priority
            self.assemblyPoint = assemblyPoint
            self.choice = choice
            self.briefed = briefed
            self.grabBag = grabBag
        }
    }

    public struct Model: Sendable {
        public let code: String
        public let operationName: String
        public let areas: [Choice]
        public let phases: [Choice]
        public let area: String?
        public let phase: String?
        public let trigger: String?
        public let whoGoes: String?
        public let planVersion: Int?
        public let rows: [Row]
        public let printedAt: Date
        public init(
            code: String, operationName: String, areas: [Choice], phases: [Choice], area: String?, phase: String?,
            trigger: String?, whoGoes: String?, planVersion: Int?, rows: [Row], printedAt: Date
        ) {
            self.code = code
            self.operationName = operationName
            self.areas = areas
            self.phases = phases
            self.area = area
            self.phase = phase
            self.trigger = trigger
            self.whoGoes = whoGoes
            self.planVersion = planVersion
            self.rows = rows
            self.printedAt = printedAt
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(
            t, operation: m.code, [(t("people_title"), .people(code)), (t("readiness_title"), .readiness(code))])
        html.printFrameStart(t, operation: m.operationName, at: m.printedAt)
        html.markup("<h1>")
        html.text(t("relocation_list_title") + (m.area.map { " · " + $0 } ?? ""))
        html.markup("</h1>\n<form method=\"get\" class=\"inline filters no-print\">")
        html.select("area", label: t("field_area"), m.areas, blank: nil, errors: [:])
        html.select("phase", label: t("field_phase"), m.phases, blank: nil, errors: [:])
        html.markup("<button type=\"submit\">")
        html.text(t("filter"))
        html.markup("</button> <button type=\"button\" id=\"print\" data-print hidden>")
        html.text(t("contact_list_print"))
        html.markup("</button></form>\n")
        if let trigger = m.trigger {
            html.markup("<p class=\"notice\" id=\"trigger\"><strong>")
            html.text(
                t("relocation_trigger")
                    + (m.planVersion.map {
                        " (" + t("plan_version_short").replacingOccurrences(of: "{n}", with: String($0)) + ")"
                    } ?? ""))
            html.markup("</strong> ")
            html.text(trigger)
            html.markup("</p>\n")
        }
        if let whoGoes = m.whoGoes, !whoGoes.isEmpty {
            html.markup("<p><strong>")
            html.text(t("relocation_who_goes"))
            html.markup("</strong> ")
            html.text(whoGoes)
            html.markup("</p>\n")
        }
        for (choice, title) in [
            (RelocationChoice.relocates, t("relocation_choice_relocates")), (.stays, t("relocation_choice_stays")),
            (nil, t("relocation_undecided")),
        ] {
            let rows = m.rows.filter { $0.choice == choice }
            guard !rows.isEmpty else { continue }
            html.markup("<section class=\"contact-group\"><h2>")
            html.text(title + " (" + String(rows.count) + ")")
            html.markup("</h2><div class=\"scroll\"><table class=\"list contacts\">")
            html.tableHead([
                t("field_relocation_group"), t("field_name"), t("field_phone"), t("field_assembly_point"),
                t("readiness_ready"),
            ])
            html.markup("<tbody>")
            for row in rows {
                html.markup("<tr><td>")
                html.text(row.group + (row.priority.map { " · \($0)" } ?? ""))
                html.markup("</td><th scope=\"row\">")
                html.text(row.line.name)
                html.markup("</th><td>")
                for (index, number) in row.line.phones.prefix(2).enumerated() {
                    if index > 0 { html.markup("<br>") }
                    html.phone(number, t)
                }
                html.markup("</td><td>")
                html.text(row.assemblyPoint ?? "—")
                html.markup("</td><td>")
                html.text(
                    (row.briefed
                        ? "✓ " + t("briefing_kind_relocation_plan") : "✗ " + t("briefing_kind_relocation_plan"))
                        + " · "
                        + (row.grabBag != nil ? "✓ " + t("readiness_grab_bag") : "✗ " + t("readiness_grab_bag")))
                html.markup("</td></tr>")
            }
            html.markup("</tbody></table></div></section>\n")
        }
        if m.rows.isEmpty { html.paragraph(t("relocation_nobody")) }
        html.printFrameEnd()
        html.markup("<script src=\"")
        html.url(.printScript)
        html.markup("\" defer></script>\n")
        return html
    }
}
