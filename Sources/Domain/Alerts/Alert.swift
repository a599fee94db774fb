import Foundation

/// How grave an alert is, in the Common Alerting Protocol's (CAP 1.2) four words, which gateways
/// and partners' systems already read.
public enum AlertSeverity: String, CaseIterable, Sendable, Codable, Hashable {
    case minor, moderate, severe, extreme
    public var labelKey: String { "alert_severity.\(rawValue)" }
}

/// What an alert is about.
public enum AlertCategory: String, CaseIterable, Sendable, Codable, Hashable {
    case security, safety, health, weather, movement, other
    public var labelKey: String { "alert_category.\(rawValue)" }
}

/// How an alert reaches a person.
public enum AlertChannel: String, CaseIterable, Sendable, Codable, Hashable {
    /// E-mail over SMTP.
    case email
    /// An SMS or messaging gateway over HTTP.
    case sms
    public var labelKey: String { "alert_channel.\(rawValue)" }
}

/// Where one message to one person stands (SECURITY.md §4.5: deliveries are audited, never assumed).
public enum DeliveryState: String, CaseIterable, Sendable, Codable, Hashable {
    case queued, sent, failed
    public var labelKey: String { "delivery_state.\(rawValue)" }
}

/// The answer a recipient gives with their one-time link.
public enum AlertAnswer: String, CaseIterable, Sendable, Codable, Hashable {
    case safe
    case needHelp = "need_help"
    /// A CIMT member's answer to a call-out.
    case acknowledged
    public var labelKey: String { "alert_answer.\(rawValue)" }
}

/// Why an alert was sent: to people of the register, or to call out a critical incident's team.
public enum AlertPurpose: String, CaseIterable, Sendable, Codable, Hashable {
    case alert
    case cimt
}

/// An alert's title and text in one language.
public struct AlertText: Sendable, Hashable, Codable {
    public var language: String
    public var title: String
    public var body: String
    public init(language: String, title: String, body: String) {
        self.language = language; self.title = title; self.body = body
    }

    public static let languages = ["en", "fr", "es", "ar"]

    /// The code of one of the four languages from a code (ISO 639-1 or -2) or a name in any of them.
    public static func code(of language: String) -> String? {
        let key = language.trimmingCharacters(in: .whitespaces).lowercased()
        return names[key] ?? (languages.contains(String(key.prefix(2))) && key.count == 2 ? key : nil)
    }

    private static let names: [String: String] = [
        "eng": "en", "english": "en", "anglais": "en", "inglés": "en", "ingles": "en", "الإنجليزية": "en",
        "fra": "fr", "fre": "fr", "french": "fr", "français": "fr", "francais": "fr", "francés": "fr",
        "frances": "fr", "الفرنسية": "fr",
        "spa": "es", "spanish": "es", "espagnol": "es", "español": "es", "espanol": "es", "castellano": "es",
        "الإسبانية": "es",
        "ara": "ar", "arabic": "ar", "arabe": "ar", "árabe": "ar", "العربية": "ar", "عربي": "ar",
    ]
    public static let maxTitle = 120
    public static let maxBody = 1_000
}

/// A circle on the ground: everyone whose last known point or site lies within it.
public struct AlertCircle: Sendable, Hashable, Codable {
    public var latitude: Double
    public var longitude: Double
    public var radiusKm: Double
    public init(latitude: Double, longitude: Double, radiusKm: Double) {
        self.latitude = latitude; self.longitude = longitude; self.radiusKm = radiusKm
    }

    /// Great-circle distance in kilometres (haversine, mean Earth radius).
    public func contains(latitude lat: Double, longitude lon: Double) -> Bool {
        let r = 6_371.0088
        let lat1 = latitude * .pi / 180, lat2 = lat * .pi / 180
        let dLat = (lat - latitude) * .pi / 180, dLon = (lon - longitude) * .pi / 180
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat1) * cos(lat2) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * r * asin(min(1, sqrt(a))) <= radiusKm
    }
}

