import Domain
import Foundation

/// A displacement figure as exported, with what the export adds: the area's Arabic name and a
/// point to put it on a map (the area's label point, the country's point), when known.
public struct FigureExportRow: Sendable {
    public var figure: PopulationFigure
    public var nameArabic: String?
    public var longitude: Double?
    public var latitude: Double?
    public init(figure: PopulationFigure, nameArabic: String? = nil, longitude: Double? = nil, latitude: Double? = nil)
    {
        self.figure = figure; self.nameArabic = nameArabic; self.longitude = longitude; self.latitude = latitude
    }
}

/// Displacement figures as CSV, HXL (MIGRATION.md §3.2: `#population_group+code` and
/// `#population+ind`; ISO dates only, the bare year as `#x_year`; Arabic names as `+i_ar`) and
/// GeoJSON (a point per figure where the place is known; a null geometry where it is not).
public enum FigureExchange {
    public typealias Format = IncidentExchange.Format

    typealias Column = ExportColumn<FigureExportRow>

    static let columns: [Column] = [
        Column(header: "dataset", hxl: "#meta+id", value: { $0.figure.dataset }),
        Column(header: "source", hxl: "#meta+source", value: { $0.figure.source.rawValue }),
        Column(header: "method", hxl: "#meta+x_method", value: { $0.figure.method?.rawValue }),
        Column(header: "population_type", hxl: "#population_group+code", value: { $0.figure.populationType.rawValue }),
        Column(header: "location_kind", hxl: "#loc+type", value: { $0.figure.location.kind.rawValue }),
        Column(header: "location_code", hxl: "#loc+code", value: { $0.figure.location.code }),
        Column(header: "location_name", hxl: "#loc+name", value: { $0.figure.location.name }),
        Column(header: "location_name_ar", hxl: "#loc+name+i_ar", value: { $0.nameArabic }),
        Column(header: "origin_iso3", hxl: "#country+code+origin", value: { $0.figure.originISO3 }),
        Column(header: "country_iso3", hxl: "#country+code", value: { $0.figure.asylumISO3 }),
        Column(header: "year", hxl: "#x_year", value: { String($0.figure.year) }, isCount: true),
        Column(header: "reference_date", hxl: "#date", value: { $0.figure.referenceDate.map(DateText.day) }),
        Column(header: "round", hxl: "#x_round", value: { $0.figure.round.map(String.init) }, isCount: true),
        Column(header: "reporting_date", hxl: "#date+reported", value: { $0.figure.reportingDate.map(DateText.day) }),
        Column(header: "total", hxl: "#population+ind", value: { String($0.figure.total) }, isCount: true),
        Column(
            header: "breakdown", hxl: "#meta+x_breakdown",
            value: { row in
                row.figure.breakdown.isEmpty
                    ? nil : row.figure.breakdown.map { "\($0.label)=\($0.count)" }.joined(separator: ";")
            }),
    ]

    public static var headers: [String] { columns.map(\.header) }

    public static func begin(_ format: Format) -> String { ExportTable.begin(columns, format) }

    /// A batch of rows; `first` says whether a GeoJSON feature comes before them.
    public static func write(_ rows: [FigureExportRow], _ format: Format, first: Bool) -> String {
        var out = ""
        for (i, row) in rows.enumerated() {
            switch format {
            case .csv, .hxl: out += ExportTable.line(columns, row)
            case .geojson:
                out += ExportTable.feature(
                    columns, row, longitude: row.longitude, latitude: row.latitude, comma: !(first && i == 0)
                ) { column, out in
                    // The breakdown as an object of the source's own labels, so a map client can read each bin.
                    guard column.header == "breakdown" else { return false }
                    out += "{"
                    for (b, bin) in row.figure.breakdown.enumerated() {
                        if b > 0 { out += "," }
                        JSONText.appendQuoted(bin.label, to: &out)
                        out += ":\(bin.count)"
                    }
                    out += "}"
                    return true
                }
            }
        }
        return out
    }

    public static func end(_ format: Format) -> String { ExportTable.end(format) }
}
