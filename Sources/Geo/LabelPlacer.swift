/// Greedy label placement: most important first, skipping any label that would collide.
public enum LabelPlacer {
    /// The box a text is assumed to cover: characters × size × 0.6 wide, 1.2 × size tall, lightly padded.
    public static func estimatedBox(text: String, anchor: Point, fontSize: Double) -> MapRect {
        let padding = fontSize * 0.15
        let width = Double(text.count) * fontSize * 0.6 + 2 * padding
        let height = fontSize * 1.2 + 2 * padding
        return MapRect(x: anchor.x - width / 2, y: anchor.y - height / 2, width: width, height: height)
    }

    /// Labels that fit inside the bounds without overlapping each other or the obstacles.
    public static func place(_ candidates: [LabelCandidate], within bounds: MapRect, avoiding obstacles: [MapRect] = [])
        -> [PlacedLabel]
    {
        let ordered = candidates.enumerated().sorted { lhs, rhs in
            // Stable for equal priorities so output is deterministic.
            lhs.element.priority != rhs.element.priority
                ? lhs.element.priority > rhs.element.priority : lhs.offset < rhs.offset
        }
        var placed: [PlacedLabel] = []
        var occupied = obstacles
        for (_, candidate) in ordered {
            let text = candidate.text.trimmingWhitespace
            guard !text.isEmpty else { continue }
            let box = estimatedBox(text: text, anchor: candidate.anchor, fontSize: candidate.fontSize)
            guard bounds.contains(box), !occupied.contains(where: { $0.intersects(box) }) else { continue }
            occupied.append(box)
            placed.append(PlacedLabel(text: text, anchor: candidate.anchor, fontSize: candidate.fontSize, box: box))
        }
        return placed
    }
}
