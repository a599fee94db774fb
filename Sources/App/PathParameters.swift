import Domain
import Vapor

/// The values in a request's path, read as the types `SiteURL` registers them with: nil when the
/// text is not one (the handler then answers 404), never a crash.
extension Request {
    /// A record's id: `:id`, or `:assessment`, `:incident`, `:report`, `:version` where a path has two.
    func pathID(_ name: String = "id") -> UUID? { parameters.get(name).flatMap(UUID.init(uuidString:)) }

    /// A position in a list (`:index`): digits only.
    func pathIndex(_ name: String = "index") -> Int? { parameters.get(name).flatMap { WholeNumber.parse($0) } }

    /// A code from a closed list (`:kind`, `:step`).
    func pathCode<T: RawRepresentable>(_ name: String, as type: T.Type) -> T? where T.RawValue == String {
        parameters.get(name).flatMap(T.init(rawValue:))
    }
}
