import Fluent
import Foundation
import Vapor

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
    /// The address people reach Bearing at, for links in messages (acknowledgement links).
    public var publicURL = "http://127.0.0.1:8080"
    /// E-mail for alerts; nil when no SMTP server is configured (messages then fail, saying so).
    var smtp: SMTPSettings?
    /// The SMS or messaging gateway for alerts; nil when none is configured.
    var gateway: GatewaySettings?
    /// How long a worker holds a job before another may take it up (its worker died).
    public var jobLease: TimeInterval = 60
    /// Whether `serve` runs a job worker (every server does by default; they share the table).
    public var runsWorker = true
    /// `BEARING_LOG_LEVEL`: nil keeps the environment's own (notice in production, every request in
    /// development). `debug` also logs each SQL statement with its values: for diagnosis only.
    public var logLevel: Logger.Level?
    /// The monitor's alarms: no message sent for this many days while alerts were sent, or more
    /// than this share of today's messages failed.
    public var monitorQuietDays = 7
    public var monitorFailurePercent = 20

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
    /// `BEARING_TRUSTED_PROXIES` (comma-separated addresses); the alert channels (`BEARING_SMTP_HOST`,
    /// `_PORT`, `_SECURITY`, `_USERNAME`, `_PASSWORD`, `_FROM`, `_CA_FILE`; `BEARING_SMS_GATEWAY_URL`,
    /// `_SECRET`); the jobs (`BEARING_WORKER`, `BEARING_JOB_LEASE_SECONDS`) and the monitor
    /// (`BEARING_MONITOR_QUIET_DAYS`, `BEARING_MONITOR_FAILURE_PERCENT`); lists every invalid value at once.
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
        let lease = int("BEARING_JOB_LEASE_SECONDS", default: 60, range: 2...3600)
        let quietDays = int("BEARING_MONITOR_QUIET_DAYS", default: 7, range: 1...365)
        let failurePercent = int("BEARING_MONITOR_FAILURE_PERCENT", default: 20, range: 1...100)
        let publicURL = (env["BEARING_PUBLIC_URL"] ?? "").trimmingCharacters(in: .whitespaces)
        if !publicURL.isEmpty, URL(string: publicURL)?.host == nil {
            problems.append(
                "BEARING_PUBLIC_URL must be an address such as https://bearing.example.org (got \(publicURL))")
        }
        var smtp: SMTPSettings?
        if let host = env["BEARING_SMTP_HOST"], !host.isEmpty {
            let security = SMTPSettings.Security(rawValue: (env["BEARING_SMTP_SECURITY"] ?? "starttls").lowercased())
            if security == nil { problems.append("BEARING_SMTP_SECURITY must be starttls, tls or none") }
            let port = int("BEARING_SMTP_PORT", default: security == .tls ? 465 : 587, range: 1...65535)
            let user = env["BEARING_SMTP_USERNAME"].flatMap { $0.isEmpty ? nil : $0 }
            let password = env["BEARING_SMTP_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
            if (user == nil) != (password == nil) {
                problems.append("BEARING_SMTP_USERNAME and BEARING_SMTP_PASSWORD go together")
            }
            if security == SMTPSettings.Security.none, password != nil {
                problems.append("BEARING_SMTP_SECURITY=none would send the SMTP password in clear: use starttls or tls")
            }
            let from = env["BEARING_SMTP_FROM"] ?? ""
            if !from.contains("@") { problems.append("BEARING_SMTP_FROM must be the sender's e-mail address") }
            let ca = env["BEARING_SMTP_CA_FILE"].flatMap { $0.isEmpty ? nil : $0 }
            if let ca, !FileManager.default.isReadableFile(atPath: ca) {
                problems.append("BEARING_SMTP_CA_FILE cannot be read (\(ca))")
            }
            smtp = SMTPSettings(
                host: host, port: port, security: security ?? .startTLS, username: user, password: password,
                from: from, caFile: ca)
        }
        var gateway: GatewaySettings?
        if let url = env["BEARING_SMS_GATEWAY_URL"], !url.isEmpty {
            let secret = env["BEARING_SMS_GATEWAY_SECRET"] ?? ""
            if URL(string: url)?.host == nil { problems.append("BEARING_SMS_GATEWAY_URL must be an http(s) address") }
            if secret.count < 16 { problems.append("BEARING_SMS_GATEWAY_SECRET must have at least 16 characters") }
            gateway = GatewaySettings(url: url, secret: secret)
        }
        let worker = (env["BEARING_WORKER"] ?? "on").lowercased()
        if !["on", "off"].contains(worker) { problems.append("BEARING_WORKER must be on or off") }
        var logLevel: Logger.Level?
        if let level = env["BEARING_LOG_LEVEL"], !level.isEmpty {
            logLevel = Logger.Level(rawValue: level.lowercased())
            if logLevel == nil {
                problems.append(
                    "BEARING_LOG_LEVEL must be one of "
                        + Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        if !problems.isEmpty { throw Invalid(problems: problems) }
        var config = AppConfig(
            database: database, dataDirectory: dataDirectory, secureCookies: secure, bcryptCost: cost,
            maxUploadBytes: uploadMB * 1024 * 1024, sessionLifetime: TimeInterval(hours) * 3600,
            tokenDefaultDays: tokenDefault, tokenMaximumDays: tokenMaximum)
        config.trustedProxies = proxies
        if !publicURL.isEmpty { config.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL }
        config.smtp = smtp
        config.gateway = gateway
        config.jobLease = TimeInterval(lease)
        config.runsWorker = worker == "on"
        config.logLevel = logLevel
        config.monitorQuietDays = quietDays
        config.monitorFailurePercent = failurePercent
        return config
    }
}
