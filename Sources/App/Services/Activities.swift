import Domain
import Fluent
import Foundation
import Interop
import Persistence

/// EPoA activities: the checks that need the operation (its areas, sites and activities) and the
/// 3W rows. Shared by the pages, the API and the
/// command line.
struct Activities {
    let database: any Database
    let areaShapes: AreaShapeCache

    /// Reach above this many times the target is a warning on save.
    static let reachWarningFactor = 1.5

    /// The decoder's draft and warnings, with the area, site and carried-on activity checked to be
    /// the operation's (the site one the reader may see).
    func checked(
        _ input: ActivityInput, operation: OperationRecord, scope: Scope, visibleSites: [SiteRecord],
        editing: UUID? = nil
    ) async throws -> (ActivityDraft, [ActivityWarning]) {
        var errors = ValidationErrors()
        var result: (draft: ActivityDraft, warnings: [ActivityWarning])?
        do { result = try input.decoded(warnAbove: Self.reachWarningFactor) } catch { errors = error }
        if let draft = result?.draft {
            let (shapes, _) = try await areaShapes.shapes(for: operation, on: database)
            if !shapes.isEmpty, !shapes.contains(where: { $0.row.pcode == draft.areaPcode }) {
                errors.add(
                    "area", key: "error.area", "No admin area \(draft.areaPcode) in this operation's boundaries.")
            }
            if let site = draft.siteID, !visibleSites.contains(where: { $0.id == site }) {
                errors.add("site", key: "error.choose", "No such site in this operation.")
            }
            if let link = draft.continues {
                if link.id == editing {
                    errors.add("continues", key: "error.choose", "An activity cannot carry on from itself.")
                } else if try await ActivityStore(database).find(link.id, in: scope) == nil {
                    errors.add("continues", key: "error.choose", "No such activity in this operation.")
                }
            }
        }
        try errors.throwIfAny()
        return (result!.draft, result!.warnings)
    }

    /// The 3W's rows: each activity with its admin-1 area and names in `language`.
    func threeW(_ records: [ActivityRecord], operation: OperationRecord, language: String) async throws
        -> [ThreeWExport.Row]
    {
        let (shapes, _) = try await areaShapes.shapes(for: operation, on: database)
        let hierarchy = AreaHierarchy(shapes.map { ($0.row.pcode, $0.row.level, $0.row.parentPcode) })
        let names = try await areaShapes.names(for: operation, language: language, on: database)
        return records.map { record in
            let adm1 = hierarchy.ancestor(of: record.areaPcode, atLevel: 1)
            return ThreeWExport.Row(
                draft: record.draft, adm1Code: adm1, adm1Name: names[adm1] ?? "",
                areaName: names[record.areaPcode] ?? "")
        }
    }
}
