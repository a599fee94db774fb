import Foundation

/// An organisation, or a person in one.
public enum StakeholderKind: String, CaseIterable, Sendable, Codable, Hashable {
    case organisation, person

    public var labelKey: String { "stakeholder_kind.\(rawValue)" }
}

/// What kind of actor a stakeholder is: the Security Coordinator's network (ICRC, HNS, PNS, UN
/// security, INSO, INGOs, authorities, communities; SECURITY role profile) and MIGRATION.md §3.12's
/// taxonomy for the migration actors, in one list.
public enum StakeholderType: String, CaseIterable, Sendable, Codable, Hashable {
    case ifrc, icrc
    case hostNationalSociety = "host_national_society"
    case partnerNationalSociety = "partner_national_society"
    case unAgency = "un_agency"
    /// INSO and other NGO security platforms.
    case ngoSecurityPlatform = "ngo_security_platform"
    case ingo, nngo
    /// Community-based, diaspora and migrant-led organisations.
    case communityOrganisation = "community_organisation"
    case ministry, police, military
    case borderAuthority = "border_authority"
    case disasterManagement = "disaster_management"
    case localGovernment = "local_government"
    case communityLeader = "community_leader"
    /// A Regional Consultative Process on migration (Khartoum Process, IGAD-RCP …).
    case regionalProcess = "regional_process"
    /// AU, IGAD, the EU …
    case regionalBody = "regional_body"
    case donor, academic
    case privateSector = "private_sector"
    case media

    public var labelKey: String { "stakeholder_type.\(rawValue)" }

    public var group: StakeholderGroup {
        switch self {
        case .ifrc, .icrc, .hostNationalSociety, .partnerNationalSociety: .movement
        case .unAgency: .unitedNations
        case .ngoSecurityPlatform, .ingo, .nngo, .communityOrganisation: .ngo
        case .ministry, .police, .military, .borderAuthority, .disasterManagement, .localGovernment: .authority
        case .communityLeader: .community
        case .regionalProcess, .regionalBody: .regional
        case .donor, .academic, .privateSector, .media: .other
        }
    }
}

/// The families of actor types, as the registry groups them.
public enum StakeholderGroup: String, CaseIterable, Sendable, Codable, Hashable {
    case movement
    case unitedNations = "un"
    case ngo, authority, community, regional, other

    public var labelKey: String { "stakeholder_group.\(rawValue)" }
}

/// Which of the two roles a stakeholder matters to: the security network and the migration actors
/// are two views of one registry, and "both" shows in each.
public enum StakeholderTopic: String, CaseIterable, Sendable, Codable, Hashable {
    case security, migration, both

    public var labelKey: String { "stakeholder_topic.\(rawValue)" }

    /// Does an entry of this topic belong in the view of `view`?
    public func shows(in view: StakeholderTopic) -> Bool { view == .both || self == .both || self == view }
}

/// How a stakeholder stands with the IFRC (MIGRATION.md §3.12's relations, with the Movement and
/// the authorities, which the Security Coordinator's network holds).
public enum IFRCRelation: String, CaseIterable, Sendable, Codable, Hashable {
    case movement
    /// A memorandum of understanding, an HSP access agreement.
    case formalAgreement = "formal_agreement"
    case coordinationMember = "coordination_member"
    case donor
    case referralPartner = "referral_partner"
    /// An authority the operation answers to or works through.
    case authorityCounterpart = "authority_counterpart"
    case informal
    case none

    public var labelKey: String { "ifrc_relation.\(rawValue)" }
}

/// Where a stakeholder sits on the influence × interest map, by the usual four quadrants.
public enum EngagementQuadrant: String, CaseIterable, Sendable, Hashable {
    case manageClosely = "manage_closely"
    case keepSatisfied = "keep_satisfied"
    case keepInformed = "keep_informed"
    case monitor

    public var labelKey: String { "quadrant.\(rawValue)" }

