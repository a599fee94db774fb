import Domain
import Foundation

/// A tally with its point, as the exports write it.
public struct FlowExportRow: Sendable {
    /// The tally's id: a re-import of an export updates the tallies it names.
    public var id: String
    public var pointName: String
    public var pointCode: String
    public var latitude: Double
    public var longitude: Double
    public var tally: FlowObservationDraft
    public init(
        id: String, pointName: String, pointCode: String, latitude: Double, longitude: Double,
        tally: FlowObservationDraft
    ) {
        self.id = id; self.pointName = pointName; self.pointCode = pointCode; self.latitude = latitude;
        self.longitude = longitude; self.tally = tally
    }
}

/// The flow-monitoring exports: CSV, HXL (tags of MIGRATION.md §3.2: `#population+ind+x_observed`
/// for counts, never `#affected`; ISO dates under `#date+start`/`#date+end`, never bare month
/// numbers) and GeoJSON (a point per tally). The tally's notes are not exported: free text an
/// enumerator wrote for colleagues, which may name people.
public enum FlowExchange {
    public typealias Format = IncidentExchange.Format

    typealias Column = ExportColumn<FlowExportRow>

    static let ageTags = [
        "0_4": "age0_4", "5_11": "age5_11", "12_17": "age12_17", "18_59": "age18_59", "60": "age60plus",
        "other": "x_age_unknown",
    ]

    /// The columns by header, and the header each hashtag stands for (to read files back).
    public static var headers: [String] { columns.map(\.header) }
    public static var headerByHashtag: [String: String] {
        Dictionary(
            uniqueKeysWithValues: columns.compactMap { column in
                HXL.Hashtag(column.hxl).map { ($0.spec, column.header) }
            })
    }

    static let columns: [Column] = {
        @Sendable func time(_ date: Date) -> String { date.ISO8601Format() }
        var columns: [Column] = [
            Column(header: "id", hxl: "#meta+id", value: { $0.id }),
            Column(header: "point", hxl: "#loc+name", value: { $0.pointName }),
            Column(header: "point_code", hxl: "#loc+code", value: { $0.pointCode }),
            Column(header: "latitude", hxl: "#geo+lat", value: { DecimalText.fixed($0.latitude, digits: 5) }),
            Column(header: "longitude", hxl: "#geo+lon", value: { DecimalText.fixed($0.longitude, digits: 5) }),
            Column(header: "window_start", hxl: "#date+start", value: { time($0.tally.windowStart) }),
            Column(header: "window_end", hxl: "#date+end", value: { time($0.tally.windowEnd) }),
            Column(header: "direction", hxl: "#x_direction", value: { $0.tally.direction.rawValue }),
            Column(
                header: "people", hxl: "#population+ind+x_observed", value: { String($0.tally.total) }, isCount: true),
            Column(header: "scheme", hxl: "#meta+x_scheme", value: { $0.tally.scheme.rawValue }),
        ]
        for bin in DisaggregationScheme.unhcr.bins {
            let sex = String(bin.prefix(1)), age = String(bin.dropFirst(2))
            columns.append(
                Column(
                    header: bin, hxl: "#population+ind+x_observed+\(sex)+\(ageTags[age]!)",
                    value: { row in row.tally.bins[bin].map(String.init) }, isCount: true))
        }
        columns += [
            Column(
                header: "f", hxl: "#population+ind+x_observed+f",
                value: { $0.tally.scheme == .sex ? $0.tally.bins["f"].map(String.init) : nil }, isCount: true),
            Column(
                header: "m", hxl: "#population+ind+x_observed+m",
                value: { $0.tally.scheme == .sex ? $0.tally.bins["m"].map(String.init) : nil }, isCount: true),
            Column(header: "nationality", hxl: "#country+code+x_nationality", value: { $0.tally.nationality }),
            Column(header: "origin_country", hxl: "#country+code+origin", value: { $0.tally.originCountry }),
            Column(header: "origin_area", hxl: "#loc+name+origin", value: { $0.tally.originArea }),
            Column(header: "last_transit", hxl: "#loc+name+x_transit", value: { $0.tally.lastTransit }),
            Column(header: "next_destination", hxl: "#loc+name+dest", value: { $0.tally.nextDestination }),
            Column(header: "final_destination", hxl: "#loc+name+dest+x_final", value: { $0.tally.finalDestination }),
            Column(header: "transport", hxl: "#x_transport+type", value: { $0.tally.transport?.rawValue }),
        ]
        for vulnerability in FlowVulnerability.allCases {
            columns.append(
                Column(
                    header: vulnerability.rawValue, hxl: "#population+ind+x_observed+x_\(vulnerability.rawValue)",
                    value: { $0.tally.vulnerable[vulnerability].map(String.init) }, isCount: true))
        }
        columns.append(
            Column(
                header: "reasons", hxl: "#cause+type",
                value: {
                    MovementReason.allCases.filter($0.tally.reasons.contains).map(\.rawValue).joined(separator: ";")
                }))
        return columns
    }()

    public static func begin(_ format: Format) -> String { ExportTable.begin(columns, format) }

    /// The columns a GeoJSON feature carries as properties (its position is the geometry).
    static let propertyColumns = columns.filter { $0.header != "latitude" && $0.header != "longitude" }

    /// A batch of rows; `first` says whether a GeoJSON feature comes before them.
    public static func write(_ rows: [FlowExportRow], _ format: Format, first: Bool) -> String {
        var out = ""
        for (i, row) in rows.enumerated() {
            switch format {
            case .csv, .hxl: out += ExportTable.line(columns, row)
            case .geojson:
                out += ExportTable.feature(
                    propertyColumns, row, longitude: row.longitude, latitude: row.latitude, comma: !(first && i == 0))
            }
        }
        return out
    }

    public static func end(_ format: Format) -> String { ExportTable.end(format) }

    /// One CSV record, quoted as RFC 4180 asks, with its line end.
    public static func line(_ cells: [String]) -> String {
        var out = ""
        for (i, cell) in cells.enumerated() {
            if i > 0 { out += "," }
            IncidentExchange.appendQuoted(cell, to: &out)
        }
        return out + "\r\n"
    }
}
