import Fluent
import Foundation

/// Configuration, read once at start-up from the environment. Feature code never reads the
/// environment itself.
public struct AppConfig: Sendable {
    public enum DatabaseLocation: Sendable, Hashable {
        case sqlite(path: String)
        case postgres(url: String)
    }

    public var database: DatabaseLocation
    public var dataDirectory: String
    /// Cookies get the Secure flag when Bearing is served over HTTPS.
    public var secureCookies: Bool
    /// bcrypt work factor; lower only in tests.
    public var bcryptCost: Int
    /// Largest form or API body that is not a file upload.
    public static let maxFormBytes = 2 * 1024 * 1024
    /// Largest accepted upload (boundary files), in bytes.
    public var maxUploadBytes: Int
    /// Idle time after which a browser session expires.
    public var sessionLifetime: TimeInterval
    /// Sign-in throttling (`SignInThrottle`): failures free of any wait per account and address,
    /// and the longest wait.
    public var maxFailedSignIns: Int
    public var throttleWindow: TimeInterval
    /// API tokens: the lifetime offered when none is chosen, and the longest anyone may choose.
    public var tokenDefaultDays: Int
    public var tokenMaximumDays: Int
    /// Reverse proxies whose X-Forwarded-For is believed (their addresses, exactly as they connect).
    public var trustedProxies: Set<String> = []

    public init(
        database: DatabaseLocation, dataDirectory: String, secureCookies: Bool = false, bcryptCost: Int = 12,
        maxUploadBytes: Int = 50 * 1024 * 1024, sessionLifetime: TimeInterval = 8 * 3600,
        maxFailedSignIns: Int = 5, throttleWindow: TimeInterval = 15 * 60, tokenDefaultDays: Int = 90,
        tokenMaximumDays: Int = 365
    ) {
        self.tokenDefaultDays = tokenDefaultDays
        self.tokenMaximumDays = tokenMaximumDays
        self.database = database
        self.dataDirectory = dataDirectory
        self.secureCookies = secureCookies
        self.bcryptCost = bcryptCost
        self.maxUploadBytes = maxUploadBytes
        self.sessionLifetime = sessionLifetime
        self.maxFailedSignIns = maxFailedSignIns
        self.throttleWindow = throttleWindow
    }

    public struct Invalid: LocalizedError, CustomStringConvertible {
        public var errorDescription: String? { description }
        public let problems: [String]
        public var description: String {
            "Invalid configuration:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        }
    }

    /// Reads `BEARING_DATA_DIR`, `DATABASE_URL`, `BEARING_PUBLIC_URL`, `BEARING_BCRYPT_COST`,
    /// `BEARING_MAX_UPLOAD_MB`, `BEARING_SESSION_HOURS`, `BEARING_TOKEN_DAYS`, `BEARING_TOKEN_MAX_DAYS`;
    /// `BEARING_TRUSTED_PROXIES` (comma-separated addresses); lists every invalid value at once.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws
        -> AppConfig
    {
        var problems: [String] = []
        let dataDirectory = env["BEARING_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./bearing-data"
        var database = DatabaseLocation.sqlite(
            path: (dataDirectory as NSString).appendingPathComponent("bearing.sqlite"))
        if let url = env["DATABASE_URL"], !url.isEmpty {
            if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
                database = .postgres(url: url)
            } else if url.hasPrefix("sqlite://") {
                database = .sqlite(path: String(url.dropFirst("sqlite://".count)))
            } else {
                problems.append(
                    "DATABASE_URL must start with postgres://, postgresql:// or sqlite:// (got \(url.prefix(12))…)")
            }
        }
        func int(_ key: String, default value: Int, range: ClosedRange<Int>) -> Int {
            guard let text = env[key], !text.isEmpty else { return value }
            guard let number = Int(text), range.contains(number) else {
                problems.append(
                    "\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound) (got \(text))")
                return value
            }
            return number
        }
        let cost = int("BEARING_BCRYPT_COST", default: 12, range: 4...16)
        let uploadMB = int("BEARING_MAX_UPLOAD_MB", default: 50, range: 1...1024)
        let hours = int("BEARING_SESSION_HOURS", default: 8, range: 1...168)
        let tokenMaximum = int("BEARING_TOKEN_MAX_DAYS", default: 365, range: 1...3650)
        let tokenDefault = int("BEARING_TOKEN_DAYS", default: min(90, tokenMaximum), range: 1...3650)
        if tokenDefault > tokenMaximum {
            problems.append(
                "BEARING_TOKEN_DAYS (\(tokenDefault)) must not exceed BEARING_TOKEN_MAX_DAYS (\(tokenMaximum))")
        }
        let secure = (env["BEARING_PUBLIC_URL"] ?? "").lowercased().hasPrefix("https://")
        let proxies = Set(
            (env["BEARING_TRUSTED_PROXIES"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty })
        for proxy in proxies where !ClientAddress.isIPAddress(proxy) {
            problems.append("BEARING_TRUSTED_PROXIES: \(proxy) is not an IP address")
        }
        if !problems.isEmpty { throw Invalid(problems: problems) }
        var config = AppConfig(
            database: database, dataDirectory: dataDirectory, secureCookies: secure, bcryptCost: cost,
            maxUploadBytes: uploadMB * 1024 * 1024, sessionLifetime: TimeInterval(hours) * 3600,
            tokenDefaultDays: tokenDefault, tokenMaximumDays: tokenMaximum)
        config.trustedProxies = proxies
        return config
    }
}
