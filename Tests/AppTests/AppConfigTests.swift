import Foundation
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("Configuration from the environment")
struct AppConfigTests {
    @Test("BEARING_LOG_LEVEL: a level by name in any case; left out, the environment's own; a wrong one named")
    func logLevel() throws {
        #expect(try AppConfig.fromEnvironment([:]).logLevel == nil)
        #expect(try AppConfig.fromEnvironment(["BEARING_LOG_LEVEL": "debug"]).logLevel == .debug)
        #expect(try AppConfig.fromEnvironment(["BEARING_LOG_LEVEL": "Warning"]).logLevel == .warning)
        let error = #expect(throws: AppConfig.Invalid.self) {
            try AppConfig.fromEnvironment(["BEARING_LOG_LEVEL": "loud", "BEARING_WORKER": "maybe"])
        }
        #expect(
            error?.problems == [
                "BEARING_WORKER must be on or off",
                "BEARING_LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical",
            ])
    }

    @Test("the chosen level is the server's")
    func applied() async throws {
        try await withTestApp(adjust: { $0.logLevel = .error }) { app in #expect(app.logger.logLevel == .error) }
    }
}
