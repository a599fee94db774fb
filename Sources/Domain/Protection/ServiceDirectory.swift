import Foundation

/// A service's state, as Open Referral HSDS 3.0 names it (`service.status`).
public enum ServiceStatus: String, CaseIterable, Sendable, Codable, Hashable {
    case active, inactive, defunct
    case temporarilyClosed = "temporarily closed"

    public var labelKey: String { "service_status.\(rawValue.replacingOccurrences(of: " ", with: "_"))" }
}

/// The IFRC's sectors, as GO names its planned interventions (MIGRATION.md §3.11); reused as they are.
public enum IFRCSector: String, CaseIterable, Sendable, Codable, Hashable {
    case shelter = "shelter_housing_and_settlements"
    case livelihoods = "livelihoods_and_basic_needs"
    case cash = "multi_purpose_cash"
    case health
    case wash = "water_sanitation_and_hygiene"
    case protection = "protection_gender_and_inclusion"
    case education
    case migration = "migration_and_displacement"
    case riskReduction = "risk_reduction_climate_adaptation_and_recovery"
    case communityEngagement = "community_engagement_and_accountability"
    case environment = "environmental_sustainability"
    case coordination = "coordination_and_partnerships"
    case secretariat = "secretariat_services"
    case nationalSocietyStrengthening = "national_society_strengthening"

    public var labelKey: String { "sector.\(rawValue)" }
}

/// A phone's kind, as HSDS 3.0 names it (`phone.type`).
public enum PhoneKind: String, CaseIterable, Sendable, Codable, Hashable {
    case voice, text, cell, fax, video, pager, textphone
}

/// A day of the week as iCalendar's BYDAY writes it, which HSDS 3.0 schedules use.
public enum Weekday: String, CaseIterable, Sendable, Codable, Hashable, Comparable {
    case monday = "MO", tuesday = "TU", wednesday = "WE", thursday = "TH", friday = "FR", saturday = "SA"
    case sunday = "SU"

    public var labelKey: String { "weekday.\(rawValue.lowercased())" }
    var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (a: Weekday, b: Weekday) -> Bool { a.order < b.order }

    /// HSDS 1.1's `regular_schedules.weekday`: 1 is Monday … 7 is Sunday.
    public init?(number: Int) {
        guard (1...7).contains(number) else { return nil }
        self = Self.allCases[number - 1]
    }
}

/// A phone number of a service, as one line of the form or the API: "number, kind, note"
/// (kind and note optional), e.g. "+249 912 345 678, voice, Duty officer, 24/7".
public struct ServicePhone: Sendable, Codable, Hashable {
    public var number: String
    public var kind: PhoneKind
    public var note: String?

    public init(number: String, kind: PhoneKind = .voice, note: String? = nil) {
        self.number = number
        self.kind = kind
        self.note = note
    }

    public var line: String { [number, kind.rawValue, note].compactMap { $0 }.joined(separator: ", ") }