/// Who an alert goes to. The filters chosen narrow one another (an area and a role: that role in
/// that area), as subscriptions should (SECURITY.md §4.5, go-api#2311); people named are added.
public struct AlertAudience: Sendable, Hashable, Codable {
    /// Everyone present in the register ("all personnel"); the other filters then narrow it.
    public var everyone = false
    public var areaPcodes: [String] = []
    public var siteIDs: [SiteID] = []
    public var phases: [String] = []
    public var roles: [Role] = []
    public var circle: AlertCircle?
    public var personIDs: [PersonID] = []

    public init(
        everyone: Bool = false, areaPcodes: [String] = [], siteIDs: [SiteID] = [], phases: [String] = [],
        roles: [Role] = [], circle: AlertCircle? = nil, personIDs: [PersonID] = []
    ) {
        self.everyone = everyone
        self.areaPcodes = areaPcodes
        self.siteIDs = siteIDs
        self.phases = phases
        self.roles = roles
        self.circle = circle
        self.personIDs = personIDs
    }

    public var hasFilter: Bool {
        everyone || !areaPcodes.isEmpty || !siteIDs.isEmpty || !phases.isEmpty || !roles.isEmpty || circle != nil
    }
    public var isEmpty: Bool { !hasFilter && personIDs.isEmpty }

    /// Is this person chosen? Named, or matching every filter chosen.
    public func selects(_ c: AlertCandidate) -> Bool {
        if personIDs.contains(c.id) { return true }
        guard hasFilter else { return false }
        if !areaPcodes.isEmpty, !c.areaLineage.contains(where: areaPcodes.contains) { return false }
        if !siteIDs.isEmpty, !(c.siteID.map(siteIDs.contains) ?? false) { return false }
        if !phases.isEmpty, !(c.phase.map(phases.contains) ?? false) { return false }
        if !roles.isEmpty, !(c.role.map(roles.contains) ?? false) { return false }
        if let circle {
            guard let point = c.point, circle.contains(latitude: point.latitude, longitude: point.longitude)
            else { return false }
        }
        return true
    }
}

/// What the audience rules need to know about one person present in the register.
public struct AlertCandidate: Sendable, Hashable {
    public let id: PersonID
    /// The area of their last known place and the areas holding it, nearest first.
    public let areaLineage: [String]
    public let siteID: SiteID?
    public let point: (latitude: Double, longitude: Double)?
    public let phase: String?
    public let role: Role?

    public init(
        id: PersonID, areaLineage: [String], siteID: SiteID?, point: (latitude: Double, longitude: Double)?,
        phase: String?, role: Role?
    ) {
        self.id = id
        self.areaLineage = areaLineage
        self.siteID = siteID
        self.point = point
        self.phase = phase
        self.role = role
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.id == b.id && a.areaLineage == b.areaLineage && a.siteID == b.siteID && a.phase == b.phase
            && a.role == b.role && a.point?.latitude == b.point?.latitude && a.point?.longitude == b.point?.longitude
    }
    public func hash(into h: inout Hasher) { h.combine(id) }
}

/// An alert as written, checked.
public struct AlertDraft: Sendable, Hashable {
    public var texts: [AlertText]
    public var severity: AlertSeverity
    public var category: AlertCategory
    public var audience: AlertAudience
    public var channels: Set<AlertChannel>

    public init(
        texts: [AlertText], severity: AlertSeverity, category: AlertCategory, audience: AlertAudience,
        channels: Set<AlertChannel>
    ) {
        self.texts = texts
        self.severity = severity
        self.category = category
        self.audience = audience
        self.channels = channels
    }

    /// The text in `language`, else in the first of the alert's languages.
    public func text(in language: String?) -> AlertText {
        texts.first { $0.language == language } ?? texts[0]
    }

    /// The language a person reads it in: the first of theirs (as the register holds them: a code
    /// or a name) the alert is written in; else the alert's first.
    public func language(for spoken: [String]) -> String {
        spoken.lazy.compactMap(AlertText.code(of:)).first { code in self.texts.contains { $0.language == code } }
            ?? texts[0].language
    }
}

