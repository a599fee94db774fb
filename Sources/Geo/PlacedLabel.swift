/// A label that was given room, with the box it occupies.
public struct PlacedLabel: Hashable, Sendable {
    /// The text.
    public var text: String
    /// The centre of the text box.
    public var anchor: Point
    /// Font size in SVG user units.
    public var fontSize: Double
    /// The estimated box the text covers, padding included.
    public var box: MapRect
}
