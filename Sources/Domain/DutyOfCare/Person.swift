import Foundation

/// Who a person in the register is to IFRC (SECURITY.md §3.5: the people under IFRC security
/// management responsibility).
public enum PersonCategory: String, CaseIterable, Sendable, Codable, Hashable {
    case ifrcStaff = "ifrc_staff"
    case delegate
    /// Surge and rapid-response members (ERU, RDRT, FACT).
    case surge
    case nationalSocietyStaff = "ns_staff"
    case nationalSocietyVolunteer = "ns_volunteer"
    case consultant
    case visitor
    public var labelKey: String { "person_category.\(rawValue)" }
}

/// National or international staff: it changes who is relocated and how (SECURITY.md §3.1.7).
public enum StaffOrigin: String, CaseIterable, Sendable, Codable, Hashable {
    case national, international
    public var labelKey: String { "staff_origin.\(rawValue)" }
}

/// Whether a person relocates with the relocation plan, or stays (SECURITY.md §3.1.7: "who goes
/// and who stays" is the plan's decision, recorded per person).
public enum RelocationChoice: String, CaseIterable, Sendable, Codable, Hashable {
    case relocates, stays
    public var labelKey: String { "relocation_choice.\(rawValue)" }
}

/// A person of the register, checked. It keeps data to the minimum the duty of care needs: no
/// passport or ID numbers, and never the proof-of-life questions, which the GSU holds.
public struct PersonDraft: Sendable, Hashable {
    public var fullName: String
    public var category: PersonCategory
    public var organisation: String
    public var function: String
    public var origin: StaffOrigin
    /// Languages spoken, as written ("Arabic", "English").
    public var languages: [String]
    public var phones: [PhoneNumber]
    public var radioCallSign: String
    /// Lower-cased; with `externalID`, what a second import matches a person by.
    public var email: String?
    public var emergencyContactName: String
    public var emergencyContactPhone: PhoneNumber?
    public var arrivalAt: Date?
    public var plannedDepartureAt: Date?
    public var residenceSiteID: SiteID?
    public var assemblyPointSiteID: SiteID?
    public var relocationGroup: String
    /// 1 leaves first.
    public var relocationPriority: Int?
    /// The person's Bearing account, when they have one: they then see and update their own record.
    public var userID: UserID?
    /// The HR or surge roster's id for the person.
    public var externalID: String?
    /// Manages a team: managers in Orange and Red areas need the SCM training.
    public var manager: Bool
    /// Goes or stays under the relocation plan; nil: not decided.
    public var relocation: RelocationChoice?

    public init(
        fullName: String, category: PersonCategory, organisation: String = "", function: String = "",
        origin: StaffOrigin = .international, languages: [String] = [], phones: [PhoneNumber] = [],
        radioCallSign: String = "", email: String? = nil, emergencyContactName: String = "",
        emergencyContactPhone: PhoneNumber? = nil, arrivalAt: Date? = nil, plannedDepartureAt: Date? = nil,
        residenceSiteID: SiteID? = nil, assemblyPointSiteID: SiteID? = nil, relocationGroup: String = "",
        relocationPriority: Int? = nil, userID: UserID? = nil, externalID: String? = nil, manager: Bool = false,
        relocation: RelocationChoice? = nil
    ) {
        self.fullName = fullName
        self.category = category
        self.organisation = organisation
        self.function = function
        self.origin = origin
        self.languages = languages
        self.phones = phones
        self.radioCallSign = radioCallSign
        self.email = email
        self.emergencyContactName = emergencyContactName
        self.emergencyContactPhone = emergencyContactPhone
        self.arrivalAt = arrivalAt
        self.plannedDepartureAt = plannedDepartureAt
        self.residenceSiteID = residenceSiteID
        self.assemblyPointSiteID = assemblyPointSiteID
        self.relocationGroup = relocationGroup
        self.relocationPriority = relocationPriority
        self.userID = userID
        self.externalID = externalID
        self.manager = manager
        self.relocation = relocation
    }

    /// The fields a roster may hold, by the names of `PersonInput`'s fields.
    public enum Field: String, CaseIterable, Sendable, Hashable {
        case fullName, category, organisation, function, origin, languages, mobilePhone, satellitePhone, otherPhone
        case radioCallSign, email, emergencyContactName, emergencyContactPhone, arrival, plannedDeparture
        case relocationGroup, relocationPriority, manager, relocation, externalID
    }

