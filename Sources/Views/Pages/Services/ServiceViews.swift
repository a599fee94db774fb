import Domain
import Foundation
import Geo

/// One service as the directory's pages show it.
public struct ServiceSummary: Sendable {
    public let id: ServiceID
    public let draft: ServiceDraft
    /// "Gedaref (SD05)", or nil.
    public let area: String?
    /// The site's name when the service is at one of the operation's sites.
    public let siteName: String?
    /// Distance from the site a pathway is printed for, in km.
    public let distanceKm: Double?

    public init(id: ServiceID, draft: ServiceDraft, area: String?, siteName: String?, distanceKm: Double? = nil) {
        self.id = id
        self.draft = draft
        self.area = area
        self.siteName = siteName
        self.distanceKm = distanceKm
    }

    /// Does it take referrals now (active, and says it accepts them)?
    public var takesReferrals: Bool { draft.acceptsReferrals && draft.status == .active }
}

extension HTML {
    /// The badges that tell a coordinator at a glance whether to refer there.
    mutating func serviceBadges(_ s: ServiceSummary, _ t: Strings) {
        markup("<span class=\"tags\">")
        if s.draft.status != .active {
            markup("<span class=\"tag service-closed\">")
            text(t(s.draft.status.labelKey))
            markup("</span> ")
        }
        markup(s.takesReferrals ? "<span class=\"tag takes-referrals\">" : "<span class=\"tag\">")
        text(t(s.draft.acceptsReferrals ? "services_accepts_referrals" : "services_no_referrals"))
        markup("</span> ")
        if s.draft.acceptsReferrals {
            markup("<span class=\"tag\">")
            text(t(s.draft.consentRequired ? "services_consent_required" : "services_consent_not_required"))
            markup("</span>")
        }
        markup("</span>")
    }

    /// Phones as `tel:` links, left to right whatever the page's direction.
    mutating func servicePhones(_ phones: [ServicePhone], _ t: Strings) {
        for (n, phone) in phones.enumerated() {
            if n > 0 { markup("<br>") }
            markup("<a class=\"phone\" dir=\"ltr\" href=\"tel:")
            text(phone.number.filter { $0.isNumber || $0 == "+" })
            markup("\">")
            text(phone.number)
            markup("</a>")
            if phone.kind != .voice {
                markup(" <small>")
                text(t("phone_kind_" + phone.kind.rawValue))
                markup("</small>")
            }
            if let note = phone.note {
                markup(" <small><bdi>")
                text(note)
                markup("</bdi></small>")
            }
        }
    }

    mutating func serviceHours(_ draft: ServiceDraft, _ t: Strings) {
        for (n, slot) in draft.hours.enumerated() {
            if n > 0 { markup("<br>") }
            text(
                slot.runs.flatMap { run in
                    run.count >= 3
                        ? [t(run[0].labelKey) + "–" + t(run[run.count - 1].labelKey)] : run.map { t($0.labelKey) }
                }.joined(separator: ", "))
            markup(" <span dir=\"ltr\">")
            text(slot.opensAt + "–" + slot.closesAt)
            markup("</span>")
        }
        if let note = draft.hoursNote {
            if !draft.hours.isEmpty { markup("<br>") }
            markup("<small><bdi>")
            text(note)
            markup("</bdi></small>")
        }
    }
}

/// The referral directory: filter by sector, population type and whether a service takes referrals.
public enum ServiceList {
    public struct Model: Sendable {
        public let code: String
        public let rows: [ServiceSummary]
        public let sector: IFRCSector?
        public let populationType: PopulationType?
        public let takesReferrals: Bool
        public let search: String
        public let paging: PagePosition
        public let canManage: Bool
        public let map: SVG?
        /// The referrals (or their figures) link, for members of the Movement.
        public var referralsLink = false

        public init(
            code: String, rows: [ServiceSummary], sector: IFRCSector?, populationType: PopulationType?,
            takesReferrals: Bool, search: String, paging: PagePosition, canManage: Bool, map: SVG?
        ) {
            self.code = code
            self.rows = rows
            self.sector = sector
            self.populationType = populationType
            self.takesReferrals = takesReferrals
            self.search = search
            self.paging = paging
            self.canManage = canManage
            self.map = map
        }

