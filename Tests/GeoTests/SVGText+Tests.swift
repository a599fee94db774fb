import Geo

/// The renderers' markup as plain text, for tests that search it.
extension SVGMapRenderer {
    static func text(_ request: MapRequest) -> String { render(request).markup }
}

extension SVGFlowMap {
    static func text(_ request: FlowMapRequest) -> String { render(request).markup }
}
