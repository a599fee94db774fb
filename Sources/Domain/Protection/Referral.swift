import Foundation

/// Where a referral stands (MIGRATION.md §3.6, after Primero's transitions): made, sent to the
/// service, accepted or declined by it, then completed or closed. Withdrawing consent stops it.
public enum ReferralStatus: String, CaseIterable, Sendable, Codable, Hashable {
    case draft, sent, accepted, declined, completed, closed, withdrawn

    public var labelKey: String { "referral_status.\(rawValue)" }

    /// The statuses a referral may move to from this one by a caseworker's step (withdrawal of
    /// consent is its own step, open to every referral not yet finished).
    public var next: [ReferralStatus] {
        switch self {
        case .draft: [.sent, .closed]
        case .sent: [.accepted, .declined, .closed]
        case .accepted: [.completed, .closed]
        case .declined: [.closed]
        case .completed, .closed, .withdrawn: []
        }
    }

    /// Still running: consent can be withdrawn, a follow-up is due.
    public var isOpen: Bool { !next.isEmpty && self != .declined }
}

/// How urgent (Primero's risk levels).
public enum ReferralUrgency: String, CaseIterable, Sendable, Codable, Hashable {
    case high, medium, low
    public var labelKey: String { "urgency.\(rawValue)" }
}

/// The person's informed consent to this referral (MIGRATION.md §3.9).
public enum ConsentStatus: String, CaseIterable, Sendable, Codable, Hashable {
    case given, refused
    /// The person cannot consent (an unaccompanied child without a guardian, unconscious, …).
    case notPossible = "not_possible"
    public var labelKey: String { "consent.\(rawValue)" }
}

/// Who holds the tracing case an RFL referral points to.
public enum TracingAgency: String, CaseIterable, Sendable, Codable, Hashable {
    case nationalSociety = "national_society", icrc
    public var labelKey: String { "tracing_agency.\(rawValue)" }
}

/// UNHCR's specific-needs codes (MIGRATION.md §3.5): the subset Primero seeds, with the codes the
/// role profile names (unaccompanied and separated children, refoulement, SGBV). Stored as codes.
public enum SpecificNeed: String, CaseIterable, Sendable, Codable, Hashable {
    case childParent = "CR-CP", childSpouse = "CR-CS", childCarer = "CR-CC", teenagePregnancy = "CR-TP"
    case worstChildLabour = "CR-LW", otherChildLabour = "CR-LO", notAttendingSchool = "CR-NE"
    case specialEducation = "CR-SE", armedForces = "CR-AF", conflictWithLaw = "CR-CL"
    case unaccompanied = "SC-UC", separated = "SC-SC", childHeaded = "SC-CH", institutionalCare = "SC-IC"
    case fosterCare = "SC-FC"
    case visual = "DS-BD", hearing = "DS-DF", physicalModerate = "DS-PM", physicalSevere = "DS-PS"
    case mentalModerate = "DS-MM", mentalSevere = "DS-MS", speech = "DS-SD"
    case mentalIllness = "SM-MI", malnutrition = "SM-MN", chronicIllness = "SM-CI", critical = "SM-CC"
    case otherMedical = "SM-OT"
    case tracing = "FU-TR", reunification = "FU-FR"
    case noDocuments = "LP-ND", violenceAbuseNeglect = "LP-AN", multipleDisplacement = "LP-MD"
    case marginalised = "LP-MS", refoulement = "LP-RR"
    case tortureImpairment = "TR-PI", forcedActs = "TR-HO", witnessOfViolence = "TR-WV"
    case sgbv = "SV-VA"
    case womanAtRisk = "WR-WR", olderPersonAtRisk = "ER-NF", singleParent = "SP-PT"

    /// The category's catalogue key ("need_category.sc"), under which codes are grouped.
    public var categoryKey: String { "need_category.\(rawValue.prefix(2).lowercased())" }
    /// The code's own catalogue key ("need.sc_uc").
    public var labelKey: String { "need.\(rawValue.lowercased().replacingOccurrences(of: "-", with: "_"))" }
}

/// A referral as entered, checked before it is stored. The person is a pseudonymous reference;
/// a name only with their consent to be named. An RFL referral holds only the tracing case's
/// number, never tracing data.
public struct ReferralDraft: Sendable, Hashable {
    public var personRef: String
    /// Only when the person agreed to be named.
    public var personName: String?
    public var serviceID: ServiceID
    public var needs: [SpecificNeed]
    /// The needs in words; none on an RFL referral.
    public var needNote: String?
    public var urgency: ReferralUrgency
    public var consent: ConsentStatus
    /// Who asked for consent, and the day.
    public var consentBy: String
    public var consentOn: Date
    /// Required unless consent was given: why the referral goes ahead, and who approved it.
    public var overrideReason: String?
    public var overrideApprover: UserID?
    public var rfl: Bool
    public var tracingAgency: TracingAgency?
    public var tracingCaseNumber: String?
    public var followUpOn: Date?
    /// The caseworker who follows it up.
    public var assignedTo: UserID?