        var query: [(String, String)] {
            var query: [(String, String)] = []
            if let sector { query.append(("sector", sector.rawValue)) }
            if let populationType { query.append(("population_type", populationType.rawValue)) }
            if takesReferrals { query.append(("referrals", "1")) }
            if !search.isEmpty { query.append(("q", search)) }
            return query
        }
    }

    public static func title(_ t: Strings) -> String { t("services_title") }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code)
        html.markup("<h1>")
        html.text(t("services_title"))
        html.markup("</h1>\n<p>")
        html.text(t("services_intro"))
        html.markup("</p>\n<p class=\"actions\">")
        if m.canManage {
            html.link(.newService(code), t("services_new"), "class=\"button primary\"")
            html.markup(" ")
            html.link(.servicesImport(code), t("services_import"), "class=\"button\"")
            html.markup(" ")
        }
        if m.referralsLink {
            html.link(.referrals(code), t("referrals_title"), "id=\"referrals\" class=\"button\"")
            html.markup(" ")
        }
        html.link(.activities(code), t("activities_title"), "id=\"activities\" class=\"button\"")
        html.markup(" ")
        html.link(.assessments(code), t("assessments_title"), "id=\"assessments\" class=\"button\"")
        html.markup(" ")
        html.text(t("services_download") + ": ")
        for (n, format) in [("zip", "HSDS CSV (ZIP)"), ("json", "HSDS JSON")].enumerated() {
            if n > 0 { html.markup(" · ") }
            html.markup("<a href=\"")
            html.text(SiteURL.servicesExport(code).path(query: [("format", format.0)]))
            html.markup("\">")
            html.text(format.1)
            html.markup("</a>")
        }
        html.markup("</p>\n<form method=\"get\" class=\"inline filters\" role=\"search\">\n  <label for=\"q\">")
        html.text(t("services_search"))
        html.markup("</label><input id=\"q\" name=\"q\"")
        html.attribute("value", m.search)
        html.markup(">\n  <label for=\"sector\">")
        html.text(t("field_sector"))
        html.markup("</label><select id=\"sector\" name=\"sector\"><option value=\"\">")
        html.text(t("all"))
        html.markup("</option>")
        html.options(
            IFRCSector.allCases.map { Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0 == m.sector) })
        html.markup("</select>\n  <label for=\"population_type\">")
        html.text(t("field_population_type"))
        html.markup("</label><select id=\"population_type\" name=\"population_type\"><option value=\"\">")
        html.text(t("all"))
        html.markup("</option>")
        html.options(
            PopulationType.allCases.filter { $0 != .totalPopulation }.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0 == m.populationType)
            })
        html.markup("</select>\n  <label><input type=\"checkbox\" name=\"referrals\" value=\"1\"")
        if m.takesReferrals { html.markup(" checked") }
        html.markup("> ")
        html.text(t("services_filter_referrals"))
        html.markup("</label>\n  <button type=\"submit\">")
        html.text(t("filter"))
        html.markup("</button>\n</form>\n")
        if m.rows.isEmpty {
            html.paragraph(t("services_none"))
        } else {
            html.markup("<div class=\"scroll\"><table class=\"list\" id=\"services\">")
            html.tableHead([
                t("field_service"), t("field_organization"), t("field_place"), t("field_sector"), t("field_phone"),
            ])
            html.markup("<tbody>")
            for row in m.rows {
                html.markup("<tr><th scope=\"row\">")
                html.link(.service(code, .value(row.id)), row.draft.name)
                html.serviceBadges(row, t)
                html.markup("</th><td><bdi>")
                html.text(row.draft.organization)
                html.markup("</bdi></td><td>")
                html.text(row.draft.location?.name ?? t("services_no_place"))
                if let area = row.area {
                    html.markup("<br><small>")
                    html.text(area)
                    html.markup("</small>")
                }
                html.markup("</td><td>")
                html.text(row.draft.sectors.map { t($0.labelKey) }.joined(separator: ", "))
                html.markup("</td><td>")
                html.servicePhones(Array(row.draft.phones.prefix(2)), t)
                html.markup("</td></tr>")
            }
            html.markup("</tbody></table></div>\n")
            html.pager(t, m.paging, base: .services(code), query: m.query)
        }
        if let map = m.map {
            html.markup("<figure class=\"map\">")
            html.svg(map)
            html.markup("<figcaption>")
            html.text(t("services_map_caption"))
            html.markup("</figcaption></figure>\n")
        }
        return html
    }
}

