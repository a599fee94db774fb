import Domain
import Foundation

/// A column of an export: its CSV header, its HXL hashtag, and how a row gives its value.
struct ExportColumn<Row>: Sendable {
    let header: String
    let hxl: String
    let value: @Sendable (Row) -> String?
    /// A number, written bare in GeoJSON.
    var isCount = false
}

/// CSV, HXL and GeoJSON written the same way for every table that is exported a row at a time
/// (flow tallies, displacement figures): one header (and hashtag row), one line or feature a row.
enum ExportTable {
    static func begin<Row>(_ columns: [ExportColumn<Row>], _ format: IncidentExchange.Format) -> String {
        switch format {
        case .csv: FlowExchange.line(columns.map(\.header))
        case .hxl: FlowExchange.line(columns.map(\.header)) + FlowExchange.line(columns.map(\.hxl))
        case .geojson: #"{"type":"FeatureCollection","features":["#
        }
    }

    /// One CSV or HXL line.
    static func line<Row>(_ columns: [ExportColumn<Row>], _ row: Row) -> String {
        FlowExchange.line(columns.map { $0.value(row) ?? "" })
    }

    /// A GeoJSON feature: the point (or a null geometry) and every column as a property, numbers
    /// bare, empty values null; `special` may write a column's value itself (and say so).
    static func feature<Row>(
        _ columns: [ExportColumn<Row>], _ row: Row, longitude: Double?, latitude: Double?, comma: Bool,
        special: (ExportColumn<Row>, inout String) -> Bool = { _, _ in false }
    ) -> String {
        var out = comma ? "," : ""
        if let longitude, let latitude {
            out +=
                #"{"type":"Feature","geometry":{"type":"Point","coordinates":["#
                + DecimalText.fixed(longitude, digits: 5) + "," + DecimalText.fixed(latitude, digits: 5)
                + #"]},"properties":{"#
        } else {
            out += #"{"type":"Feature","geometry":null,"properties":{"#
        }
        for (n, column) in columns.enumerated() {
            if n > 0 { out += "," }
            JSONText.appendQuoted(column.header, to: &out)
            out += ":"
            if special(column, &out) { continue }
            if let value = column.value(row), !value.isEmpty {
                if column.isCount { out += value } else { JSONText.appendQuoted(value, to: &out) }
            } else {
                out += "null"
            }
        }
        return out + "}}\n"
    }

    static func end(_ format: IncidentExchange.Format) -> String { format == .geojson ? "]}\n" : "" }
}