/// An alert as given by the form, the API or the command line, as text. `decoded()` is the one
/// decoder they share.
public struct AlertInput: Codable, Sendable, Equatable {
    public struct Text: Codable, Sendable, Equatable {
        public var language = ""
        public var title = ""
        public var body = ""
        public init(language: String, title: String, body: String) {
            self.language = language; self.title = title; self.body = body
        }
    }

    public var severity = ""
    public var category = ""
    public var texts: [Text] = []
    public var areas: [String] = []
    public var sites: [String] = []
    public var phases: [String] = []
    public var roles: [String] = []
    public var people: [String] = []
    /// "yes" for everyone present.
    public var everyone = ""
    public var latitude = ""
    public var longitude = ""
    public var radiusKm = ""
    public var channels: [String] = []

    public init() {}

    /// Checks every field and says what is wrong with each. `phases` are the operation's phase keys.
    public func decoded(phases known: [String]) throws(ValidationErrors) -> AlertDraft {
        var errors = ValidationErrors()
        let severity = AlertSeverity(rawValue: severity.trimmingCharacters(in: .whitespaces))
        if severity == nil { errors.add("severity", key: "error.alert_severity", "Choose a severity.") }
        let category = AlertCategory(rawValue: category.trimmingCharacters(in: .whitespaces))
        if category == nil { errors.add("category", key: "error.alert_category", "Choose a category.") }

        var texts: [AlertText] = []
        for text in self.texts {
            let language = text.language.trimmingCharacters(in: .whitespaces).lowercased()
            let title = text.title.trimmingCharacters(in: .whitespacesAndNewlines)
            let body = text.body.trimmingCharacters(in: .whitespacesAndNewlines)
            if title.isEmpty && body.isEmpty { continue }
            let field = "title_\(language)"
            if !AlertText.languages.contains(language) {
                errors.add(
                    "texts", key: "error.alert_language",
                    "Write in English, French, Spanish or Arabic (en, fr, es, ar).")
            } else if texts.contains(where: { $0.language == language }) {
                errors.add(field, key: "error.alert_language_twice", "The text in \(language) is given twice.")
            } else if title.isEmpty {
                errors.add(field, key: "error.alert_title", "Give the alert a title in this language.")
            } else if title.count > AlertText.maxTitle {
                errors.add(
                    field, key: "error.alert_title_long", "A title has at most \(AlertText.maxTitle) characters.")
            } else if body.count > AlertText.maxBody {
                errors.add(
                    "body_\(language)", key: "error.alert_body_long",
                    "The text has at most \(AlertText.maxBody) characters.")
            } else {
                texts.append(AlertText(language: language, title: title, body: body))
            }
        }
        if texts.isEmpty && errors.message(for: "texts") == nil
            && !errors.errors.contains(where: {
                $0.field?.hasPrefix("title_") == true || $0.field?.hasPrefix("body_") == true
            })
        {
            errors.add("title_en", key: "error.alert_no_text", "Write the alert's title in at least one language.")
        }

        var audience = AlertAudience()
        audience.everyone = ["yes", "true", "on", "1"].contains(
            everyone.trimmingCharacters(in: .whitespaces).lowercased())
        audience.areaPcodes = Self.unique(areas.map { $0.trimmingCharacters(in: .whitespaces).uppercased() })
        for site in Self.unique(sites) {
            guard let uuid = UUID(uuidString: site.trimmingCharacters(in: .whitespaces)) else {
                errors.add("sites", key: "error.alert_site", "A site chosen is not one of this operation's.")
                break
            }
            audience.siteIDs.append(SiteID(uuid))
        }
        for phase in Self.unique(phases.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            guard known.contains(phase) else {
                errors.add("phases", key: "error.alert_phase", "\(phase) is not one of the operation's phases.")
                break
            }
            audience.phases.append(phase)
        }
        for role in Self.unique(roles) {
            guard let r = Role(rawValue: role.trimmingCharacters(in: .whitespaces)) else {
                errors.add("roles", key: "error.alert_role", "\(role) is not a role.")
                break
            }
            audience.roles.append(r)
        }
        for person in Self.unique(people) {
            guard let uuid = UUID(uuidString: person.trimmingCharacters(in: .whitespaces)) else {
                errors.add("people", key: "error.alert_person", "A person named is not in the register.")
                break
            }
            audience.personIDs.append(PersonID(uuid))
        }
        let lat = latitude.trimmingCharacters(in: .whitespaces)
        let lon = longitude.trimmingCharacters(in: .whitespaces)
        let radius = radiusKm.trimmingCharacters(in: .whitespaces)
        if !(lat.isEmpty && lon.isEmpty && radius.isEmpty) {
            let la = DecimalText.double(lat), lo = DecimalText.double(lon), ra = DecimalText.double(radius)
            if la == nil || !(-90...90).contains(la!) {
                errors.add("latitude", key: "error.latitude", "Latitude must be a number from -90 to 90.")
            }
            if lo == nil || !(-180...180).contains(lo!) {
                errors.add("longitude", key: "error.longitude", "Longitude must be a number from -180 to 180.")
            }
            if ra == nil || !(ra! > 0 && ra! <= 500) {
                errors.add("radius_km", key: "error.alert_radius", "The radius is more than 0 and at most 500 km.")
            }
            if let la, let lo, let ra, errors.message(for: "latitude") == nil, errors.message(for: "longitude") == nil,
                errors.message(for: "radius_km") == nil
            {
                audience.circle = AlertCircle(latitude: la, longitude: lo, radiusKm: ra)
            }
        }
        if audience.isEmpty
            && errors.errors.allSatisfy({
                !["sites", "phases", "roles", "people", "latitude", "longitude", "radius_km"].contains($0.field ?? "")
            })
        {
            errors.add(
                "audience", key: "error.alert_no_audience",
                "Choose who receives it: everyone, an area, a site, a phase, a role, a radius around a point, or people by name."
            )
        }

        var channels = Set<AlertChannel>()
        for channel in self.channels {
            guard let c = AlertChannel(rawValue: channel.trimmingCharacters(in: .whitespaces)) else {
                errors.add("channels", key: "error.alert_channel", "\(channel) is not a channel (email, sms).")
                continue
            }
            channels.insert(c)
        }
        if channels.isEmpty && errors.message(for: "channels") == nil {
            errors.add("channels", key: "error.alert_no_channel", "Send it by e-mail, SMS, or both.")
        }
        try errors.throwIfAny()
        return AlertDraft(
            texts: texts, severity: severity!, category: category!, audience: audience, channels: channels)
    }

    private static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty && seen.insert($0).inserted }
    }
}

/// The figures an alert's page shows live.
public struct AlertCounts: Sendable, Hashable, Codable {
    public var recipients = 0
    /// Messages per channel and state.
    public var deliveries: [AlertChannel: [DeliveryState: Int]] = [:]
    public var answers: [AlertAnswer: Int] = [:]
    public init() {}
    public func count(_ channel: AlertChannel, _ state: DeliveryState) -> Int { deliveries[channel]?[state] ?? 0 }
    public var unanswered: Int { recipients - answers.values.reduce(0, +) }
}

/// An "I need help" answer not yet taken in hand.
public struct HelpAlarm: Sendable, Hashable {
    public let recipientID: AlertRecipientID
    public let alertID: AlertID
    public let alertNumber: Int
    public let personID: PersonID
    public let name: String
    public let answeredAt: Date
    public init(
        recipientID: AlertRecipientID, alertID: AlertID, alertNumber: Int, personID: PersonID, name: String,
        answeredAt: Date
    ) {
        self.recipientID = recipientID
        self.alertID = alertID
        self.alertNumber = alertNumber
        self.personID = personID
        self.name = name
        self.answeredAt = answeredAt
    }
}