/// One service: everything a caseworker needs to refer someone there.
public enum ServicePage {
    public struct Model: Sendable {
        public let code: String
        public let service: ServiceSummary
        public let map: SVG?
        public let canManage: Bool

        public init(code: String, service: ServiceSummary, map: SVG?, canManage: Bool) {
            self.code = code
            self.service = service
            self.map = map
            self.canManage = canManage
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), s = m.service, d = s.draft
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("services_title"), .services(code))])
        html.markup("<h1>")
        html.text(d.name)
        html.markup("</h1>\n<p>")
        html.serviceBadges(s, t)
        html.markup("</p>\n")
        if m.canManage {
            // A div: a form may not sit inside a paragraph.
            html.markup("<div class=\"actions\">")
            html.link(.editService(code, .value(s.id)), t("form_edit"), "class=\"button\"")
            html.markup(" ")
            html.buttonForm(
                .deleteService(code, .value(s.id)), csrf: page.csrf, label: t("form_delete"), buttonClass: "danger")
            html.markup("</div>\n")
        }
        html.markup("<div class=\"grid\">\n<dl class=\"facts\">\n")
        html.fact(t("field_organization"), d.organization)
        if let description = d.description { html.fact(t("field_service_description"), description, "class=\"notes\"") }
        html.fact(t("field_service_status"), t(d.status.labelKey))
        if !d.sectors.isEmpty { html.fact(t("field_sector"), d.sectors.map { t($0.labelKey) }.joined(separator: ", ")) }
        if !d.populationTypes.isEmpty {
            html.fact(t("field_population_types"), d.populationTypes.map { t($0.labelKey) }.joined(separator: ", "))
        }
        if let eligibility = d.eligibility { html.fact(t("field_eligibility"), eligibility) }
        if d.minimumAge != nil || d.maximumAge != nil {
            html.fact(
                t("field_ages"),
                (d.minimumAge.map(String.init) ?? "0") + "–" + (d.maximumAge.map(String.init) ?? "…"), "dir=\"ltr\"")
        }
        if !d.languages.isEmpty { html.fact(t("field_service_languages"), d.languages.joined(separator: ", ")) }
        html.fact(t("field_fees"), d.fees ?? t("services_free"))
        if let focal = d.referralFocalPoint { html.fact(t("field_referral_focal_point"), focal) }
        if !d.phones.isEmpty {
            html.markup("<dt>")
            html.text(t("field_phone"))
            html.markup("</dt><dd>")
            html.servicePhones(d.phones, t)
            html.markup("</dd>\n")
        }
        if let email = d.email { html.fact(t("field_email"), email, "dir=\"ltr\"") }
        if let url = d.url {
            html.markup("<dt>")
            html.text(t("field_url"))
            html.markup("</dt><dd dir=\"ltr\"><a rel=\"noopener noreferrer\" href=\"")
            html.text(url)
            html.markup("\">")
            html.text(url)
            html.markup("</a></dd>\n")
        }
        if !d.hours.isEmpty || d.hoursNote != nil {
            html.markup("<dt>")
            html.text(t("field_hours"))
            html.markup("</dt><dd>")
            html.serviceHours(d, t)
            html.markup("</dd>\n")
        }
        if let place = d.location {
            html.fact(t("field_place"), [place.name, place.address].compactMap { $0 }.joined(separator: ", "))
            if let lat = place.latitude, let lon = place.longitude {
                html.fact(
                    t("field_coordinates"),
                    DecimalText.fixed(lat, digits: 5) + ", " + DecimalText.fixed(lon, digits: 5),
                    "dir=\"ltr\" class=\"code\"")
            }
            if let area = s.area { html.fact(t("field_area"), area) }
            if let site = s.siteName { html.fact(t("field_site"), site) }
        } else {
            html.fact(t("field_place"), t("services_no_place"))
        }
        html.fact(
            t("field_last_verified"),
            d.lastVerifiedOn.map { DateText.day($0) + (d.verifiedBy.map { " (\($0))" } ?? "") }
                ?? t("services_never_verified"))
        html.markup("</dl>\n")
        if let map = m.map {
            html.markup("<figure class=\"map\">")
            html.svg(map)
            html.markup("</figure>")
        }
        html.markup("</div>\n")
        return html
    }
}

