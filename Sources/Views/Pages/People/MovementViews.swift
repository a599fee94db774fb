import Domain
import Foundation

/// A movement as the board and its page show it.
public struct MovementLine: Sendable {
    public let id: MovementID
    public let number: Int
    public let purpose: String
    public let status: MovementStatus
    public let overdue: Bool
    public let passengers: [(id: PersonID, name: String)]
    public let route: [String]
    public let departure: Date
    public let expectedArrival: Date
    /// "departed · 10:02 · IFRC Sub-office Kassala"
    public let lastCheckIn: String?
    public let missingApprovals: [MovementAuthority]

    public init(
        id: MovementID, number: Int, purpose: String, status: MovementStatus, overdue: Bool,
        passengers: [(id: PersonID, name: String)], route: [String], departure: Date, expectedArrival: Date,
        lastCheckIn: String?, missingApprovals: [MovementAuthority]
    ) {
        self.id = id
        self.number = number
        self.purpose = purpose
        self.status = status
        self.overdue = overdue
        self.passengers = passengers
        self.route = route
        self.departure = departure
        self.expectedArrival = expectedArrival
        self.lastCheckIn = lastCheckIn
        self.missingApprovals = missingApprovals
    }
}

extension HTML {
    mutating func movementStatus(_ line: MovementLine, _ t: Strings) {
        if line.overdue {
            markup("<span class=\"tag serious\">")
            text(t("movement_overdue"))
            markup("</span>")
        } else {
            markup("<span class=\"tag\">")
            text(t(line.status.labelKey))
            markup("</span>")
        }
    }
}

/// The movement board: every movement not closed, overdue ones first, and those closed lately.
public enum MovementBoard {
    public struct Model: Sendable {
        public let code: String
        public let rows: [MovementLine]
        public let graceMinutes: Int
        public init(code: String, rows: [MovementLine], graceMinutes: Int) {
            self.code = code
            self.rows = rows
            self.graceMinutes = graceMinutes
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code)
        html.markup("<h1>")
        html.text(t("movements_title"))
        html.markup("</h1>\n<p class=\"actions\">")
        html.link(.newMovement(code), t("movements_new"), "class=\"button primary\"")
        html.markup("</p>\n<p><small>")
        html.text(t("movements_overdue_rule").replacingOccurrences(of: "{minutes}", with: String(m.graceMinutes)))
        html.markup("</small></p>\n")
        if m.rows.isEmpty {
            html.paragraph(t("movements_none"))
            return html
        }
        html.markup("<div class=\"scroll\"><table class=\"list\" id=\"movements\">")
        html.tableHead([
            t("movement_number"), t("movement_status_column"), t("movement_passengers"), t("movement_route"),
            t("movement_expected_arrival"), t("movement_last_check_in"),
        ])
        html.markup("<tbody>")
        for row in m.rows {
            html.markup(row.overdue ? "<tr class=\"flagged\"><td>" : "<tr><td>")
            html.link(.movement(code, .value(row.id)), String(row.number))
            html.markup(" <small>")
            html.text(row.purpose)
            html.markup("</small></td><td>")
            html.movementStatus(row, t)
            html.markup("</td><td>")
            html.text(row.passengers.map(\.name).joined(separator: ", "))
            html.markup("</td><td>")
            html.text(row.route.joined(separator: t.rightToLeft ? " ← " : " → "))
            html.markup("</td><td class=\"nowrap\">")
            html.text(t.isolatedMinute(row.expectedArrival))
            html.markup("</td><td>")
            html.text(row.lastCheckIn ?? "—")
            html.markup("</td></tr>")
        }
        html.markup("</tbody></table></div>\n")
        return html
    }
}

/// One movement: the request, the decision (refusals or approvals), check-ins, and what the
/// reader may do next.
public enum MovementPage {
    public struct Model: Sendable {
        public let code: String
        public let line: MovementLine
        public let driver: String?
        public let vehicles: String
        public let departure: Date
        public let radioChannel: String
        public let satellitePhone: String
        public let highestPhase: String?
        public let refusals: [String]
        public let approvals: [(authority: MovementAuthority, by: String?, at: Date?)]
        /// Approvals the reader may give now.
        public let canApprove: [MovementAuthority]
        public let checkIns: [(label: String, at: Date, by: String?, note: String)]
        /// The route's points, to check in at.
        public let waypoints: [String]
        public let canCheckIn: Bool
        public let canCancel: Bool
        public let canResolve: Bool
        public let overdueNote: String?
        public let errors: [String: String]

