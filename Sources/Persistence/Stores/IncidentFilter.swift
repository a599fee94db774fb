import Domain
import Foundation
import SQLKit

/// What the analysis, the map and the exports narrow incidents to. One filter for every path, so
/// a chart, a map and a file made with the same choices count the same incidents.
public struct IncidentFilter: Sendable, Hashable {
    /// Start (inclusive) and end (exclusive) of the period; nil for open ends.
    public var from: Date?
    public var to: Date?
    /// `own` and context source names; nil for every source.
    public var sources: Set<String>?
    public var categories: Set<IncidentCategory>?
    public var actorTypes: Set<ActorType>?
    /// Own incidents only: context sources do not grade severity, so choosing severities leaves
    /// context events out.
    public var severities: Set<IncidentSeverity>?
    /// An admin area and everything inside it (P-codes nest: SD01001 lies in SD01).
    public var areaPcode: String?

    public init(
        from: Date? = nil, to: Date? = nil, sources: Set<String>? = nil, categories: Set<IncidentCategory>? = nil,
        actorTypes: Set<ActorType>? = nil, severities: Set<IncidentSeverity>? = nil, areaPcode: String? = nil
    ) {
        self.from = from
        self.to = to
        self.sources = sources
        self.categories = categories
        self.actorTypes = actorTypes
        self.severities = severities
        self.areaPcode = areaPcode
    }

    public var includesOwn: Bool { sources?.contains(ContextEvent.Source.ownName) ?? true }
    /// The context sources to read; nil for all of them, empty for none.
    public var contextSources: [String]? {
        if severities != nil { return [] }
        return sources.map { $0.subtracting([ContextEvent.Source.ownName]).sorted() }
    }
    public var includesContext: Bool { contextSources?.isEmpty != true }

    /// Own incidents `scope` may see that pass the filter.
    func own(_ builder: SQLSelectBuilder, scope: Scope) -> SQLSelectBuilder {
        builder.where(VisibilityFilter.predicate(scope, table: "incidents", kind: IncidentStore.kind))
        common(builder, date: "occurred_at")
        if let severities { builder.where("severity", .in, severities.map(\.rawValue).sorted()) }
        return builder
    }

    /// Context events `scope` may see that pass the filter (never those a later import no longer had).
    func context(_ builder: SQLSelectBuilder, scope: Scope) -> SQLSelectBuilder {
        builder.where(VisibilityFilter.contextEvents(scope)).where("missing_since", .is, SQLLiteral.null)
        if let names = contextSources { builder.where("source", .in, names) }
        common(builder, date: "occurred_on")
        return builder
    }

    private func common(_ builder: SQLSelectBuilder, date: String) {
        if let from { builder.where(SQLIdentifier(date), .greaterThanOrEqual, SQLBind(from)) }
        if let to { builder.where(SQLIdentifier(date), .lessThan, SQLBind(to)) }
        if let categories { builder.where("category", .in, categories.map(\.rawValue).sorted()) }
        if let actorTypes { builder.where("actor_type", .in, actorTypes.map(\.rawValue).sorted()) }
        if let areaPcode {
            // P-codes are letters and digits; anything else cannot match and must not widen the LIKE.
            let safe = areaPcode.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
            builder.where(SQLIdentifier("area_pcode"), .like, SQLBind(safe + "%"))
        }
    }
}
