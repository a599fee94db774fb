import Foundation

/// A site as given, before it is checked: what the web form posts and what the API's JSON says,
/// written as text. `decoded()` is the one decoder both share. An API change (PATCH) starts from
/// the stored site's input and overwrites only the fields it names, so a field left out keeps its
/// stored value, protections included.
public struct SiteInput: Codable, Sendable, Equatable {
    public var name = ""
    public var type = SiteType.office.rawValue
    /// Decimal degrees (WGS 84); a comma is read as the decimal point.
    public var latitude = ""
    public var longitude = ""
    public var contactName = ""
    public var contactPhone = ""
    public var notes = ""
    public var audience = AudienceLevel.ifrcOnly.rawValue
    /// Roles named on a restricted site besides security.
    public var grantRoles: [String] = []

    public init() {}

    /// The input that gives back a stored site.
    public init(_ draft: SiteDraft, grantRoles: Set<Role>) {
        name = draft.name
        type = draft.type.rawValue
        latitude = draft.latitude.map { String($0) } ?? ""
        longitude = draft.longitude.map { String($0) } ?? ""
        contactName = draft.contactName ?? ""
        contactPhone = draft.contactPhone ?? ""
        notes = draft.notes ?? ""
        audience = draft.audience.rawValue
        self.grantRoles = Role.allCases.filter(grantRoles.contains).map(\.rawValue)
    }

    /// The checked draft and the roles named on it; every problem at once, each named by its field.
    public func decoded() throws(ValidationErrors) -> (draft: SiteDraft, grantRoles: Set<Role>) {
        var errors = ValidationErrors()
        let type = SiteType(rawValue: type)
        if type == nil {
            errors.add(
                "type", key: "error.choose",
                "Unknown site type '\(self.type)'; one of: "
                    + SiteType.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        }
        let audience = AudienceLevel(rawValue: audience)
        if audience == nil {
            errors.add(
                "audience", key: "error.choose",
                "Unknown audience '\(self.audience)'; one of: "
                    + AudienceLevel.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        }
        func degrees(_ text: String, _ field: String) -> Double? {
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            if let value = DecimalText.double(text) { return value }
            errors.add(field, key: "error.\(field)", "Not a number: \(text)")
            return nil
        }
        let latitude = degrees(latitude, "latitude")
        let longitude = degrees(longitude, "longitude")
        var roles = Set<Role>()
        for text in grantRoles {
            if let role = Role(rawValue: text) {
                roles.insert(role)
            } else {
                errors.add("grant_roles", key: "error.choose", "Unknown role '\(text)'.")
            }
        }
        try errors.throwIfAny()
        let draft = try SiteDraft(
            name: name, type: type ?? .other, latitude: latitude, longitude: longitude, contactName: contactName,
            contactPhone: contactPhone, notes: notes, audience: audience ?? .restricted
        ).validated()
        return (draft, roles)
    }
}