/// The form that adds a service or changes one.
public enum ServiceForm {
    public struct Model: Sendable {
        public let code: String
        public let id: ServiceID?
        public let values: ServiceInput
        public let errors: [String: String]
        public let version: String
        public let stale: StaleNotice?
        /// The operation's sites a service may be at, by name.
        public let sites: [(id: SiteID, name: String)]

        public init(
            code: String, id: ServiceID?, values: ServiceInput, errors: [String: String], version: String,
            stale: StaleNotice?, sites: [(id: SiteID, name: String)]
        ) {
            self.code = code
            self.id = id
            self.values = values
            self.errors = errors
            self.version = version
            self.stale = stale
            self.sites = sites
        }
    }

    public static func title(_ m: Model, _ t: Strings) -> String { t(m.id == nil ? "services_new" : "services_edit") }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, v = m.values, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("services_title"), .services(code))])
        html.markup("<h1>")
        html.text(title(m, t))
        html.markup("</h1>\n")
        html.formErrors(t, m.errors)
        html.staleNotice(m.stale, t)
        html.markup("<form method=\"post\" action=\"")
        html.url(m.id.map { .editService(code, .value($0)) } ?? .services(code))
        html.markup("\" class=\"stack\">\n")
        if m.id != nil {
            html.markup("<input type=\"hidden\" name=\"version\"")
            html.attribute("value", m.version)
            html.markup(">\n")
        }
        html.csrfField(page.csrf)
        func input(
            _ name: String, _ label: String, _ value: String, _ extra: StaticString = "", help: String? = nil
        ) {
            html.markup("\n  <label"); html.attribute("for", name); html.markup(">")
            html.text(t(label))
            html.markup("</label>\n  <input"); html.attribute("id", name); html.attribute("name", name)
            html.attribute("value", value)
            if extra.utf8CodeUnitCount > 0 { html.markup(" "); html.markup(extra) }
            if help != nil { html.attribute("aria-describedby", name + "-help") }
            html.markup(">")
            if let help {
                html.markup("<small class=\"help\""); html.attribute("id", name + "-help"); html.markup(">")
                html.text(t(help))
                html.markup("</small>")
            }
            html.fieldError(m.errors, name)
        }
        func area(_ name: String, _ label: String, _ value: String, rows: Int, help: String? = nil, ltr: Bool = false) {
            html.markup("\n  <label"); html.attribute("for", name); html.markup(">")
            html.text(t(label))
            html.markup("</label>\n  <textarea"); html.attribute("id", name); html.attribute("name", name);
            html.attribute("rows", String(rows))
            if ltr { html.markup(" dir=\"ltr\"") }
            if help != nil { html.attribute("aria-describedby", name + "-help") }
            html.markup(">")
            html.text(value)
            html.markup("</textarea>")
            if let help {
                html.markup("<small class=\"help\""); html.attribute("id", name + "-help"); html.markup(">")
                html.text(t(help))
                html.markup("</small>")
            }
            html.fieldError(m.errors, name)
        }
        func yesNo(_ name: String, _ label: String, _ value: String, help: String) {
            html.markup("\n  <label"); html.attribute("for", name); html.markup(">")
            html.text(t(label))
            html.markup("</label>\n  <select"); html.attribute("id", name); html.attribute("name", name);
            html.attribute("aria-describedby", name + "-help"); html.markup(">")
            html.options([
                Choice(value: "yes", label: t("yes"), selected: value == "yes"),
                Choice(value: "no", label: t("no"), selected: value == "no"),
            ])
            html.markup("</select><small class=\"help\""); html.attribute("id", name + "-help"); html.markup(">")
            html.text(t(help))
            html.markup("</small>")
            html.fieldError(m.errors, name)
        }
        input("organization", "field_organization", v.organization, "required")
        input("name", "field_service", v.name, "required")
        area("description", "field_service_description", v.description, rows: 3)
        html.markup("\n  <label for=\"status\">")
        html.text(t("field_service_status"))
        html.markup("</label>\n  <select id=\"status\" name=\"status\">")
        html.options(
            ServiceStatus.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.status)
            })
        html.markup("</select>")
        html.fieldError(m.errors, "status")
        html.markup("\n  <fieldset><legend>")
        html.text(t("services_referrals"))
        html.markup("</legend>")
        yesNo("accepts_referrals", "field_accepts_referrals", v.acceptsReferrals, help: "help_accepts_referrals")
        yesNo("consent_required", "field_consent_required", v.consentRequired, help: "help_consent_required")
        input("referral_focal_point", "field_referral_focal_point", v.referralFocalPoint)
        html.markup("\n  </fieldset>")
        html.checkboxGroup(
            legend: t("field_sector"), name: "sectors",
            IFRCSector.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: v.sectors.contains($0.rawValue))
            })
        html.fieldError(m.errors, "sectors")
        html.checkboxGroup(
            legend: t("field_population_types"), name: "population_types",
            PopulationType.allCases.filter { $0 != .totalPopulation }.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: v.populationTypes.contains($0.rawValue))
            })
        html.fieldError(m.errors, "population_types")
        area("eligibility", "field_eligibility", v.eligibility, rows: 2)
        input("minimum_age", "field_minimum_age", v.minimumAge, "inputmode=\"numeric\" dir=\"ltr\"")
        input("maximum_age", "field_maximum_age", v.maximumAge, "inputmode=\"numeric\" dir=\"ltr\"")
        input("languages", "field_service_languages", v.languages.joined(separator: ", "), help: "help_languages")
        input("fees", "field_fees", v.fees, help: "help_fees")
        area("phones", "field_phone", v.phones.joined(separator: "\n"), rows: 2, help: "help_service_phones", ltr: true)
        input("email", "field_email", v.email, "type=\"email\" dir=\"ltr\"")
        input("url", "field_url", v.url, "type=\"url\" dir=\"ltr\"")
        area("hours", "field_hours", v.hours.joined(separator: "\n"), rows: 2, help: "help_service_hours", ltr: true)
        input("hours_note", "field_hours_note", v.hoursNote)
        html.markup("\n  <fieldset><legend>")
        html.text(t("field_place"))
        html.markup("</legend>")
        input("location_name", "service_place_name", v.locationName)
        input("address", "field_address", v.address)
        input("latitude", "field_latitude", v.latitude, "inputmode=\"decimal\" dir=\"ltr\"")
        input("longitude", "field_longitude", v.longitude, "inputmode=\"decimal\" dir=\"ltr\"")
        html.markup("\n  <label for=\"site_id\">")
        html.text(t("field_site"))
        html.markup("</label>\n  <select id=\"site_id\" name=\"site_id\"><option value=\"\">")
        html.text(t("services_no_site"))
        html.markup("</option>")
        html.options(
            m.sites.map { Choice(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == v.siteID) })
        html.markup("</select>")
        html.fieldError(m.errors, "site_id")
        html.markup("\n  </fieldset>")
        input("last_verified_on", "field_last_verified", v.lastVerifiedOn, "type=\"date\" dir=\"ltr\"")
        input("verified_by", "field_verified_by", v.verifiedBy)
        html.markup("\n  <button id=\"save\" type=\"submit\" class=\"primary\">")
        html.text(t("form_save"))
        html.markup("</button>\n</form>\n")
        return html
    }
}