    public init(
        personRef: String, personName: String? = nil, serviceID: ServiceID, needs: [SpecificNeed] = [],
        needNote: String? = nil, urgency: ReferralUrgency = .medium, consent: ConsentStatus, consentBy: String,
        consentOn: Date, overrideReason: String? = nil, overrideApprover: UserID? = nil, rfl: Bool = false,
        tracingAgency: TracingAgency? = nil, tracingCaseNumber: String? = nil, followUpOn: Date? = nil,
        assignedTo: UserID? = nil
    ) {
        self.personRef = personRef
        self.personName = personName
        self.serviceID = serviceID
        self.needs = needs
        self.needNote = needNote
        self.urgency = urgency
        self.consent = consent
        self.consentBy = consentBy
        self.consentOn = consentOn
        self.overrideReason = overrideReason
        self.overrideApprover = overrideApprover
        self.rfl = rfl
        self.tracingAgency = tracingAgency
        self.tracingCaseNumber = tracingCaseNumber
        self.followUpOn = followUpOn
        self.assignedTo = assignedTo
    }
}

/// A referral as given (the form, the API), before it is checked: the one decoder both share.
public struct ReferralInput: Sendable, Equatable, Encodable {
    public var personRef = ""
    /// "yes" when the person agreed to be named; the name is refused otherwise.
    public var nameConsent = "no"
    public var personName = ""
    public var service = ""
    public var needs: [String] = []
    public var needNote = ""
    public var urgency = ReferralUrgency.medium.rawValue
    public var consent = ""
    public var consentBy = ""
    public var consentOn = ""
    public var overrideReason = ""
    public var overrideApprover = ""
    public var rfl = "no"
    public var tracingAgency = ""
    public var tracingCaseNumber = ""
    public var followUpOn = ""
    public var assignedTo = ""

    public init() {}