        public init(
            code: String, line: MovementLine, driver: String?, vehicles: String, departure: Date, radioChannel: String,
            satellitePhone: String, highestPhase: String?, refusals: [String],
            approvals: [(authority: MovementAuthority, by: String?, at: Date?)], canApprove: [MovementAuthority],
            checkIns: [(label: String, at: Date, by: String?, note: String)], waypoints: [String], canCheckIn: Bool,
            canCancel: Bool, canResolve: Bool, overdueNote: String?, errors: [String: String]
        ) {
            self.code = code
            self.line = line
            self.driver = driver
            self.vehicles = vehicles
            self.departure = departure
            self.radioChannel = radioChannel
            self.satellitePhone = satellitePhone
            self.highestPhase = highestPhase
            self.refusals = refusals
            self.approvals = approvals
            self.canApprove = canApprove
            self.checkIns = checkIns
            self.waypoints = waypoints
            self.canCheckIn = canCheckIn
            self.canCancel = canCancel
            self.canResolve = canResolve
            self.overdueNote = overdueNote
            self.errors = errors
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), id = Parameter.value(m.line.id)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("movements_title"), .movements(code))])
        html.markup("<h1>")
        html.text(t("movement_name").replacingOccurrences(of: "{n}", with: String(m.line.number)))
        html.markup(" ")
        html.movementStatus(m.line, t)
        html.markup("</h1>\n")
        html.formErrors(t, m.errors)
        // The check-in and resolution forms have few fields: every message is said at the top.
        for key in m.errors.keys.sorted() { html.fieldError(m.errors, key) }
        if !m.refusals.isEmpty {
            html.markup("<section class=\"notice\" id=\"refusals\"><h2>")
            html.text(t("movement_refused_title"))
            html.markup("</h2><ul>")
            for reason in m.refusals {
                html.markup("<li>")
                html.text(reason)
                html.markup("</li>")
            }
            html.markup("</ul></section>\n")
        }
        html.markup("<dl class=\"facts\">")
        func fact(_ label: String, _ value: String) {
            html.markup("<dt>")
            html.text(label)
            html.markup("</dt><dd>")
            html.text(value)
            html.markup("</dd>")
        }
        fact(t("movement_purpose"), m.line.purpose)
        fact(t("movement_passengers"), m.line.passengers.map(\.name).filter { $0 != m.driver }.joined(separator: ", "))
        if let driver = m.driver { fact(t("movement_driver"), driver) }
        if !m.vehicles.isEmpty { fact(t("movement_vehicles"), m.vehicles) }
        fact(t("movement_route"), m.line.route.joined(separator: t.rightToLeft ? " ← " : " → "))
        if let phase = m.highestPhase { fact(t("movement_highest_phase"), t.phase(phase)) }
        fact(t("movement_departure"), t.isolatedMinute(m.departure))
        fact(t("movement_expected_arrival"), t.isolatedMinute(m.line.expectedArrival))
        if !m.radioChannel.isEmpty { fact(t("movement_radio_channel"), m.radioChannel) }
        if !m.satellitePhone.isEmpty { fact(t("phone_kind_satellite"), m.satellitePhone) }
        if let note = m.overdueNote { fact(t("movement_overdue_note"), note) }
        html.markup("</dl>\n")
        // An overdue movement's resolution comes first: it is what the reader is here for.
        if m.canResolve {
            html.markup("<section id=\"resolve\" class=\"notice\"><h2>")
            html.text(t("movement_resolve"))
            html.markup("</h2><form method=\"post\" class=\"stack narrow\" action=\"")
            html.url(.resolveMovement(code, id))
            html.markup("\">")
            html.csrfField(page.csrf)
            html.field(
                "note", id: "resolve-note", label: t("movement_resolve_note"), value: "", errors: m.errors,
                attributes: "required")
            html.field(
                "expected_arrival", id: "resolve-expected-arrival", label: t("movement_new_expected_arrival"),
                value: "",
                errors: m.errors,
                attributes: "type=\"datetime-local\"")
            html.submitButton(t("movement_resolve_button"), closing: "</form></section>\n")
        }
        if !m.approvals.isEmpty {
            html.markup("<section id=\"approvals\"><h2>")
            html.text(t("movement_approvals"))
            html.markup("</h2><ul class=\"approvals\">")
            for approval in m.approvals {
                html.markup(approval.at == nil ? "<li class=\"missing\">" : "<li>")
                html.text(t(approval.authority.labelKey))
                html.markup(" <small>")
                if let at = approval.at {
                    html.text((approval.by ?? "") + " · " + t.isolatedMinute(at))
                } else {
                    html.text(t("movement_waiting"))
                }
                html.markup("</small>")
                if approval.at == nil && m.canApprove.contains(approval.authority) {
                    html.markup(" <form method=\"post\" class=\"inline\" action=\"")
                    html.url(.movementApprovals(code, id))
                    html.markup("\">")
                    html.csrfField(page.csrf)
                    html.markup("<input type=\"hidden\" name=\"authority\"")
                    html.attribute("value", approval.authority.rawValue)
                    html.markup("><button type=\"submit\" class=\"primary small\">")
                    html.text(t("movement_approve"))
                    html.markup("</button></form>")
                }
                html.markup("</li>")
            }
            html.markup("</ul></section>\n")
        }
        if m.canCheckIn { html.append(checkInForm(m, page)) }
        if !m.checkIns.isEmpty {
            html.markup("<section id=\"check-ins\"><h2>")
            html.text(t("movement_check_ins"))
            html.markup("</h2><ul class=\"plain timeline\">")
            for entry in m.checkIns.reversed() {
                html.markup("<li>")
                html.text(entry.label)
                html.markup(" <small>")
                html.text(t.isolatedMinute(entry.at) + (entry.by.map { " · " + $0 } ?? ""))
                html.markup("</small>")
                if !entry.note.isEmpty {
                    html.markup("<br>")
                    html.text(entry.note)
                }
                html.markup("</li>")
            }
            html.markup("</ul></section>\n")
        }
        if m.canCancel {
            html.buttonForm(
                .cancelMovement(code, id), csrf: page.csrf, label: t("movement_cancel"), buttonClass: "danger")
        }
        return html
    }

    /// Check-ins in one tap: departed, each waypoint, arrived; a note and the phone's position optional.
    static func checkInForm(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings
        var html = HTML()
        html.markup("<section id=\"check-in\"><h2>")
        html.text(t("movement_check_in"))
        html.markup("</h2>")
        html.captureStatus(t)
        html.markup("<form method=\"post\" class=\"stack narrow\" action=\"")
        html.url(.movementCheckIns(.value(m.code), .value(m.line.id)))
        html.markup("\"")
        html.captureForm(t("movement_name").replacingOccurrences(of: "{n}", with: String(m.line.number)))
        html.markup(">")
        html.csrfField(page.csrf)
        html.field("note", id: "check-in-note", label: t("field_note"), value: "", errors: m.errors)
        html.markup("<ul class=\"plain one-tap\">")
        var buttons: [(String, String)] = []
        if m.line.status == .approved { buttons.append(("departed", t("check_in_departed"))) }
        for (index, point) in m.waypoints.enumerated() where index > 0 && index < m.waypoints.count - 1 {
            buttons.append(("waypoint:\(index)", t("check_in_at").replacingOccurrences(of: "{place}", with: point)))
        }
        buttons.append(("arrived", t("check_in_arrived")))
        for (value, label) in buttons {
            html.markup("<li><button type=\"submit\" name=\"check_in\" class=\"primary\"")
            html.attribute("value", value)
            html.markup(">")
            html.text(label)
            html.markup("</button></li>")
        }
        html.markup("</ul></form></section>\n")
        return html
    }
}

