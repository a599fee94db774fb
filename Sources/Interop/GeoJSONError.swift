/// Why a GeoJSON file could not be read, saying what is wrong and where.
public struct GeoJSONError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The broad class of failure, for callers that react differently to each.
    public enum Kind: String, Sendable, Equatable {
        /// The bytes are not JSON at all (or are cut short).
        case invalidJSON
        /// JSON, but not the GeoJSON structure expected at some path.
        case invalidStructure
        /// A declared CRS other than WGS 84 longitude/latitude.
        case unsupportedCRS
        /// Coordinates outside longitude/latitude range: the data is in a projected CRS.
        case projectedCoordinates
    }

    /// The class of failure.
    public let kind: Kind
    /// A sentence for the person who supplied the file.
    public let message: String

    /// Creates an error.
    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
