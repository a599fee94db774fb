import Foundation

/// The fields of a site as entered, validated before anything is stored.
public struct SiteDraft: Sendable, Hashable {
    public var name: String
    public var type: SiteType
    public var latitude: Double?
    public var longitude: Double?
    public var contactName: String?
    public var contactPhone: String?
    public var notes: String?
    public var audience: AudienceLevel

    public init(
        name: String, type: SiteType, latitude: Double?, longitude: Double?, contactName: String? = nil,
        contactPhone: String? = nil, notes: String? = nil, audience: AudienceLevel
    ) {
        self.name = name
        self.type = type
        self.latitude = latitude
        self.longitude = longitude
        self.contactName = contactName
        self.contactPhone = contactPhone
        self.notes = notes
        self.audience = audience
    }

    /// Returns the draft trimmed, or every problem found.
    public func validated() throws(ValidationErrors) -> SiteDraft {
        var draft = self
        draft.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        draft.contactName = contactName?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        draft.contactPhone = contactPhone?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        draft.notes = notes?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        var errors = ValidationErrors()
        if draft.name.isEmpty || draft.name.count > 200 {
            errors.add("name", key: "error.required", "A name of 1–200 characters is required.")
        }
        switch (latitude, longitude) {
        case let (lat?, lon?):
            if !(-90...90).contains(lat) || !lat.isFinite {
                errors.add(
                    "latitude", key: "error.latitude", "Latitude must be between -90 and 90 (decimal degrees, WGS 84).")
            }
            if !(-180...180).contains(lon) || !lon.isFinite {
                errors.add(
                    "longitude", key: "error.longitude",
                    "Longitude must be between -180 and 180 (decimal degrees, WGS 84).")
            }
        case (nil, nil):
            errors.add(
                "latitude", key: "error.coordinates_required",
                "Latitude and longitude are required (decimal degrees, WGS 84).")
        case (nil, _):
            errors.add(
                "latitude", key: "error.latitude", "Latitude must be between -90 and 90 (decimal degrees, WGS 84).")
        case (_, nil):
            errors.add(
                "longitude", key: "error.longitude", "Longitude must be between -180 and 180 (decimal degrees, WGS 84)."
            )
        }
        // Checked as typed (the API document states the same pattern), then kept trimmed.
        if let phone = contactPhone, !phone.isEmpty,
            phone.range(of: #"^\+?[0-9 ()\-./]{4,32}$"#, options: .regularExpression) == nil
        {
            errors.add("contact_phone", key: "error.phone", "A phone number has digits, spaces and + ( ) - . / only.")
        }
        if (draft.notes?.count ?? 0) > 5000 {
            errors.add("notes", key: "error.too_long", "Notes are limited to 5,000 characters.")
        }
        try errors.throwIfAny()
        return draft
    }
}
