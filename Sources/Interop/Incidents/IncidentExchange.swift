import Domain
import Foundation

/// The columns of Bearing's incident exchange files, with their HXL hashtags: one list serves the
/// CSV, HXL and GeoJSON writers and the generic HXL reader, so what we write we can read back.
public enum IncidentExchange {
    public struct Column: Sendable {
        public let header: String
        public let hxl: String
        /// Numbers and codes are written as they are; free text is guarded against spreadsheet formulas.
        public let isFreeText: Bool
        let value: @Sendable (IncidentExchangeRecord, Rounding) -> String?
    }

    /// How many decimals coordinates keep: 6 (about 0.1 m) unless the exporter chose fewer, e.g.
    /// 2 (about 1 km) before sharing a file outside the operation.
    public struct Rounding: Sendable, Equatable {
        public let decimals: Int
        public init(decimals: Int = 6) { self.decimals = max(0, min(decimals, 6)) }
        public func format(_ value: Double) -> String {
            // Integer arithmetic on the scaled value (String(format:) costs more than the rest of an
            // exported row); a value whose scaled fraction is near one half, where the product's own
            // rounding could tip it, goes to printf, which rounds the exact binary value.
            let scaled = value * Self.scales[decimals]
            let fraction = abs(scaled - scaled.rounded(.towardZero))
            guard scaled.isFinite, abs(scaled) < 1e15, abs(fraction - 0.5) > 1e-6 else { return printf(value) }
            let units = Int(scaled.rounded())
            guard units != 0 else { return "0" }
            var digits = String(units.magnitude)
            if decimals > 0 {
                if digits.count <= decimals {
                    digits = String(repeating: "0", count: decimals + 1 - digits.count) + digits
                }
                digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
                while digits.hasSuffix("0") { digits.removeLast() }
                if digits.hasSuffix(".") { digits.removeLast() }
            }
            return units < 0 ? "-" + digits : digits
        }

        func printf(_ value: Double) -> String {
            var text = String(format: "%.\(decimals)f", value)
            if text.contains(".") {
                while text.hasSuffix("0") { text.removeLast() }
                if text.hasSuffix(".") { text.removeLast() }
            }
            return text == "-0" ? "0" : text
        }

