import Foundation

/// Where a person is: at a site, somewhere in an admin area, or at a point with its precision.
public enum PersonPlace: Sendable, Hashable {
    case site(SiteID)
    case area(String)
    case point(latitude: Double, longitude: Double, precisionMeters: Int?)
}

/// Who confirmed a location and how (SECURITY.md §1.9: self check-in, the radio room's call).
public enum LocationSource: String, CaseIterable, Sendable, Codable, Hashable {
    /// The person, on their phone.
    case person = "self"
    /// A movement's check-in.
    case checkIn = "check_in"
    /// The coordinator or the radio room, from a call.
    case radioRoom = "radio_room"
    public var labelKey: String { "location_source.\(rawValue)" }
}

/// A person's location as last confirmed.
public struct PersonLocation: Sendable, Hashable {
    public var place: PersonPlace
    /// The admin area the place lies in (a site's, or the one a point falls in), for headcounts.
    public var areaPcode: String?
    public var confirmedAt: Date
    public var confirmedBy: UserID?
    public var source: LocationSource
    public var note: String

    public init(
        place: PersonPlace, areaPcode: String?, confirmedAt: Date, confirmedBy: UserID?, source: LocationSource,
        note: String = ""
    ) {
        self.place = place
        self.areaPcode = areaPcode
        self.confirmedAt = confirmedAt
        self.confirmedBy = confirmedBy
        self.source = source
        self.note = note
    }

    /// Stale once `hours` have passed since it was confirmed.
    public func isStale(now: Date, afterHours hours: Int) -> Bool {
        now.timeIntervalSince(confirmedAt) > Double(hours) * 3_600
    }
}

/// A location as given (the one-tap form, the radio room's form, the API): one of a site, an
/// area or coordinates, as text. The one decoder they share.
public struct LocationInput: Codable, Sendable, Equatable {
    public var site = ""
    public var area = ""
    public var latitude = ""
    public var longitude = ""
    /// Metres, as a phone's location reports its accuracy.
    public var precision = ""
    public var note = ""

    public init(site: String = "", area: String = "", latitude: String = "", longitude: String = "") {
        self.site = site
        self.area = area
        self.latitude = latitude
        self.longitude = longitude
    }

    public func decoded() throws(ValidationErrors) -> (place: PersonPlace, note: String) {
        var errors = ValidationErrors()
        let site = site.trimmingCharacters(in: .whitespaces)
        let area = area.trimmingCharacters(in: .whitespaces).uppercased()
        let lat = latitude.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        let lon = longitude.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        if note.count > 300 { errors.add("note", key: "error.too_long", "At most 300 characters.") }
        let given = [!site.isEmpty, !area.isEmpty, !lat.isEmpty || !lon.isEmpty].filter { $0 }.count
        guard given == 1 else {
            errors.add(
                "location", key: "error.location_one",
                given == 0
                    ? "Say where: a site, an area, or coordinates."
                    : "Give one place only: a site, an area, or coordinates.")
            throw errors
        }
        var place: PersonPlace?
        if !site.isEmpty {
            if let uuid = UUID(uuidString: site) {
                place = .site(SiteID(uuid))
            } else {
                errors.add("site", key: "error.choose", "“\(site)” is not one of the sites.")
            }
        } else if !area.isEmpty {
            if area.count <= 32, area.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
                place = .area(area)
            } else {
                errors.add("area", key: "error.choose", "“\(area)” is not a P-code.")
            }
        } else {
            let latitude = Double(lat), longitude = Double(lon)
            if latitude == nil || !(-90...90).contains(latitude!) {
                errors.add("latitude", key: "error.latitude", "A latitude is a number from -90 to 90.")
            }
            if longitude == nil || !(-180...180).contains(longitude!) {
                errors.add("longitude", key: "error.longitude", "A longitude is a number from -180 to 180.")
            }
            var metres: Int?
            let precisionText = precision.trimmingCharacters(in: .whitespaces)
            if !precisionText.isEmpty {
                // Phones report accuracy with decimals ("12.5").
                if let value = Double(precisionText.replacingOccurrences(of: ",", with: ".")),
                    value.isFinite, (0...1_000_000).contains(value)
                {
                    metres = Int(value.rounded(.up))
                } else {
                    errors.add("precision", key: "error.precision", "A precision is metres, from 0 to 1,000,000.")
                }
            }
            if let latitude, let longitude, errors.isEmpty {
                place = .point(latitude: latitude, longitude: longitude, precisionMeters: metres)
            }
        }
        try errors.throwIfAny()
        guard let place else { throw errors }
        return (place, note)
    }
}

/// The duty-of-care settings an operation keeps.
public struct DutyOfCareSettings: Sendable, Hashable, SettingsGroup {
    public enum Key: String, CaseIterable, Sendable, SettingsKey { case staleAfterHours = "location_stale_hours" }

    /// A location not confirmed for this long is stale: the person is listed for a call.
    public var staleAfterHours: Int
    public init(staleAfterHours: Int = 24) { self.staleAfterHours = staleAfterHours }
    public static let defaults = DutyOfCareSettings()

    public func json(_ key: Key) -> String { String(staleAfterHours) }

    public func replacing(_ key: Key, json: String) throws(ValidationErrors) -> DutyOfCareSettings {
        let hours = try SettingsJSON.decode(Int.self, json, field: key.rawValue)
        guard (1...168).contains(hours) else {
            var errors = ValidationErrors()
            errors.add(key.rawValue, key: "error.settings_invalid", "Between 1 and 168 hours (a week).")
            throw errors
        }
        return DutyOfCareSettings(staleAfterHours: hours)
    }
}
