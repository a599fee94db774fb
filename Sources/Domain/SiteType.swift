/// The kinds of place an operation registers.
public enum SiteType: String, CaseIterable, Codable, Sendable, Hashable {
    case office
    case warehouse
    case residence
    case nationalSocietyBranch = "ns_branch"
    case camp
    case transitCentre = "transit_centre"
    case receptionCentre = "reception_centre"
    case flowMonitoringPoint = "flow_monitoring_point"
    case humanitarianServicePoint = "hsp"
    case borderCrossingLand = "border_land"
    case borderCrossingSeaRiver = "border_sea_river"
    case borderCrossingAir = "border_air"
    case checkpoint
    case healthFacility = "health_facility"
    case other

    public var labelKey: String { "site_type.\(rawValue)" }
}
