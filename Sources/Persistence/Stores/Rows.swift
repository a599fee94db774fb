import Domain
import Foundation

/// A user account as stored (never leaves Persistence/App with its password hash).
public struct UserRecord: Codable, Sendable, Hashable {
    public var id: UserID
    public var email: String
    public var displayName: String
    public var passwordHash: String
    public var isAdmin: Bool
    public var language: String
    public var disabledAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id
        case email
        case displayName = "display_name"
        case passwordHash = "password_hash"
        case isAdmin = "is_admin"
        case language
        case disabledAt = "disabled_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public var isDisabled: Bool { disabledAt != nil }
}

/// An operation as stored.
public struct OperationRecord: Codable, Sendable, Hashable {
    public var id: OperationID
    public var code: String
    public var name: String
    public var countries: String
    public var emergencyType: String
    public var glideNumber: String?
    public var appealCode: String?
    public var startDate: String?
    public var heopsUserId: UserID?
    public var boundariesVersion: Int
    /// An IANA name: the clock forms and pages use (`time`).
    public var timeZone: String
    public var createdAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case code
        case name
        case countries
        case emergencyType = "emergency_type"
        case glideNumber = "glide_number"
        case appealCode = "appeal_code"
        case startDate = "start_date"
        case heopsUserId = "heops_user_id"
        case boundariesVersion = "boundaries_version"
        case timeZone = "time_zone"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public var countryCodes: [String] { countries.split(separator: ",").map(String.init) }

    /// The operation's clock; UTC should a stored name no longer be known to the system.
    public var time: OperationTime { OperationTime(identifier: timeZone) ?? .utc }
}

/// A member of an operation, with their account's public fields.
public struct MemberRecord: Codable, Sendable, Hashable {
    public var userId: UserID
    public var email: String
    public var displayName: String
    public var role: String

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case email
        case displayName = "display_name"
        case role
    }
}

/// An admin area without its geometry, for lists.
public struct AdminAreaRecord: Codable, Sendable, Hashable {
    public var id: UUID
    public var operationId: OperationID
    public var level: Int
    public var pcode: String
    public var parentPcode: String?
    public var name: String
    public var names: String

    enum CodingKeys: String, CodingKey {
        case id
        case operationId = "operation_id"
        case level
        case pcode
        case parentPcode = "parent_pcode"
        case name
        case names
    }

    /// Name in `language`, falling back to the reference name.
    public func name(in language: String) -> String {
        guard let data = names.data(using: .utf8),
            let map = try? JSONDecoder().decode([String: String].self, from: data),
            let localised = map[language], !localised.isEmpty
        else { return name }
        return localised
    }
}

/// A site as stored.
public struct SiteRecord: Codable, Sendable, Hashable {
    public var id: SiteID
    public var operationId: OperationID
    public var name: String
    public var type: String
    public var latitude: Double
    public var longitude: Double
    public var areaPcode: String?
    public var contactName: String?
    public var contactPhone: String?
    public var notes: String?
    public var audience: String
    public var createdBy: UserID?
    public var createdAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case operationId = "operation_id"
        case name
        case type
        case latitude
        case longitude
        case areaPcode = "area_pcode"
        case contactName = "contact_name"
        case contactPhone = "contact_phone"
        case notes
        case audience
        case createdBy = "created_by"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public var siteType: SiteType { SiteType(rawValue: type) ?? .other }
    public var audienceLevel: AudienceLevel { AudienceLevel(rawValue: audience) ?? .restricted }
}

/// One page of a list, with the total across all pages.
public struct ResultPage<Item: Sendable>: Sendable {
    public var items: [Item]
    public var page: Int
    public var perPage: Int
    public var total: Int
    public var pageCount: Int { max(1, (total + perPage - 1) / perPage) }

    public init(items: [Item], page: Int, perPage: Int, total: Int) {
        self.items = items
        self.page = page
        self.perPage = perPage
        self.total = total
    }
}

/// Page number and size, clamped to sane bounds.
public struct Paging: Sendable, Hashable {
    /// Pages a request may ask for: enough for 100 million rows at 200 a page, and an offset that
    /// stays far from `Int.max` however it is multiplied.
    public static let pages = 1...500_000
    public let page: Int
    public let perPage: Int
    public init(page: Int?, perPage: Int?, maxPerPage: Int = 200) {
        self.page = min(Self.pages.upperBound, max(1, page ?? 1))
        self.perPage = min(maxPerPage, max(1, perPage ?? 50))
    }
    public var offset: Int { (page - 1) * perPage }
    /// The page before this one, if any.
    public var previous: Int? { page > 1 ? page - 1 : nil }
}