    /// `roster`'s values for the fields it has; this draft's for the others. A roster without a
    /// column says nothing of that field, so a re-import never clears what the register holds
    /// (and never the account or the places, which no roster holds).
    public func merging(_ roster: PersonDraft, fields: Set<Field>) -> PersonDraft {
        var d = self
        func take<T>(_ field: Field, _ path: WritableKeyPath<PersonDraft, T>) {
            if fields.contains(field) { d[keyPath: path] = roster[keyPath: path] }
        }
        take(.fullName, \.fullName)
        take(.category, \.category)
        take(.organisation, \.organisation)
        take(.function, \.function)
        take(.origin, \.origin)
        take(.languages, \.languages)
        take(.radioCallSign, \.radioCallSign)
        take(.email, \.email)
        take(.emergencyContactName, \.emergencyContactName)
        take(.emergencyContactPhone, \.emergencyContactPhone)
        take(.arrival, \.arrivalAt)
        take(.plannedDeparture, \.plannedDepartureAt)
        take(.relocationGroup, \.relocationGroup)
        take(.relocationPriority, \.relocationPriority)
        take(.manager, \.manager)
        take(.relocation, \.relocation)
        if let id = roster.externalID { d.externalID = id }
        // Phones by kind: a roster with a mobile column replaces the mobile number only.
        for (field, kinds) in [
            (Field.mobilePhone, [PhoneNumber.Kind.mobile]), (.satellitePhone, [.satellite]),
            (.otherPhone, [.landline, .other]),
        ] where fields.contains(field) {
            d.phones.removeAll { kinds.contains($0.kind) }
            d.phones += roster.phones.filter { kinds.contains($0.kind) }
        }
        let order: [PhoneNumber.Kind] = [.mobile, .satellite, .landline, .other]
        d.phones.sort { order.firstIndex(of: $0.kind)! < order.firstIndex(of: $1.kind)! }
        return d
    }

    /// The numbers that could not be read, to say so (they are kept as written).
    public var unreadablePhones: [PhoneNumber] {
        (phones + [emergencyContactPhone].compactMap { $0 }).filter { $0.e164 == nil }
    }

    /// Checks the rules every way in (form, API, import) shares; all problems at once.
    public func validated() throws(ValidationErrors) -> PersonDraft {
        var errors = ValidationErrors()
        var d = self
        d.fullName = fullName.trimmingCharacters(in: .whitespacesAndNewlines)
        if d.fullName.isEmpty {
            errors.add("full_name", key: "error.person_name", "Give the person's name.")
        } else if d.fullName.count > 150 {
            errors.add("full_name", key: "error.person_name", "A name has at most 150 characters.")
        }
        for (field, text) in [
            ("organisation", organisation), ("function", function), ("radio_call_sign", radioCallSign),
            ("emergency_contact_name", emergencyContactName), ("relocation_group", relocationGroup),
        ] where text.count > 150 {
            errors.add(field, key: "error.too_long", "At most 150 characters.")
        }
        d.organisation = organisation.trimmingCharacters(in: .whitespaces)
        d.function = function.trimmingCharacters(in: .whitespaces)
        d.radioCallSign = radioCallSign.trimmingCharacters(in: .whitespaces)
        d.emergencyContactName = emergencyContactName.trimmingCharacters(in: .whitespaces)
        d.relocationGroup = relocationGroup.trimmingCharacters(in: .whitespaces)
        d.languages = languages.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if d.languages.count > 12 || d.languages.contains(where: { $0.count > 40 }) {
            errors.add("languages", key: "error.person_languages", "At most 12 languages of 40 characters each.")
        }
        d.phones = phones.filter { !$0.text.isEmpty }
        if d.phones.count > 6 || d.phones.contains(where: { $0.text.count > 40 }) {
            errors.add("phones", key: "error.person_phones", "At most 6 phone numbers of 40 characters each.")
        }
        if let phone = emergencyContactPhone {
            if phone.text.isEmpty { d.emergencyContactPhone = nil }
            if phone.text.count > 40 {
                errors.add("emergency_contact_phone", key: "error.too_long", "At most 40 characters.")
            }
        }
        if let email {
            let trimmed = email.trimmingCharacters(in: .whitespaces).lowercased()
            d.email = trimmed.isEmpty ? nil : trimmed
            if let address = d.email, !Self.looksLikeEmail(address) {
                errors.add("email", key: "error.email", "“\(email)” is not an e-mail address.")
            }
        }
        if let externalID {
            let trimmed = externalID.trimmingCharacters(in: .whitespaces)
            d.externalID = trimmed.isEmpty ? nil : trimmed
            if trimmed.count > 64 { errors.add("external_id", key: "error.too_long", "At most 64 characters.") }
        }
        if let arrivalAt, let plannedDepartureAt, plannedDepartureAt < arrivalAt {
            errors.add(
                "planned_departure", key: "error.person_departure", "The planned departure comes before the arrival.")
        }
        if let priority = relocationPriority, !(1...9).contains(priority) {
            errors.add("relocation_priority", key: "error.person_priority", "A relocation priority is 1 to 9.")
        }
        try errors.throwIfAny()
        return d
    }

    /// Enough to catch a mistyped address: one "@" with text on both sides, a dot in the domain,
    /// no spaces.
    public static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && !text.contains(where: \.isWhitespace) && text.count <= 200
    }
}