/// Import of an HSDS file, and its report.
public enum ServiceImportPage {
    public struct Model: Sendable {
        public let code: String
        public let report: [String]
        public let error: String?
        public init(code: String, report: [String], error: String?) {
            self.code = code
            self.report = report
            self.error = error
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("services_title"), .services(code))])
        html.markup("<h1>")
        html.text(t("services_import"))
        html.markup("</h1>\n<p>")
        html.text(t("services_import_intro"))
        html.markup("</p>\n")
        if let error = m.error {
            html.markup("<p class=\"error\" role=\"alert\" id=\"import-error\">")
            html.text(error)
            html.markup("</p>\n")
        }
        html.importReport(m.report)
        html.markup("<form method=\"post\" enctype=\"multipart/form-data\" class=\"stack\" action=\"")
        html.url(.servicesImport(code))
        html.markup("\">")
        html.csrfField(page.csrf)
        html.markup("\n  <label for=\"file\">")
        html.text(t("services_import_file"))
        html.markup(
            "</label>\n  <input id=\"file\" name=\"file\" type=\"file\" accept=\".zip,.json,.csv\" required>\n  <button type=\"submit\" class=\"primary\">"
        )
        html.text(t("import"))
        html.markup("</button>\n</form>\n")
        return html
    }
}