    /// Influence and interest on 1 (low) to 5 (high); 3 and above is high.
    public init(influence: Int, interest: Int) {
        switch (influence >= 3, interest >= 3) {
        case (true, true): self = .manageClosely
        case (true, false): self = .keepSatisfied
        case (false, true): self = .keepInformed
        case (false, false): self = .monitor
        }
    }
}

/// A stakeholder as entered, checked before it is stored.
public struct StakeholderDraft: Sendable, Hashable, Codable {
    public var kind: StakeholderKind
    public var name: String
    /// "UNHCR", "SRCS": what people call it.
    public var acronym: String?
    public var actorType: StakeholderType
    /// A person's organisation in the registry.
    public var organisationID: StakeholderID?
    /// A person's role there ("Head of Sub-Office", "Area Security Adviser").
    public var position: String?
    public var mandate: String?
    public var topic: StakeholderTopic
    public var relation: IFRCRelation
    /// 1 (low) to 5 (high).
    public var influence: Int
    public var interest: Int
    /// The member of the team who owns the relationship.
    public var ownerID: UserID?
    public var lastVerifiedOn: Date?
    public var emails: [String]
    /// "number, kind, note", as the referral directory writes phones.
    public var phones: [ServicePhone]
    public var website: String?
    public var address: String?
    public var notes: String?
    public var audience: AudienceLevel

    public init(
        kind: StakeholderKind, name: String, acronym: String? = nil, actorType: StakeholderType,
        organisationID: StakeholderID? = nil, position: String? = nil, mandate: String? = nil,
        topic: StakeholderTopic = .both, relation: IFRCRelation = .none, influence: Int = 3, interest: Int = 3,
        ownerID: UserID? = nil, lastVerifiedOn: Date? = nil, emails: [String] = [], phones: [ServicePhone] = [],
        website: String? = nil, address: String? = nil, notes: String? = nil, audience: AudienceLevel = .ifrcOnly
    ) {
        self.kind = kind
        self.name = name
        self.acronym = acronym
        self.actorType = actorType
        self.organisationID = organisationID
        self.position = position
        self.mandate = mandate
        self.topic = topic
        self.relation = relation
        self.influence = influence
        self.interest = interest
        self.ownerID = ownerID
        self.lastVerifiedOn = lastVerifiedOn
        self.emails = emails
        self.phones = phones
        self.website = website
        self.address = address
        self.notes = notes
        self.audience = audience
    }

    public var quadrant: EngagementQuadrant { EngagementQuadrant(influence: influence, interest: interest) }

    /// Has nobody confirmed the entry within `days` of `today`? An entry never verified is stale.
    public func isStale(today: Date, afterDays days: Int) -> Bool {
        guard let lastVerifiedOn else { return true }
        return today.timeIntervalSince(lastVerifiedOn) > Double(days) * 86_400
    }
}

/// A stakeholder as given, before it is checked: the form, the API's JSON and a CSV row, as text.
/// `decoded()` is the one decoder all of them share. A change starts from the stored entry's input
/// and overwrites only what it names, so a field left out keeps its value (the audience included).
public struct StakeholderInput: Codable, Sendable, Equatable {
    public var kind = StakeholderKind.organisation.rawValue
    public var name = ""
    public var acronym = ""
    public var actorType = ""
    /// The organisation's id in the registry, or empty.
    public var organisationID = ""
    public var position = ""
    public var mandate = ""
    public var topic = StakeholderTopic.both.rawValue
    public var relation = IFRCRelation.none.rawValue
    public var influence = "3"
    public var interest = "3"
    /// The owner's account id, or empty.
    public var ownerID = ""
    /// "YYYY-MM-DD".
    public var lastVerifiedOn = ""
    public var emails: [String] = []
    /// One phone a line: "number, kind, note".
    public var phones: [String] = []
    public var website = ""
    public var address = ""
    public var notes = ""
    /// Contacts are IFRC-only unless said otherwise.
    public var audience = AudienceLevel.ifrcOnly.rawValue

    public init() {}