    /// The checked draft; every problem at once, each named by its field. `today` bounds the
    /// consent day (not in the future).
    public func decoded(today: Date) throws(ValidationErrors) -> ReferralDraft {
        var errors = ValidationErrors()
        func trimmed(_ text: String) -> String? { text.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty }
        func user(_ text: String, _ field: String) -> UserID? {
            guard let value = trimmed(text) else { return nil }
            guard let uuid = UUID(uuidString: value) else {
                errors.add(field, key: "error.choose", "Not an account: \(value)")
                return nil
            }
            return UserID(rawValue: uuid)
        }
        let reference = trimmed(personRef) ?? ""
        if reference.range(of: #"^[A-Za-z0-9][A-Za-z0-9\-_/.]{0,39}$"#, options: .regularExpression) == nil {
            errors.add(
                "person_ref", key: "error.person_ref",
                "A reference of 1–40 letters, digits and - _ / . is required (a case or token number, never a name).")
        }
        let named = nameConsent == "yes"
        var name = trimmed(personName)
        if name != nil, !named {
            errors.add(
                "person_name", key: "error.name_without_consent",
                "A name is kept only when the person agreed to be named.")
        }
        if (name?.count ?? 0) > 200 { errors.add("person_name", key: "error.too_long", "At most 200 characters.") }
        let service = trimmed(self.service).flatMap { UUID(uuidString: $0) }.map { ServiceID(rawValue: $0) }
        if service == nil { errors.add("service", key: "error.choose", "Choose the service to refer to.") }
        var needs: [SpecificNeed] = []
        for code in self.needs where trimmed(code) != nil {
            if let need = SpecificNeed(rawValue: code.trimmingCharacters(in: .whitespaces).uppercased()) {
                if !needs.contains(need) { needs.append(need) }
            } else {
                errors.add("needs", key: "error.choose", "Unknown specific-needs code '\(code)'.")
            }
        }
        let rfl = self.rfl == "yes"
        var note = trimmed(needNote)
        if (note?.count ?? 0) > 2000 { errors.add("need_note", key: "error.too_long", "At most 2,000 characters.") }
        let urgency = ReferralUrgency(rawValue: urgency)
        if urgency == nil { errors.add("urgency", key: "error.choose", "Urgency is high, medium or low.") }
        let consent = ConsentStatus(rawValue: consent)
        if consent == nil {
            errors.add("consent", key: "error.consent", "Record the person's consent: given, refused or not possible.")
        }
        let consentBy = trimmed(self.consentBy)
        if consentBy == nil {
            errors.add("consent_by", key: "error.required", "Who asked the person for consent is required.")
        }
        let consentOn = trimmed(self.consentOn).flatMap(DateText.day)
        if consentOn == nil {
            errors.add("consent_on", key: "error.date", "The day consent was asked (YYYY-MM-DD) is required.")
        } else if let day = consentOn, day > today {
            errors.add("consent_on", key: "error.future", "Consent cannot be recorded for a day after today.")
        }
        let reason = trimmed(overrideReason)
        let approver = user(overrideApprover, "override_approver")
        if let consent, consent != .given {
            if reason == nil {
                errors.add(
                    "override_reason", key: "error.override_reason",
                    "Without the person's consent, a referral needs the reason it goes ahead.")
            }
            if approver == nil {
                errors.add(
                    "override_approver", key: "error.override_approver",
                    "Without consent, name who approved the referral.")
            }
        }
        var agency: TracingAgency?
        var caseNumber: String?
        if rfl {
            agency = TracingAgency(rawValue: tracingAgency)
            if agency == nil {
                errors.add(
                    "tracing_agency", key: "error.choose", "Whose tracing case: the National Society or the ICRC.")
            }
            caseNumber = trimmed(tracingCaseNumber)
            if caseNumber?.range(of: #"^[A-Za-z0-9][A-Za-z0-9\-_/.]{0,39}$"#, options: .regularExpression) == nil {
                errors.add(
                    "tracing_case_number", key: "error.tracing_case_number",
                    "An RFL referral holds the tracing case's number (letters, digits, - _ / .), nothing else.")
            }
            // Tracing data stays with the National Society or the ICRC: no name, no words about the case.
            if name != nil {
                errors.add(
                    "person_name", key: "error.rfl_no_data", "An RFL referral holds no name: only the case number.")
            }
            if note != nil {
                errors.add(
                    "need_note", key: "error.rfl_no_data", "An RFL referral holds no notes: only the case number.")
            }
        } else if trimmed(tracingCaseNumber) != nil {
            errors.add(
                "tracing_case_number", key: "error.rfl_only", "A tracing case number belongs to an RFL referral.")
        }
        let followUp = trimmed(followUpOn).flatMap { text -> Date? in
            let day = DateText.day(text)
            if day == nil { errors.add("follow_up_on", key: "error.date", "Not a day (YYYY-MM-DD): \(text)") }
            return day
        }
        let assigned = user(assignedTo, "assigned_to")
        try errors.throwIfAny()
        if !named { name = nil }
        if rfl { note = nil }
        return ReferralDraft(
            personRef: reference, personName: name, serviceID: service!, needs: needs, needNote: note,
            urgency: urgency ?? .medium, consent: consent ?? .refused, consentBy: consentBy ?? "",
            consentOn: consentOn ?? today, overrideReason: consent == .given ? nil : reason,
            overrideApprover: consent == .given ? nil : approver, rfl: rfl, tracingAgency: agency,
            tracingCaseNumber: caseNumber, followUpOn: followUp, assignedTo: assigned)
    }
}

/// Small-cell suppression for referral figures that leave the desk (MIGRATION.md §3.9): a count
/// from 1 to 4 could point at a person, so it is shown as "<5". Zero says nothing about anyone.
public enum SmallCells {
    public static let threshold = 5

    public static func text(_ count: Int) -> String {
        count > 0 && count < threshold ? "<\(threshold)" : String(count)
    }

    public static func isSuppressed(_ count: Int) -> Bool { count > 0 && count < threshold }

    /// A row of counts and its total, as text, with secondary suppression: when the total is shown
    /// and exactly one cell is hidden, the total less the visible cells would give it away, so the
    /// smallest other non-zero cell is hidden too (zeros say nothing and stay shown).
    public static func row(_ counts: [Int]) -> (cells: [String], total: String) {
        let total = counts.reduce(0, +)
        var hidden = Set(counts.indices.filter { isSuppressed(counts[$0]) })
        if hidden.count == 1, !isSuppressed(total),
            let other = counts.indices.filter({ !hidden.contains($0) && counts[$0] > 0 }).min(by: {
                counts[$0] < counts[$1]
            })
        {
            hidden.insert(other)
        }
        return (
            counts.indices.map { hidden.contains($0) ? "<\(threshold)" : String(counts[$0]) },
            text(total)
        )
    }
}
