import Domain
import Vapor

/// The values in a request's path, read as the types `SiteURL` registers them with: nil when the
/// text is not one (the handler then answers 404), never a crash.
extension Request {
    /// A record's id: `:id`, or `:assessment`, `:incident`, `:report`, `:version` where a path has
    /// two; read as the kind of id the route names (`IncidentID`, `SiteID`, …), so it cannot reach a
    /// store of another kind.
    func pathID<Tag>(_ name: String = "id", as kind: Tagged<Tag, UUID>.Type) -> Tagged<Tag, UUID>? {
        parameters.get(name).flatMap(UUID.init(uuidString:)).map(Tagged.init(rawValue:))
    }

    /// A position in a list (`:index`): digits only.
    func pathIndex(_ name: String = "index") -> Int? { parameters.get(name).flatMap { WholeNumber.parse($0) } }

    /// A code from a closed list (`:kind`, `:step`).
    func pathCode<T: RawRepresentable>(_ name: String, as type: T.Type) -> T? where T.RawValue == String {
        parameters.get(name).flatMap(T.init(rawValue:))
    }
}
