import Domain
import Foundation

/// The operation's activities for people on the move as a 3W (who does what where), in CSV or
/// HXL-tagged CSV: `#org`, `#sector`, `#adm1+code`, `#activity`, `#targeted`, `#reached`, with the
/// area names, the phase, the period and the population types beside them (MIGRATION.md §1.8).
public enum ThreeWExport {
    /// One activity, with its areas resolved (the 3W speaks of admin level 1).
    public struct Row: Sendable {
        public var draft: ActivityDraft
        public var adm1Code: String
        public var adm1Name: String
        public var areaName: String

        public init(draft: ActivityDraft, adm1Code: String, adm1Name: String, areaName: String) {
            self.draft = draft
            self.adm1Code = adm1Code
            self.adm1Name = adm1Name
            self.areaName = areaName
        }
    }

    static let columns: [ExportColumn<Row>] = [
        ExportColumn(header: "organization", hxl: "#org+impl") { $0.draft.implementer },
        ExportColumn(header: "sector", hxl: "#sector") { $0.draft.sector.rawValue },
        ExportColumn(header: "adm1_code", hxl: "#adm1+code") { $0.adm1Code },
        ExportColumn(header: "adm1_name", hxl: "#adm1+name") { $0.adm1Name },
        ExportColumn(header: "area_code", hxl: "#loc+code") { $0.draft.areaPcode },
        ExportColumn(header: "area_name", hxl: "#loc+name") { $0.areaName },
        ExportColumn(header: "activity", hxl: "#activity+name") { $0.draft.name },
        ExportColumn(header: "activity_type", hxl: "#activity+type") { $0.draft.kind.rawValue },
        ExportColumn(header: "population_types", hxl: "#population_group+code") {
            $0.draft.populationTypes.map(\.rawValue).joined(separator: " ")
        },
        ExportColumn(header: "phase", hxl: "#status+phase") { $0.draft.phase.rawValue },
        ExportColumn(header: "start_date", hxl: "#date+start") { DateText.day($0.draft.startOn) },
        ExportColumn(header: "end_date", hxl: "#date+end") { $0.draft.endOn.map(DateText.day) },
        ExportColumn(header: "targeted", hxl: "#targeted", value: { String($0.draft.targeted) }, isCount: true),
        ExportColumn(header: "reached", hxl: "#reached", value: { String($0.draft.reached) }, isCount: true),
    ]

    /// The whole 3W; `format` is CSV (a header) or HXL (a header and a hashtag row).
    public static func text(_ rows: [Row], format: IncidentExchange.Format) -> String {
        precondition(format != .geojson, "a 3W is a table")
        var out = ExportTable.begin(columns, format)
        for row in rows { out += ExportTable.line(columns, row) }
        return out
    }
}