        static let scales: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]
    }

    static func sexTag(_ sex: Casualties.Sex) -> String {
        switch sex {
        case .female: "f";
        case .male: "m";
        case .unknown: "i"
        }
    }

    public static let columns: [Column] = {
        func text(_ header: String, _ hxl: String, _ value: @escaping @Sendable (IncidentExchangeRecord) -> String?)
            -> Column
        {
            Column(header: header, hxl: hxl, isFreeText: true) { record, _ in value(record) }
        }
        func code(_ header: String, _ hxl: String, _ value: @escaping @Sendable (IncidentExchangeRecord) -> String?)
            -> Column
        {
            Column(header: header, hxl: hxl, isFreeText: false) { record, _ in value(record) }
        }
        var columns: [Column] = [
            code("source", "#meta+source", \.source),
            text("id", "#event+id", \.id),
            code("date", "#date+occurred", { date($0.occurredAt, $0.timePrecision) }),
            code("time_precision", "#date+precision", \.timePrecision.rawValue),
            code("country_iso3", "#country+code", \.countryISO3),
            text("admin1", "#adm1+name", \.admin1),
            text("admin2", "#adm2+name", \.admin2),
            code("area_pcode", "#loc+code", \.areaPcode),
            Column(header: "latitude", hxl: "#geo+lat", isFreeText: false) { r, rounding in
                r.latitude.map(rounding.format)
            },
            Column(header: "longitude", hxl: "#geo+lon", isFreeText: false) { r, rounding in
                r.longitude.map(rounding.format)
            },
            code("geo_precision", "#geo+precision", { $0.geoPrecision?.rawValue }),
            code("location_type", "#loc+type", \.locationType.rawValue),
            code("category", "#event+category", \.category.rawValue),
            code("subtype", "#event+type", { $0.subtype?.rawValue }),
            code("actor_type", "#group+type", \.actorType.rawValue),
            text("actor_name", "#group+name", \.actorName),
            code("means", "#event+means", \.means.rawValue),
            code("context", "#event+context", \.context.rawValue),
            code("motive", "#event+motive", \.motive.rawValue),
            code("severity", "#severity", { $0.severity?.rawValue }),
            code("serious", "#severity+serious", { $0.serious.map { $0 ? "yes" : "no" } }),
            code("verification", "#status+verification", \.verification.rawValue),
            code("status", "#status+followup", { $0.status?.rawValue }),
            code("killed", "#affected+killed", { String($0.killedTotal) }),
            code("injured", "#affected+injured", { String($0.casualties.total(.injured)) }),
            code("kidnapped", "#affected+kidnapped", { String($0.casualties.total(.kidnapped)) }),
            code("detained", "#affected+detained", { String($0.casualties.total(.detained)) }),
            code("affected", "#affected+total", { String($0.affectedTotal) }),
            code("fatalities", "#affected+killed+all", { $0.fatalities.map(String.init) }),
        ]
        for cell in Casualties.Cell.all {
            columns.append(
                code(cell.key, "#affected+\(cell.harm.rawValue)+\(cell.nationality.rawValue)+\(sexTag(cell.sex))") {
                    String($0.casualties[cell])
                })
        }
        columns += [text("title", "#description+title", \.title), text("description", "#description", \.description)]
        return columns
    }()

    /// The date as precisely as it is known: 2026-11-20T14:30Z, 2026-11-20, 2026-11 or 2026.
    public static func date(_ date: Date, _ precision: TimePrecision) -> String {
        // Day arithmetic instead of `Calendar`, which costs more than the rest of a row in a
        // million-row export.
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let (year, month, day) = CivilDay.civil(daysSinceEpoch: days)
        let y = CivilDay.padded(year, 4), m = CivilDay.padded(month, 2), d = CivilDay.padded(day, 2)
        switch precision {
        case .minute:
            let minuteOfDay = (seconds - days * 86_400) / 60
            return "\(y)-\(m)-\(d)T\(CivilDay.padded(minuteOfDay / 60, 2)):\(CivilDay.padded(minuteOfDay % 60, 2))Z"
        case .day, .week: return "\(y)-\(m)-\(d)"
        case .month: return "\(y)-\(m)"
        case .year: return y
        }
    }

    public enum Format: String, Sendable, CaseIterable {
        case csv, hxl, geojson
        public var contentType: String {
            switch self {
            case .csv, .hxl: "text/csv; charset=utf-8"
            case .geojson: "application/geo+json"
            }
        }
        public var fileExtension: String {
            switch self {
            case .csv: "csv"
            case .hxl: "hxl.csv"
            case .geojson: "geojson"
            }
        }
    }

    /// Writes records one at a time, so an export of any size streams in constant memory.
    public struct Writer: Sendable {
        public let format: Format
        public let rounding: Rounding
        private var wroteFeature = false

        public init(format: Format, rounding: Rounding = Rounding()) {
            self.format = format
            self.rounding = rounding
        }

        public func begin() -> String {
            switch format {
            case .csv: return line(columns.map(\.header))
            case .hxl: return line(columns.map(\.header)) + line(columns.map(\.hxl))
            case .geojson: return #"{"type":"FeatureCollection","features":["#
            }
        }

        public mutating func write(_ record: IncidentExchangeRecord) -> String {
            var out = ""
            append(record, to: &out)
            return out
        }

        /// A batch as one chunk, each cell appended in place (a million-row export makes no
        /// string or array per row).
        public mutating func write(_ records: [IncidentExchangeRecord]) -> String {
            var out = ""
            out.reserveCapacity(records.count * 512)
            for record in records { append(record, to: &out) }
            return out
        }

        private mutating func append(_ record: IncidentExchangeRecord, to out: inout String) {
            switch format {
            case .csv, .hxl:
                Self.appendLine(count: columns.count, to: &out) { i in
                    columns[i].value(record, rounding) ?? ""
                }
            case .geojson:
                if wroteFeature { out += "," }
                wroteFeature = true
                out += feature(record)
            }
        }

        public func end() -> String { format == .geojson ? "]}\n" : "" }

        private func line(_ cells: [String]) -> String {
            var out = ""
            Self.appendLine(count: cells.count, to: &out) { cells[$0] }
            return out
        }

        /// One CSV record of `count` cells, each quoted as RFC 4180 asks, appended in place.
        private static func appendLine(count: Int, to out: inout String, cell: (Int) -> String) {
            for i in 0..<count {
                if i > 0 { out += "," }
                IncidentExchange.appendQuoted(cell(i), to: &out)
            }
            out += "\r\n"
        }

        private func feature(_ record: IncidentExchangeRecord) -> String {
            var geometry = "null"
            if let lat = record.latitude, let lon = record.longitude {
                geometry = #"{"type":"Point","coordinates":[\#(rounding.format(lon)),\#(rounding.format(lat))]}"#
            }
            // Properties keep their types: counts as numbers, everything else as strings or null.
            var out = #"{"type":"Feature","geometry":"# + geometry + #","properties":{"#
            for (i, property) in Self.properties.enumerated() {
                if i > 0 { out += "," }
                out += property.key
                if let value = property.column.value(record, rounding) {
                    if property.isCount, Int(value) != nil {
                        out += value
                    } else {
                        JSONText.appendQuoted(value, to: &out)
                    }
                } else {
                    out += "null"
                }
            }
            out += "}}\n"
            return out
        }

        /// The GeoJSON properties: every column but the coordinates, with its key already quoted.
        private static let properties: [(column: Column, key: String, isCount: Bool)] =
            columns
            .filter { $0.header != "latitude" && $0.header != "longitude" }
            .map { ($0, JSONText.quoted($0.header) + ":", !$0.isFreeText && $0.hxl.hasPrefix("#affected")) }
    }

    /// RFC 4180 quoting. Hand-written because CSV.swift's writer needs an OutputStream per chunk,
    /// and a streamed response hands out chunks, not a stream.
    /// Every cell of every CSV and HXL export passes here, so each is guarded against formulas
    /// (`defused`) whatever its column: a code or a name from an import is someone's words too.
    static func appendQuoted(_ cell: String, to out: inout String, defuse: Bool = true) {
        let cell = defuse ? defused(cell) : cell
        // Bytes, not characters: every character that needs quoting is ASCII.
        guard cell.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
            out += cell; return
        }
        out += "\""
        var start = cell.startIndex
        for i in cell.utf8.indices where cell.utf8[i] == 0x22 {
            out += cell[start..<i]
            out += "\"\""
            start = cell.utf8.index(after: i)
        }
        out += cell[start...]
        out += "\""
    }

    /// Text a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) is
    /// prefixed with an apostrophe, OWASP's advice for CSV injection; a signed number stays a number.
    public static func defused(_ text: String) -> String {
        guard let first = text.utf8.first else { return text }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: break
        default: return text
        }
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+"),
            text.utf8.dropFirst().allSatisfy({ (0x30...0x39).contains($0) || $0 == UInt8(ascii: ".") }),
            Double(text) != nil
        {
            return text
        }
        return "'" + text
    }

}
