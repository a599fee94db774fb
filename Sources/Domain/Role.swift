/// A user's role within one operation. Stored as its raw value.
public enum Role: String, CaseIterable, Codable, Sendable, Hashable {
    case headOfOperations = "heops"
    case securityCoordinator = "security_coordinator"
    case migrationCoordinator = "migration_coordinator"
    case staff = "staff"
    case nationalSocietyFocalPoint = "ns_focal_point"
    case partner = "partner"

    /// Catalogue key of the role's display name.
    public var labelKey: String { "role.\(rawValue)" }

    /// Coordinators and the HeOps manage an operation's shared records (sites, areas).
    public var managesRecords: Bool {
        switch self {
        case .headOfOperations, .securityCoordinator, .migrationCoordinator: true
        case .staff, .nationalSocietyFocalPoint, .partner: false
        }
    }

    /// Partners are read-only everywhere.
    public var mayCreate: Bool { self != .partner }
}