    public init(_ d: StakeholderDraft) {
        kind = d.kind.rawValue
        name = d.name
        acronym = d.acronym ?? ""
        actorType = d.actorType.rawValue
        organisationID = d.organisationID?.uuidString ?? ""
        position = d.position ?? ""
        mandate = d.mandate ?? ""
        topic = d.topic.rawValue
        relation = d.relation.rawValue
        influence = String(d.influence)
        interest = String(d.interest)
        ownerID = d.ownerID?.uuidString ?? ""
        lastVerifiedOn = d.lastVerifiedOn.map(DateText.day) ?? ""
        emails = d.emails
        phones = d.phones.map(\.line)
        website = d.website ?? ""
        address = d.address ?? ""
        notes = d.notes ?? ""
        audience = d.audience.rawValue
    }

    /// The checked entry; every problem at once, each named by its field.
    public func decoded(today: Date? = nil) throws(ValidationErrors) -> StakeholderDraft {
        var read = FieldReader()
        let kind = read.choice(self.kind, "kind", StakeholderKind.self)
        let name = read.limited(self.name, "name", 200)
        if name == nil { read.errors.add("name", key: "error.required", "A name of 1–200 characters is required.") }
        let actorType = read.choice(self.actorType, "actor_type", StakeholderType.self)
        if read.trimmed(self.actorType) == nil {
            read.errors.add(
                "actor_type", key: "error.required",
                "The actor type is required; one of: "
                    + StakeholderType.allCases.map(\.rawValue).joined(separator: ", ")
                    + ".")
        }
        let topic = read.choice(self.topic, "topic", StakeholderTopic.self)
        let relation = read.choice(self.relation, "relation", IFRCRelation.self)
        let audience = read.choice(self.audience, "audience", AudienceLevel.self)
        let influence = read.scale(self.influence, "influence")
        let interest = read.scale(self.interest, "interest")
        let organisation = read.identifier(organisationID, "organisation_id").map(StakeholderID.init(rawValue:))
        if kind == .organisation, organisation != nil {
            read.errors.add(
                "organisation_id", key: "error.organisation_of_organisation",
                "An organisation is not in another organisation; only a person is.")
        }
        let owner = read.identifier(ownerID, "owner_id").map(UserID.init(rawValue:))
        let verified = read.day(lastVerifiedOn, "last_verified_on", notAfter: today)
        var emails: [String] = []
        for text in self.emails.flatMap({ $0.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isNewline }) }) {
            guard let email = read.trimmed(String(text)) else { continue }
            if email.count > 254 || email.range(of: #"^[^@\s]+@[^@\s]+\.[^@\s]+$"#, options: .regularExpression) == nil
            {
                read.errors.add("emails", key: "error.email", "Not an e-mail address: \(email)")
            } else if !emails.contains(where: { $0.lowercased() == email.lowercased() }) {
                emails.append(email)
            }
        }
        var phones: [ServicePhone] = []
        for line in self.phones where read.trimmed(line) != nil {
            switch ServicePhone.parse(line) {
            case .success(let phone): phones.append(phone)
            case .failure(let problem):
                read.errors.add("phones", key: "error.phone_line", "Phone '\(problem.line)': \(problem.reason).")
            }
        }
        if emails.count > 20 { read.errors.add("emails", key: "error.too_many", "At most 20 e-mail addresses.") }
        if phones.count > 20 { read.errors.add("phones", key: "error.too_many", "At most 20 phones.") }
        let website = read.limited(self.website, "website", 500)
        if let website, !(website.hasPrefix("https://") || website.hasPrefix("http://")) || website.contains(" ") {
            read.errors.add(
                "website", key: "error.url", "A web address starts with https:// or http:// and has no spaces.")
        }
        let acronym = read.limited(self.acronym, "acronym", 40)
        let position = read.limited(self.position, "position", 200)
        let mandate = read.limited(self.mandate, "mandate", 2000)
        let address = read.limited(self.address, "address", 500)
        let notes = read.limited(self.notes, "notes", 5000)
        try read.errors.throwIfAny()
        return StakeholderDraft(
            kind: kind ?? .organisation, name: name ?? "", acronym: acronym, actorType: actorType ?? .ingo,
            organisationID: organisation, position: position, mandate: mandate,
            topic: topic ?? .both, relation: relation ?? .none, influence: influence ?? 3, interest: interest ?? 3,
            ownerID: owner, lastVerifiedOn: verified, emails: emails, phones: phones, website: website,
            address: address, notes: notes, audience: audience ?? .ifrcOnly)
    }
}

