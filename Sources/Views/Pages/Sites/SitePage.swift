import Domain
import Foundation
import Geo

/// One site: its facts, where it is on the map, its security assessments, and what the viewer may do.
public enum SitePage {
    public struct Model: Sendable {
        public struct Assessment: Sendable {
            public let id: SiteAssessmentID
            public let day: String
            public let kind: SiteChecklistKind
            /// The score out of 100, or nil before anything was answered.
            public let score: Int?
            public let openRecommendations: Int

            public init(
                id: SiteAssessmentID, day: String, kind: SiteChecklistKind, score: Int?, openRecommendations: Int
            ) {
                self.id = id
                self.day = day
                self.kind = kind
                self.score = score
                self.openRecommendations = openRecommendations
            }
        }

        public let code: String
        public let id: SiteID
        public let name: String
        public let type: SiteType
        public let latitude: Double
        public let longitude: Double
        /// The area and its parents, outermost first ("Khartoum (SD01)", "Khartoum (SD01001)"); empty outside every area.
        public let areaPath: [String]
        public let contactName: String?
        public let contactPhone: String?
        public let notes: String?
        public let audience: AudienceLevel
        public let map: SVG
        /// Said once after a save that placed the site outside every area.
        public let warning: String?
        public let assessments: [Assessment]
        public let canChange: Bool
        public let canAudit: Bool
        public let canAssess: Bool

        public init(
            code: String, id: SiteID, name: String, type: SiteType, latitude: Double, longitude: Double,
            areaPath: [String], contactName: String?, contactPhone: String?, notes: String?,
            audience: AudienceLevel, map: SVG, warning: String?, assessments: [Assessment],
            canChange: Bool, canAudit: Bool, canAssess: Bool
        ) {
            self.code = code
            self.id = id
            self.name = name
            self.type = type
            self.latitude = latitude
            self.longitude = longitude
            self.areaPath = areaPath
            self.contactName = contactName
            self.contactPhone = contactPhone
            self.notes = notes
            self.audience = audience
            self.map = map
            self.warning = warning
            self.assessments = assessments
            self.canChange = canChange
            self.canAudit = canAudit
            self.canAssess = canAssess
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings
        let code = Parameter.value(m.code), site = Parameter.value(m.id)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("sites_title"), .sites(code))])
        html.markup("<h1>")
        html.text(m.name)
        html.markup("</h1>\n")
        if let warning = m.warning {
            html.markup("<p class=\"warning\" role=\"alert\">")
            html.text(warning)
            html.markup("</p>")
        }
        html.markup("\n<div class=\"grid\">\n<dl class=\"facts\">\n  <dt>")
        html.text(t("field_type"))
        html.markup("</dt><dd>")
        html.text(t(m.type.labelKey))
        html.markup("</dd>\n  <dt>")
        html.text(t("field_coordinates"))
        html.markup("</dt><dd dir=\"ltr\" class=\"code\">")
        html.text(DecimalText.fixed(m.latitude, digits: 5) + ", " + DecimalText.fixed(m.longitude, digits: 5))
        html.markup("</dd>\n  <dt>")
        html.text(t("field_area"))
        html.markup("</dt><dd id=\"site-area\">")
        if m.areaPath.isEmpty { html.text(t("sites_no_area")) }
        for step in m.areaPath {
            html.markup("<span class=\"area-step\">")
            html.text(step)
            html.markup("</span>")
        }
        html.markup("</dd>\n")
        if let name = m.contactName, !name.isEmpty {
            html.fact(t("field_contact_name"), name)
        }
        if let phone = m.contactPhone, !phone.isEmpty {
            html.fact(t("field_contact_phone"), phone, "dir=\"ltr\"")
        }
        if let notes = m.notes, !notes.isEmpty {
            html.fact(t("field_notes"), notes, "class=\"notes\"")
        }
        html.fact(t("field_audience"), t(m.audience.labelKey))
        html.markup("</dl>\n<figure class=\"map\">")
        html.svg(m.map)
        html.markup("</figure>\n</div>\n<p>")
        html.link(.referralPathway(code, site), t("pathway_title"), "id=\"referral-pathway\" class=\"button\"")
        html.markup("</p>\n<section id=\"security-assessments\">\n<h2>")
        html.text(t("site_assessments_title"))
        html.markup("</h2>\n")
        if m.assessments.isEmpty {
            html.paragraph(t("site_assessments_none_here"))
        } else {
            html.markup("<table class=\"list\">\n")
            html.tableHead([
                t("field_date"), t("site_assessments_checklist"), t("site_assessments_score"),
                t("site_assessments_open_recommendations"),
            ])
            html.markup("\n<tbody>")
            for assessment in m.assessments {
                html.markup("<tr><td>")
                html.link(.siteAssessment(code, site: site, .value(assessment.id)), assessment.day, "dir=\"ltr\"")
                html.markup("</td><td>")
                html.text(t(assessment.kind.labelKey))
                html.markup("</td><td>")
                if let score = assessment.score { html.text(score) } else { html.markup("—") }
                html.markup("</td><td>")
                html.text(assessment.openRecommendations)
                html.markup("</td></tr>")
            }
            html.markup("</tbody>\n</table>")
        }
        html.markup("\n<p>")
        if m.canAssess {
            html.link(
                .newSiteAssessment(code, site: site), t("site_assessments_new"),
                "id=\"new-site-assessment\" class=\"button\"")
            html.markup(" ")
        }
        html.link(.siteAssessmentsCompared(code), t("site_assessments_compare"))
        html.markup("</p>\n</section>\n")
        if m.canChange {
            html.markup("<nav class=\"actions\">\n")
            html.link(.editSite(code, site), t("form_edit"), "class=\"button\"")
            html.markup("\n")
            if m.canAudit {
                html.link(.siteAudit(code, site), t("audit_record"), "class=\"button\"")
                html.markup("\n")
            }
            html.buttonForm(.deleteSite(code, site), csrf: page.csrf, label: t("form_delete"), buttonClass: "danger")
            html.markup("\n</nav>\n")
        }
        return html
    }
}

extension HTML {
    /// A term and its value in a `<dl class="facts">`, with optional literal attributes on the value.
    public mutating func fact(_ term: String, _ value: String, _ attributes: StaticString = "") {
        markup("  <dt>")
        text(term)
        markup("</dt><dd")
        if attributes.utf8CodeUnitCount > 0 { markup(" "); markup(attributes) }
        markup(">")
        text(value)
        markup("</dd>\n")
    }
}