/// A site's referral pathway, to print and pin up: where to send someone, for what, and how.
public enum ReferralPathwayPage {
    public struct Model: Sendable {
        public let code: String
        public let operationName: String
        public let siteID: SiteID
        public let siteName: String
        public let printedAt: Date
        public let atSite: [ServiceSummary]
        public let inArea: [ServiceSummary]
        public let nearby: [ServiceSummary]
        public let everywhere: [ServiceSummary]

        public init(
            code: String, operationName: String, siteID: SiteID, siteName: String, printedAt: Date,
            atSite: [ServiceSummary], inArea: [ServiceSummary], nearby: [ServiceSummary], everywhere: [ServiceSummary]
        ) {
            self.code = code
            self.operationName = operationName
            self.siteID = siteID
            self.siteName = siteName
            self.printedAt = printedAt
            self.atSite = atSite
            self.inArea = inArea
            self.nearby = nearby
            self.everywhere = everywhere
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(
            t, operation: m.code, [(t("sites_title"), .sites(code)), (m.siteName, .site(code, .value(m.siteID)))])
        html.printFrameStart(t, operation: m.operationName, at: m.printedAt)
        html.markup("<h1>")
        html.text(t("pathway_title") + ": " + m.siteName)
        html.markup("</h1>\n<p class=\"no-print actions\"><button type=\"button\" id=\"print\" data-print hidden>")
        html.text(t("pathway_print"))
        html.markup("</button></p>\n<p>")
        html.text(t("pathway_intro"))
        html.markup("</p>\n")
        let groups: [(String, [ServiceSummary])] = [
            ("pathway_at_site", m.atSite), ("pathway_in_area", m.inArea), ("pathway_nearby", m.nearby),
            ("pathway_everywhere", m.everywhere),
        ]
        if groups.allSatisfy({ $0.1.isEmpty }) { html.paragraph(t("pathway_none")) }
        for (title, services) in groups where !services.isEmpty {
            html.markup("<section class=\"pathway-group\"><h2>")
            html.text(t(title))
            html.markup("</h2>")
            // By sector, as a caseworker looks for one: health, protection, shelter…
            let bySector = Dictionary(grouping: services) { $0.draft.sectors.first }
            let order = IFRCSector.allCases.map(Optional.some) + [nil]
            for sector in order {
                guard let list = bySector[sector], !list.isEmpty else { continue }
                html.markup("<h3>")
                html.text(sector.map { t($0.labelKey) } ?? t("services_other_sector"))
                html.markup("</h3><div class=\"scroll\"><table class=\"list pathway\">")
                html.tableHead([t("field_service"), t("field_phone"), t("field_hours"), t("services_how_to_refer")])
                html.markup("<tbody>")
                for s in list {
                    html.markup("<tr><th scope=\"row\">")
                    html.text(s.draft.name)
                    html.markup("<br><small><bdi>")
                    html.text(s.draft.organization)
                    html.markup("</bdi>")
                    if let place = s.draft.location {
                        // Each name isolated: an English name on an Arabic page keeps its words in order.
                        html.markup(" · <bdi>")
                        html.text(place.name)
                        html.markup("</bdi>")
                    }
                    if let km = s.distanceKm {
                        html.markup(" · <span dir=\"ltr\">")
                        html.text(DecimalText.fixed(km, digits: 1) + " km")
                        html.markup("</span>")
                    }
                    html.markup("</small></th><td>")
                    html.servicePhones(s.draft.phones, t)
                    html.markup("</td><td>")
                    html.serviceHours(s.draft, t)
                    html.markup("</td><td>")
                    html.serviceBadges(s, t)
                    if let focal = s.draft.referralFocalPoint {
                        html.markup("<br>")
                        html.text(focal)
                    }
                    if let eligibility = s.draft.eligibility {
                        html.markup("<br><small><bdi>")
                        html.text(eligibility)
                        html.markup("</bdi></small>")
                    }
                    html.markup("</td></tr>")
                }
                html.markup("</tbody></table></div>")
            }
            html.markup("</section>\n")
        }
        html.printFrameEnd()
        html.markup("<script src=\"")
        html.url(.printScript)
        html.markup("\" defer></script>\n")
        return html
    }
}
