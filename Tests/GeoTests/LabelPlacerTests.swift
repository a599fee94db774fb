import Testing

@testable import Geo

@Suite struct LabelPlacerTests {
    let bounds = MapRect(x: 0, y: 0, width: 500, height: 300)

    @Test func largestFirstAndNoOverlaps() {
        let candidates = [
            LabelCandidate(text: "Small", anchor: Point(x: 105, y: 100), fontSize: 12, priority: 1),
            LabelCandidate(text: "Largest", anchor: Point(x: 100, y: 102), fontSize: 12, priority: 100),
            LabelCandidate(text: "Far away", anchor: Point(x: 400, y: 200), fontSize: 12, priority: 5),
            LabelCandidate(text: "Off the edge", anchor: Point(x: 495, y: 150), fontSize: 12, priority: 50),
            LabelCandidate(text: "   ", anchor: Point(x: 250, y: 250), fontSize: 12, priority: 50),
        ]
        let placed = LabelPlacer.place(candidates, within: bounds)
        #expect(placed.map(\.text) == ["Largest", "Far away"])
        for (i, a) in placed.enumerated() {
            #expect(bounds.contains(a.box))
            for b in placed[(i + 1)...] { #expect(!a.box.intersects(b.box)) }
        }
    }

    @Test func obstaclesAreAvoided() {
        let candidate = LabelCandidate(text: "Camp", anchor: Point(x: 100, y: 100), fontSize: 12, priority: 1)
        #expect(
            LabelPlacer.place([candidate], within: bounds, avoiding: [MapRect(x: 95, y: 95, width: 10, height: 10)])
                .isEmpty)
        #expect(
            LabelPlacer.place([candidate], within: bounds, avoiding: [MapRect(x: 300, y: 95, width: 10, height: 10)])
                .count == 1)
    }

    @Test func estimatedBoxScalesWithTextAndFont() {
        let box = LabelPlacer.estimatedBox(text: "abcdefghij", anchor: Point(x: 50, y: 50), fontSize: 10)
        #expect(abs(box.width - (10 * 10 * 0.6 + 3)) < 1e-9)
        #expect(abs(box.x + box.width / 2 - 50) < 1e-9 && abs(box.y + box.height / 2 - 50) < 1e-9)
    }
}