/// Reads the text fields of an input, collecting every problem under its field's name: the small
/// readers the coordination decoders share.
public struct FieldReader {
    public var errors: ValidationErrors

    public init(errors: ValidationErrors = ValidationErrors()) { self.errors = errors }

    public func trimmed(_ text: String) -> String? { text.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty }

    public mutating func limited(_ text: String, _ field: String, _ limit: Int) -> String? {
        let value = trimmed(text)
        if let value, value.count > limit { errors.add(field, key: "error.too_long", "At most \(limit) characters.") }
        return value
    }

    /// A closed vocabulary's value, exactly as given (trimmed); nil with a problem when it is not one.
    public mutating func choice<T: RawRepresentable & CaseIterable>(_ text: String, _ field: String, _ type: T.Type)
        -> T? where T.RawValue == String
    {
        guard let value = trimmed(text) else { return nil }
        if let chosen = T(rawValue: value) { return chosen }
        errors.add(
            field, key: "error.choose",
            "Unknown value '\(value)'; one of: " + T.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        return nil
    }

    /// 1 to 5.
    public mutating func scale(_ text: String, _ field: String) -> Int? {
        guard let value = trimmed(text) else { return nil }
        guard let number = WholeNumber.parse(Substring(value)), (1...5).contains(number) else {
            errors.add(field, key: "error.scale", "A whole number from 1 (low) to 5 (high), not '\(value)'.")
            return nil
        }
        return number
    }

    public mutating func identifier(_ text: String, _ field: String) -> UUID? {
        guard let value = trimmed(text) else { return nil }
        guard let id = UUID(uuidString: value) else {
            errors.add(field, key: "error.choose", "Not an id: \(value)")
            return nil
        }
        return id
    }

    public mutating func day(_ text: String, _ field: String, notAfter today: Date? = nil) -> Date? {
        guard let value = trimmed(text) else { return nil }
        guard let day = DateText.day(value) else {
            errors.add(field, key: "error.date", "Not a day (YYYY-MM-DD): \(value)")
            return nil
        }
        if let today, day > today { errors.add(field, key: "error.future", "This day is after today.") }
        return day
    }

    public mutating func yesNo(_ text: String, _ field: String) -> Bool? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "": return nil
        case "yes", "true", "1", "on": return true
        case "no", "false", "0", "off": return false
        default:
            errors.add(field, key: "error.choose", "Answer yes or no, not '\(text)'.")
            return nil
        }
    }
}

/// The registry's settings.
public struct NetworkSettings: Sendable, Hashable, SettingsGroup {
    public enum Key: String, CaseIterable, Sendable, SettingsKey {
        case verifyAfterDays = "network_verify_after_days"
    }

    /// An entry nobody has verified for this many days is flagged.
    public var verifyAfterDays: Int

    public init(verifyAfterDays: Int = 90) { self.verifyAfterDays = verifyAfterDays }

    public static let defaults = NetworkSettings()

    public func json(_ key: Key) -> String { String(verifyAfterDays) }

    public func replacing(_ key: Key, json: String) throws(ValidationErrors) -> NetworkSettings {
        guard let days = WholeNumber.parse(Substring(json.trimmingCharacters(in: .whitespacesAndNewlines))),
            (1...3650).contains(days)
        else {
            var errors = ValidationErrors()
            errors.add(key.rawValue, key: "error.days", "A whole number of days from 1 to 3650.")
            throw errors
        }
        return NetworkSettings(verifyAfterDays: days)
    }
}