    /// Reads one line; nil with the reason when it is not a phone.
    public static func parse(_ line: String) -> Result<ServicePhone, ServiceLineProblem> {
        let parts = line.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let number = parts[0]
        guard number.range(of: #"^\+?[0-9 ()\-./]{4,32}$"#, options: .regularExpression) != nil else {
            return .failure(.init(line: line, reason: "a phone number has 4–32 digits, spaces and + ( ) - . / only"))
        }
        var kind = PhoneKind.voice
        if parts.count > 1, !parts[1].isEmpty {
            guard let named = PhoneKind(rawValue: parts[1].lowercased()) else {
                return .failure(
                    .init(
                        line: line,
                        reason: "unknown kind '\(parts[1])'; one of "
                            + PhoneKind.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            kind = named
        }
        let note = parts.count > 2 ? parts[2].nilIfEmpty : nil
        return .success(ServicePhone(number: number, kind: kind, note: note))
    }
}

/// Opening hours: the days and the times, e.g. "MO-FR 08:00-16:00" or "SA,SU 09:00-13:00".
public struct ServiceHours: Sendable, Codable, Hashable {
    public var days: [Weekday]
    /// "HH:MM", on the operation's clock.
    public var opensAt: String
    public var closesAt: String

    public init(days: [Weekday], opensAt: String, closesAt: String) {
        self.days = days
        self.opensAt = opensAt
        self.closesAt = closesAt
    }

    /// The days as runs of consecutive days, in the week's order from a day that follows an absent
    /// one, so that a run may go round the end of the week, as Sudan's working week does (SU-TH).
    public var runs: [[Weekday]] {
        let present = Set(days)
        let all = Weekday.allCases
        if present.count == 7 { return [all] }
        let start = all.firstIndex { present.contains($0) && !present.contains(all[($0.order + 6) % 7]) } ?? 0
        var runs: [[Weekday]] = []
        var run: [Weekday] = []
        for step in 0..<7 {
            let day = all[(start + step) % 7]
            if present.contains(day) {
                run.append(day)
            } else if !run.isEmpty {
                runs.append(run)
                run = []
            }
        }
        if !run.isEmpty { runs.append(run) }
        return runs
    }

    /// "MO-FR 08:00-16:00": runs of three days or more as a range, others listed.
    public var line: String {
        runs.flatMap { $0.count >= 3 ? ["\($0[0].rawValue)-\($0[$0.count - 1].rawValue)"] : $0.map(\.rawValue) }
            .joined(separator: ",") + " \(opensAt)-\(closesAt)"
    }

    /// Reads one line of days and times; the reason when it cannot.
    public static func parse(_ line: String) -> Result<ServiceHours, ServiceLineProblem> {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let pieces = trimmed.split(separator: " ", omittingEmptySubsequences: true)
        guard pieces.count == 2 else {
            return .failure(.init(line: line, reason: "write the days, a space and the hours, e.g. MO-FR 08:00-16:00"))
        }
        var days = Set<Weekday>()
        for item in pieces[0].uppercased().split(separator: ",") {
            let ends = item.split(separator: "-").map { Weekday(rawValue: String($0)) }
            switch ends.count {
            case 1 where ends[0] != nil: days.insert(ends[0]!)
            case 2 where ends[0] != nil && ends[1] != nil:
                // A range may wrap round the week's end: SU-TH is Sunday to Thursday.
                var day = ends[0]!
                while true {
                    days.insert(day)
                    if day == ends[1]! { break }
                    day = Weekday.allCases[(day.order + 1) % 7]
                }
            default:
                return .failure(
                    .init(line: line, reason: "days are MO TU WE TH FR SA SU, listed with commas or as a range (MO-FR)")
                )
            }
        }
        let times = pieces[1].split(separator: "-").map(String.init)
        guard times.count == 2, let opens = clock(times[0]), let closes = clock(times[1]), opens < closes else {
            return .failure(.init(line: line, reason: "hours are HH:MM-HH:MM, opening before closing"))
        }
        return .success(ServiceHours(days: days.sorted(), opensAt: opens, closesAt: closes))
    }

    /// "8:00", "08:00" or "08:00:00" as "08:00"; nil otherwise.
    public static func clock(_ text: String) -> String? {
        let parts = text.split(separator: ":")
        guard parts.count == 2 || parts.count == 3, let hours = WholeNumber.parse(parts[0]),
            let minutes = WholeNumber.parse(parts[1]), parts[1].count == 2, (0...24).contains(hours),
            (0...59).contains(minutes), hours < 24 || minutes == 0
        else { return nil }
        return CivilDay.padded(hours, 2) + ":" + CivilDay.padded(minutes, 2)
    }
}

/// Why one line of a list field (phones, hours) was not read.
public struct ServiceLineProblem: Error, Sendable, Hashable {
    public let line: String
    public let reason: String
}

/// Where a service is delivered, as entered.
public struct ServiceLocationDraft: Sendable, Hashable {
    public var name: String
    public var address: String?
    public var latitude: Double?
    public var longitude: Double?
    /// The operation's site it is at (a Humanitarian Service Point, a transit centre), if any.
    public var siteID: SiteID?

    public init(
        name: String, address: String? = nil, latitude: Double? = nil, longitude: Double? = nil, siteID: SiteID? = nil
    ) {
        self.name = name
        self.address = address
        self.latitude = latitude
        self.longitude = longitude
        self.siteID = siteID
    }
}

/// A service of the referral directory as entered, checked before it is stored: Open Referral
/// HSDS's service with the humanitarian additions of MIGRATION.md §3.13.
public struct ServiceDraft: Sendable, Hashable {
    public var organization: String
    public var name: String
    public var description: String?
    public var status: ServiceStatus
    public var url: String?
    public var email: String?
    public var phones: [ServicePhone]
    public var hours: [ServiceHours]
    /// What the hours do not say ("closed on public holidays").
    public var hoursNote: String?
    public var eligibility: String?
    public var minimumAge: Int?
    public var maximumAge: Int?
    /// Languages spoken, as written (ISO 639 codes or names).
    public var languages: [String]
    /// What it costs; nil or empty for free.
    public var fees: String?
    public var acceptsReferrals: Bool
    public var consentRequired: Bool
    /// Whom to send referrals to (a name, a desk, a number).
    public var referralFocalPoint: String?
    public var populationTypes: [PopulationType]
    public var sectors: [IFRCSector]
    /// The day someone last checked the service runs as described.
    public var lastVerifiedOn: Date?
    public var verifiedBy: String?
    /// Where it is delivered: nil for a service without a place (a helpline).
    public var location: ServiceLocationDraft?

    public init(
        organization: String, name: String, description: String? = nil, status: ServiceStatus = .active,
        url: String? = nil, email: String? = nil, phones: [ServicePhone] = [], hours: [ServiceHours] = [],
        hoursNote: String? = nil, eligibility: String? = nil, minimumAge: Int? = nil, maximumAge: Int? = nil,
        languages: [String] = [], fees: String? = nil, acceptsReferrals: Bool = false, consentRequired: Bool = true,
        referralFocalPoint: String? = nil, populationTypes: [PopulationType] = [], sectors: [IFRCSector] = [],
        lastVerifiedOn: Date? = nil, verifiedBy: String? = nil, location: ServiceLocationDraft? = nil
    ) {
        self.organization = organization
        self.name = name
        self.description = description
        self.status = status
        self.url = url
        self.email = email
        self.phones = phones
        self.hours = hours
        self.hoursNote = hoursNote
        self.eligibility = eligibility
        self.minimumAge = minimumAge
        self.maximumAge = maximumAge
        self.languages = languages
        self.fees = fees
        self.acceptsReferrals = acceptsReferrals
        self.consentRequired = consentRequired
        self.referralFocalPoint = referralFocalPoint
        self.populationTypes = populationTypes
        self.sectors = sectors
        self.lastVerifiedOn = lastVerifiedOn
        self.verifiedBy = verifiedBy
        self.location = location
    }
}

/// A service as given, before it is checked: what the web form posts, what the API's JSON says and
/// what the HSDS importer assembles from its tables, written as text. `decoded()` is the one decoder
/// all three share. A change (the form, PATCH) starts from the stored service's input and overwrites
/// only the fields it names, so a field left out keeps its stored value ("consent required" included).
public struct ServiceInput: Codable, Sendable, Equatable {
    public var organization = ""
    public var name = ""
    public var description = ""
    public var status = ServiceStatus.active.rawValue
    public var url = ""
    public var email = ""
    /// One phone a line: "number, kind, note".
    public var phones: [String] = []
    /// One line of opening hours each: "MO-FR 08:00-16:00".
    public var hours: [String] = []
    public var hoursNote = ""
    public var eligibility = ""
    public var minimumAge = ""
    public var maximumAge = ""
    public var languages: [String] = []
    public var fees = ""
    /// "yes" or "no".
    public var acceptsReferrals = "no"
    /// "yes" or "no"; a new service requires consent unless told otherwise.
    public var consentRequired = "yes"
    public var referralFocalPoint = ""
    public var populationTypes: [String] = []
    public var sectors: [String] = []
    /// "YYYY-MM-DD".
    public var lastVerifiedOn = ""
    public var verifiedBy = ""
    public var locationName = ""
    public var address = ""
    public var latitude = ""
    public var longitude = ""
    /// The site's id, or empty.
    public var siteID = ""

    public init() {}

    /// The input that gives back a stored service.
    public init(_ draft: ServiceDraft) {
        organization = draft.organization
        name = draft.name
        description = draft.description ?? ""
        status = draft.status.rawValue
        url = draft.url ?? ""
        email = draft.email ?? ""
        phones = draft.phones.map(\.line)
        hours = draft.hours.map(\.line)
        hoursNote = draft.hoursNote ?? ""
        eligibility = draft.eligibility ?? ""
        minimumAge = draft.minimumAge.map(String.init) ?? ""
        maximumAge = draft.maximumAge.map(String.init) ?? ""
        languages = draft.languages
        fees = draft.fees ?? ""
        acceptsReferrals = draft.acceptsReferrals ? "yes" : "no"
        consentRequired = draft.consentRequired ? "yes" : "no"
        referralFocalPoint = draft.referralFocalPoint ?? ""
        populationTypes = draft.populationTypes.map(\.rawValue)
        sectors = draft.sectors.map(\.rawValue)
        lastVerifiedOn = draft.lastVerifiedOn.map(DateText.day) ?? ""
        verifiedBy = draft.verifiedBy ?? ""
        locationName = draft.location?.name ?? ""
        address = draft.location?.address ?? ""
        latitude = draft.location?.latitude.map { String($0) } ?? ""
        longitude = draft.location?.longitude.map { String($0) } ?? ""
        siteID = draft.location?.siteID?.uuidString ?? ""
    }

    /// The checked service; every problem at once, each named by its field.
    public func decoded(today: Date? = nil) throws(ValidationErrors) -> ServiceDraft {
        var errors = ValidationErrors()
        func trimmed(_ text: String) -> String? { text.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty }
        func limited(_ text: String, _ field: String, _ limit: Int) -> String? {
            let value = trimmed(text)
            if let value, value.count > limit {
                errors.add(field, key: "error.too_long", "At most \(limit) characters.")
            }
            return value
        }
        func yesNo(_ text: String, _ field: String) -> Bool {
            switch text.trimmingCharacters(in: .whitespaces).lowercased() {
            case "yes", "true", "1", "on": return true
            case "no", "false", "0", "off": return false
            default:
                errors.add(field, key: "error.choose", "Answer yes or no, not '\(text)'.")
                return field == "consent_required"
            }
        }
        func age(_ text: String, _ field: String) -> Int? {
            guard let value = trimmed(text) else { return nil }
            guard let number = WholeNumber.parse(Substring(value)), number <= 130 else {
                errors.add(field, key: "error.age", "An age is a whole number of years from 0 to 130, not '\(value)'.")
                return nil
            }
            return number
        }
        let organization = limited(organization, "organization", 200)
        if organization == nil {
            errors.add("organization", key: "error.required", "The organization that provides the service is required.")
        }
        let name = limited(name, "name", 200)
        if name == nil { errors.add("name", key: "error.required", "A name of 1–200 characters is required.") }
        let status = ServiceStatus(rawValue: status.trimmingCharacters(in: .whitespaces).lowercased())
        if status == nil {
            errors.add(
                "status", key: "error.choose",
                "Unknown status '\(self.status)'; one of: "
                    + ServiceStatus.allCases.map(\.rawValue).joined(separator: ", ")
                    + ".")
        }
        let url = limited(url, "url", 500)
        if let url, !(url.hasPrefix("https://") || url.hasPrefix("http://")) || url.contains(" ") {
            errors.add("url", key: "error.url", "A web address starts with https:// or http:// and has no spaces.")
        }
        let email = limited(email, "email", 254)
        if let email, email.range(of: #"^[^@\s]+@[^@\s]+\.[^@\s]+$"#, options: .regularExpression) == nil {
            errors.add("email", key: "error.email", "Not an e-mail address: \(email)")
        }
        var phones: [ServicePhone] = []
        for line in self.phones where trimmed(line) != nil {
            switch ServicePhone.parse(line) {
            case .success(let phone): phones.append(phone)
            case .failure(let problem):
                errors.add("phones", key: "error.phone_line", "Phone '\(problem.line)': \(problem.reason).")
            }
        }
        var hours: [ServiceHours] = []
        for line in self.hours where trimmed(line) != nil {
            switch ServiceHours.parse(line) {
            case .success(let slot): hours.append(slot)
            case .failure(let problem):
                errors.add("hours", key: "error.hours_line", "Hours '\(problem.line)': \(problem.reason).")
            }
        }
        let minimumAge = age(minimumAge, "minimum_age")
        let maximumAge = age(maximumAge, "maximum_age")
        if let minimumAge, let maximumAge, minimumAge > maximumAge {
            errors.add("maximum_age", key: "error.age_order", "The maximum age is below the minimum age.")
        }
        var languages: [String] = []
        for language in self.languages.flatMap({ $0.split(separator: ",") }) {
            guard let value = trimmed(String(language)) else { continue }
            if value.count > 60 {
                errors.add("languages", key: "error.too_long", "A language is at most 60 characters.")
            } else if !languages.contains(value) {
                languages.append(value)
            }
        }
        var populationTypes: [PopulationType] = []
        for text in self.populationTypes where trimmed(text) != nil {
            if let type = PopulationType(rawValue: text.trimmingCharacters(in: .whitespaces).uppercased()) {
                if !populationTypes.contains(type) { populationTypes.append(type) }
            } else {
                errors.add(
                    "population_types", key: "error.choose",
                    "Unknown population type '\(text)'; one of: "
                        + PopulationType.allCases.map(\.rawValue).joined(separator: ", ") + ".")
            }
        }
        var sectors: [IFRCSector] = []
        for text in self.sectors where trimmed(text) != nil {
            if let sector = IFRCSector(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) {
                if !sectors.contains(sector) { sectors.append(sector) }
            } else {
                errors.add(
                    "sectors", key: "error.choose",
                    "Unknown sector '\(text)'; one of: " + IFRCSector.allCases.map(\.rawValue).joined(separator: ", ")
                        + ".")
            }
        }
        var lastVerified: Date?
        if let text = trimmed(lastVerifiedOn) {
            lastVerified = DateText.day(text)
            if lastVerified == nil {
                errors.add("last_verified_on", key: "error.date", "Not a day (YYYY-MM-DD): \(text)")
            } else if let today, let day = lastVerified, day > today {
                errors.add("last_verified_on", key: "error.future", "A service cannot be verified after today.")
            }
        }
        let acceptsReferrals = yesNo(acceptsReferrals, "accepts_referrals")
        let consentRequired = yesNo(consentRequired, "consent_required")
        var location: ServiceLocationDraft?
        let latitudeText = trimmed(latitude)
        let longitudeText = trimmed(longitude)
        let site = trimmed(siteID)
        let siteID = site.flatMap { UUID(uuidString: $0) }.map { SiteID(rawValue: $0) }
        if site != nil, siteID == nil { errors.add("site_id", key: "error.choose", "Not a site: \(site ?? "")") }
        if let place = limited(locationName, "location_name", 200) {
            var latitude: Double?
            var longitude: Double?
            switch (latitudeText, longitudeText) {
            case (nil, nil): break
            case (let lat?, let lon?):
                latitude = DecimalText.double(lat)
                longitude = DecimalText.double(lon)
                if latitude == nil || !(-90...90).contains(latitude!) {
                    errors.add(
                        "latitude", key: "error.latitude", "Latitude must be between -90 and 90 (decimal degrees).")
                }
                if longitude == nil || !(-180...180).contains(longitude!) {
                    errors.add(
                        "longitude", key: "error.longitude", "Longitude must be between -180 and 180 (decimal degrees)."
                    )
                }
            default:
                errors.add("latitude", key: "error.coordinates_pair", "Give both latitude and longitude, or neither.")
            }
            location = ServiceLocationDraft(
                name: place, address: limited(address, "address", 500), latitude: latitude, longitude: longitude,
                siteID: siteID)
        } else if latitudeText != nil || longitudeText != nil || trimmed(address) != nil || siteID != nil {
            errors.add("location_name", key: "error.required", "A place with an address or a point needs a name.")
        }
        let description = limited(description, "description", 5000)
        let hoursNote = limited(hoursNote, "hours_note", 500)
        let eligibility = limited(eligibility, "eligibility", 2000)
        let fees = limited(fees, "fees", 500)
        let focalPoint = limited(referralFocalPoint, "referral_focal_point", 300)
        let verifiedBy = limited(verifiedBy, "verified_by", 200)
        try errors.throwIfAny()
        return ServiceDraft(
            organization: organization ?? "", name: name ?? "", description: description, status: status ?? .active,
            url: url, email: email, phones: phones, hours: hours, hoursNote: hoursNote, eligibility: eligibility,
            minimumAge: minimumAge, maximumAge: maximumAge, languages: languages, fees: fees,
            acceptsReferrals: acceptsReferrals, consentRequired: consentRequired, referralFocalPoint: focalPoint,
            populationTypes: populationTypes, sectors: sectors, lastVerifiedOn: lastVerified, verifiedBy: verifiedBy,
            location: location)
    }
}
