import Foundation

/// A person as given, field by field, before it is checked: what the form posts, what the API's
/// JSON says, and what a roster row holds, as text. `decoded(clock:country:)` is the one decoder
/// they share. An API change (PATCH) starts from the stored person's input and overwrites only the
/// fields it names.
public struct PersonInput: Codable, Sendable, Equatable {
    public var fullName = ""
    public var category = PersonCategory.delegate.rawValue
    public var organisation = ""
    public var function = ""
    public var origin = StaffOrigin.international.rawValue
    /// Comma-separated.
    public var languages = ""
    public var mobilePhone = ""
    public var satellitePhone = ""
    public var otherPhone = ""
    public var radioCallSign = ""
    public var email = ""
    public var emergencyContactName = ""
    public var emergencyContactPhone = ""
    /// A day, or a day and time on the operation's clock.
    public var arrival = ""
    public var plannedDeparture = ""
    /// Site ids.
    public var residence = ""
    public var assemblyPoint = ""
    public var relocationGroup = ""
    public var relocationPriority = ""
    /// The account's id.
    public var account = ""
    public var externalID = ""
    /// "yes" or empty.
    public var manager = ""
    /// A `RelocationChoice`, or empty while undecided.
    public var relocation = ""

    public init() {}

    /// The input that gives back a stored person.
    public init(_ draft: PersonDraft, clock: OperationTime) {
        fullName = draft.fullName
        category = draft.category.rawValue
        organisation = draft.organisation
        function = draft.function
        origin = draft.origin.rawValue
        languages = draft.languages.joined(separator: ", ")
        mobilePhone = draft.phones.first { $0.kind == .mobile }?.text ?? ""
        satellitePhone = draft.phones.first { $0.kind == .satellite }?.text ?? ""
        otherPhone = draft.phones.first { $0.kind != .mobile && $0.kind != .satellite }?.text ?? ""
        radioCallSign = draft.radioCallSign
        email = draft.email ?? ""
        emergencyContactName = draft.emergencyContactName
        emergencyContactPhone = draft.emergencyContactPhone?.text ?? ""
        arrival = draft.arrivalAt.map(clock.formTime) ?? ""
        plannedDeparture = draft.plannedDepartureAt.map(clock.formTime) ?? ""
        residence = draft.residenceSiteID?.uuidString ?? ""
        assemblyPoint = draft.assemblyPointSiteID?.uuidString ?? ""
        relocationGroup = draft.relocationGroup
        relocationPriority = draft.relocationPriority.map(String.init) ?? ""
        account = draft.userID?.uuidString ?? ""
        externalID = draft.externalID ?? ""
        manager = draft.manager ? "yes" : ""
        relocation = draft.relocation?.rawValue ?? ""
    }

    /// The checked draft; every problem at once, each named by its field. Phone numbers are read
    /// as E.164 with `country` (the operation's, ISO alpha-3) for national ones; a number that
    /// cannot be read is kept as written (`PersonDraft.unreadablePhones` says which).
    public func decoded(clock: OperationTime, country: String?) throws(ValidationErrors) -> PersonDraft {
        var errors = ValidationErrors()
        func choice<T: RawRepresentable & CaseIterable>(_ text: String, _ field: String, _ type: T.Type) -> T?
        where T.RawValue == String {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if let value = T(rawValue: trimmed) { return value }
            errors.add(
                field, key: "error.choose",
                "Unknown \(field.replacingOccurrences(of: "_", with: " ")) '\(trimmed)'; one of: "
                    + T.allCases.map(\.rawValue).joined(separator: ", ") + ".")
            return nil
        }
        func time(_ text: String, _ field: String) -> Date? {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return nil }
            if let value = clock.time(trimmed) { return value }
            errors.add(field, key: "error.date", "“\(trimmed)” is not a date such as 2026-12-05 or 2026-12-05 14:30.")
            return nil
        }
        func id<Tag>(_ text: String, _ field: String, _: Tag.Type) -> Tagged<Tag, UUID>? {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return nil }
            if let uuid = UUID(uuidString: trimmed) { return Tagged(uuid) }
            errors.add(field, key: "error.choose", "“\(trimmed)” is not one of the choices.")
            return nil
        }
        let category = choice(category, "category", PersonCategory.self)
        // Not given: National Society people are national, everyone else international.
        let origin =
            origin.trimmingCharacters(in: .whitespaces).isEmpty
            ? ([.nationalSocietyStaff, .nationalSocietyVolunteer].contains(category) ? .national : .international)
            : choice(origin, "origin", StaffOrigin.self)
        let arrivalAt = time(arrival, "arrival")
        let departureAt = time(plannedDeparture, "planned_departure")
        let residence = id(residence, "residence", IdentifierTag.Site.self)
        let assembly = id(assemblyPoint, "assembly_point", IdentifierTag.Site.self)
        let userID = id(account, "account", IdentifierTag.User.self)
        let relocationText = relocation.trimmingCharacters(in: .whitespaces)
        let relocation = relocationText.isEmpty ? nil : choice(relocationText, "relocation", RelocationChoice.self)
        let managerText = manager.trimmingCharacters(in: .whitespaces).lowercased()
        if !["", "yes", "no", "true", "false", "1", "0"].contains(managerText) {
            errors.add("manager", key: "error.choose", "“\(manager)” is not yes or no.")
        }
        var priority: Int?
        let priorityText = relocationPriority.trimmingCharacters(in: .whitespaces)
        if !priorityText.isEmpty {
            priority = WholeNumber.parse(Substring(priorityText))
            if priority == nil {
                errors.add("relocation_priority", key: "error.person_priority", "A relocation priority is 1 to 9.")
            }
        }
        let phones = [(PhoneNumber.Kind.mobile, mobilePhone), (.satellite, satellitePhone), (.other, otherPhone)]
            .filter { !$0.1.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { PhoneNumber(kind: $0.0, reading: $0.1, country: country) }
        let emergency = emergencyContactPhone.trimmingCharacters(in: .whitespaces)
        let draft = PersonDraft(
            fullName: fullName, category: category ?? .visitor, organisation: organisation, function: function,
            origin: origin ?? .international, languages: languages.split(separator: ",").map(String.init),
            phones: phones, radioCallSign: radioCallSign, email: email, emergencyContactName: emergencyContactName,
            emergencyContactPhone: emergency.isEmpty
                ? nil : PhoneNumber(kind: .other, reading: emergency, country: country),
            arrivalAt: arrivalAt, plannedDepartureAt: departureAt, residenceSiteID: residence,
            assemblyPointSiteID: assembly, relocationGroup: relocationGroup, relocationPriority: priority,
            userID: userID, externalID: externalID, manager: ["yes", "true", "1"].contains(managerText),
            relocation: relocation)
        do {
            let checked = try draft.validated()
            try errors.throwIfAny()
            return checked
        } catch {
            errors.merge(error)
            throw errors
        }
    }
}
