/// An SVG document drawn by one of Geo's renderers, which escape every text they place. Only Geo
/// can make one (the initialiser is internal), so a page can place it without escaping it again and
/// no other string can pass for it.
public struct SVG: Sendable, Equatable, CustomStringConvertible {
    public let markup: String

    init(markup: String) { self.markup = markup }

    public var description: String { markup }
}
