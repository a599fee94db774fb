/// A label that would like to be drawn, centred on its anchor.
public struct LabelCandidate: Hashable, Sendable {
    /// The text.
    public var text: String
    /// The centre of the text box in SVG user units.
    public var anchor: Point
    /// Font size in SVG user units.
    public var fontSize: Double
    /// Higher priorities are placed first (the renderer uses projected area).
    public var priority: Double

    /// Creates a candidate.
    public init(text: String, anchor: Point, fontSize: Double, priority: Double) {
        self.text = text
        self.anchor = anchor
        self.fontSize = fontSize
        self.priority = priority
    }
}
