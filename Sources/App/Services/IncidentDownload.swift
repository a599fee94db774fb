import Domain
import Foundation
import Interop
import Persistence
import Vapor

/// The incidents a viewer may see, streamed as CSV, HXL or GeoJSON: the page's export and the API's alike.
enum IncidentDownload {
    static func response(
        format: IncidentExchange.Format, query: IncidentQuery, operation: OperationRecord, scope: Scope, on req: Request
    ) -> Response {
        let database = req.db
        let defaultCountry = operation.countryCodes.first
        let filter = query.filter
        let rounding = IncidentExchange.Rounding(decimals: query.decimals)
        return ExportDownload.response(format: format, operation: operation, holding: "incidents", on: req.now) {
            emit in
            var out = IncidentExchange.Writer(format: format, rounding: rounding)
            try await emit(out.begin())
            try await IncidentExchangeStore(database).records(in: scope, filter: filter, defaultCountry: defaultCountry)
            { batch in
                try await emit(out.write(batch))
            }
            try await emit(out.end())
        }
    }
}
