import Domain
import Foundation
import Vapor

/// Where an incident is, as the report form and the API both settle it.
enum IncidentPlacement {
    /// Fills the admin area from the coordinates (point in polygon) when none was given, and
    /// refuses a P-code the operation's boundaries do not have. Without boundaries the P-code is
    /// kept as given: an operation may record incidents before its boundaries are imported.
    static func placed(_ draft: IncidentDraft, in context: OperationContext, _ req: Request) async throws
        -> IncidentDraft
    {
        var draft = draft
        let names = try await req.areaShapes.names(for: context.operation, language: "en", on: req.db)
        if let pcode = draft.areaPcode {
            if !names.isEmpty && names[pcode] == nil {
                var errors = ValidationErrors()
                errors.add(
                    "area_pcode", key: "error.pcode_unknown", "No admin area of this operation has the P-code \(pcode)."
                )
                throw errors
            }
        } else if let latitude = draft.latitude, let longitude = draft.longitude {
            draft.areaPcode = try await MapService(request: req).resolveArea(
                operation: context.operation, latitude: latitude, longitude: longitude)
        }
        return draft
    }
}