/// The request form: passengers from the register, the vehicle and driver, the route from the
/// operation's sites and areas (or coordinates), times and communications.
public enum MovementForm {
    /// The form's fields as typed: the movement decoder's input.
    public typealias Values = MovementInput

    public struct Model: Sendable {
        public let code: String
        public let values: Values
        public let people: [(id: PersonID, name: String)]
        public let places: [Choice]
        public let errors: [String: String]
        public init(
            code: String, values: Values, people: [(id: PersonID, name: String)], places: [Choice],
            errors: [String: String]
        ) {
            self.code = code
            self.values = values
            self.people = people
            self.places = places
            self.errors = errors
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, v = m.values, e = m.errors, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("movements_title"), .movements(code))])
        html.markup("<h1>")
        html.text(t("movements_new"))
        html.markup("</h1>\n<p><small>")
        html.text(t("movements_rules_help"))
        html.markup("</small></p>\n")
        html.formErrors(t, e)
        html.markup("<form method=\"post\" class=\"stack narrow\" action=\"")
        html.url(.movements(code))
        html.markup("\">")
        html.csrfField(page.csrf)
        html.field("purpose", label: t("movement_purpose"), value: v.purpose, errors: e, attributes: "required")
        html.markup("\n  <fieldset class=\"scroll-list\"><legend>")
        html.text(t("movement_passengers"))
        html.markup("</legend>")
        for person in m.people {
            html.markup("<label class=\"check\"><input type=\"checkbox\" name=\"passengers[]\"")
            html.attribute("value", person.id.uuidString)
            html.markup(v.passengers.contains(person.id.uuidString) ? " checked> " : "> ")
            html.text(person.name)
            html.markup("</label>")
        }
        html.markup("</fieldset>")
        html.fieldError(e, "passengers")
        html.select(
            "driver", label: t("movement_driver"),
            m.people.map { Choice(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == v.driver) },
            blank: "—", errors: e)
        html.field("vehicles", label: t("movement_vehicles"), value: v.vehicles, errors: e)
        html.markup("\n  <fieldset><legend>")
        html.text(t("movement_route"))
        html.markup("</legend><small>")
        html.text(t("movement_route_help"))
        html.markup("</small>")
        let labels = [t("movement_origin"), t("movement_waypoint"), t("movement_waypoint"), t("movement_destination")]
        for (index, label) in labels.enumerated() {
            let value = index < v.route.count ? v.route[index] : ""
            let chosen = m.places.map { Choice(value: $0.value, label: $0.label, selected: $0.value == value) }
            html.markup("\n  <label")
            html.attribute("for", "route-\(index)")
            html.markup(">")
            html.text(label)
            html.markup("</label><select name=\"route[]\"")
            html.attribute("id", "route-\(index)")
            html.markup("><option value=\"\">—</option>")
            html.options(chosen)
            html.markup("</select><input name=\"route_coordinates[]\" inputmode=\"decimal\" dir=\"ltr\"")
            html.attribute("aria-label", label + " — " + t("movement_or_coordinates"))
            // The example alone: an Arabic phrase inside a left-to-right field would turn the pair around.
            html.attribute("placeholder", "15.45, 36.40")
            // A point typed as coordinates is shown back in its own field.
            if !value.isEmpty && !m.places.contains(where: { $0.value == value }) { html.attribute("value", value) }
            html.markup(">")
        }
        html.markup("</fieldset>")
        html.fieldError(e, "route")
        html.field(
            "departure", label: t("movement_departure"), value: v.departure, errors: e,
            attributes: "type=\"datetime-local\" required")
        html.field(
            "expected_arrival", label: t("movement_expected_arrival"), value: v.expectedArrival, errors: e,
            attributes: "type=\"datetime-local\" required")
        html.field(
            "radio_channel", label: t("movement_radio_channel"), value: v.radioChannel, errors: e,
            attributes: "dir=\"ltr\"")
        html.field(
            "satellite_phone", label: t("phone_kind_satellite"), value: v.satellitePhone, errors: e,
            attributes: "type=\"tel\" dir=\"ltr\"")
        html.markup("\n  <button type=\"submit\" class=\"primary\" id=\"request\">")
        html.text(t("movements_request"))
        html.markup("</button>\n</form>\n")
        return html
    }
}
