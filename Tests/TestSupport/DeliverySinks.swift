import Foundation

/// The repository's root, for the scripts the tests start.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A Python helper run for the length of a test: started, awaited until it prints "ready", stopped.
final class Helper: @unchecked Sendable {
    let process = Process()
    let output = Pipe()
    private(set) var readyLine = ""

    init(script: String, arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot.appendingPathComponent("Scripts/\(script)").path] + arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line says it listens; anything else means it could not start.
        var line = Data()
        let handle = output.fileHandleForReading
        while true {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        readyLine = String(decoding: line, as: UTF8.self)
        guard readyLine.hasPrefix("ready") else {
            stop()
            throw HelperFailed(script: script)
        }
    }

    /// Stops the helper. Polls rather than `waitUntilExit`, which on Linux spins a run loop that a
    /// test's cooperative thread never runs, and would wait forever.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<100 where process.isRunning { usleep(20_000) }
    }

    deinit { stop() }
}

struct HelperFailed: Error, CustomStringConvertible {
    let script: String
    var description: String { "\(script) did not start" }
}

/// Whether python3 with aiosmtpd is here, said out loud once when it is not (CI installs it).
public enum DeliverySinks {
    public static let available: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import aiosmtpd"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let ok =
            (try? process.run()) != nil
            && {
                process.waitUntilExit(); return process.terminationStatus == 0
            }()
        if !ok {
            FileHandle.standardError.write(
                Data(
                    ("note: python3 with aiosmtpd is not installed: the alert delivery tests against a real SMTP server "
                        + "are skipped (pip install aiosmtpd; CI installs it).\n").utf8))
        }
        return ok
    }()
}

/// A real SMTP server on loopback (`Scripts/smtp-sink.py`, aiosmtpd): STARTTLS with its own
/// certificate, AUTH required, each message accepted written to a folder.
public final class MailSink: @unchecked Sendable {
    public static let user = "bearing"
    public static let password = "bearing-smtp-test"
    public let port: Int
    /// The sink's self-signed certificate, for `BEARING_SMTP_CA_FILE`.
    public let certificate: String
    public let folder: URL
    private let helper: Helper

    public init(refusing: [String] = []) throws {
        port = Browser.freePort()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("mail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        helper = try Helper(
            script: "smtp-sink.py",
            arguments: ["--port", String(port), "--dir", folder.path, "--user", Self.user, "--password", Self.password]
                + refusing.flatMap { ["--refuse", $0] })
        certificate = String(helper.readyLine.split(separator: " ").last ?? "")
    }

    public func stop() { helper.stop() }

    /// One message as received: the envelope recipient, the decoded subject and text, its headers.
    public struct Mail: Sendable {
        public let envelopeTo: String
        public let headers: [String: String]
        public let subject: String
        public let text: String
        public var messageID: String { headers["message-id"] ?? "" }
        public var language: String { headers["content-language"] ?? "" }
    }

    public func messages() -> [Mail] {
        let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        return files.filter { $0.pathExtension == "eml" }.sorted { $0.path < $1.path }.compactMap { file in
            guard let raw = try? String(contentsOf: file, encoding: .utf8) else { return nil }
            let normalised = raw.replacingOccurrences(of: "\r\n", with: "\n")
            guard let split = normalised.range(of: "\n\n") else { return nil }
            var headers: [String: String] = [:]
            for line in normalised[..<split.lowerBound].split(separator: "\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                    .trimmingCharacters(in: .whitespaces)
            }
            let body = normalised[split.upperBound...].replacingOccurrences(of: "\n", with: "")
            let text = Data(base64Encoded: body).map { String(decoding: $0, as: UTF8.self) } ?? body
            return Mail(
                envelopeTo: headers["x-envelope-to"] ?? "", headers: headers,
                subject: Self.decodeWord(headers["subject"] ?? ""),
                text: text.replacingOccurrences(of: "\r\n", with: "\n"))
        }
    }

    /// Waits until at least `count` messages arrived, or `seconds` passed.
    public func waitFor(_ count: Int, seconds: Double = 20) async throws -> [Mail] {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            let all = messages()
            if all.count >= count { return all }
            try await Task.sleep(for: .milliseconds(100))
        }
        return messages()
    }

    static func decodeWord(_ text: String) -> String {
        guard text.hasPrefix("=?UTF-8?B?"), text.hasSuffix("?=") else { return text }
        let inner = text.dropFirst("=?UTF-8?B?".count).dropLast(2)
        return Data(base64Encoded: String(inner)).map { String(decoding: $0, as: UTF8.self) } ?? text
    }
}

/// A real HTTP receiver for the gateway (`Scripts/gateway-sink.py`): checks every signature itself.
public final class GatewaySink: @unchecked Sendable {
    public let port: Int
    public let secret: String
    public let file: URL
    private let helper: Helper
    public var url: String { "http://127.0.0.1:\(port)/sms" }

    public init(secret: String = "gateway-test-secret-0123456789", status: Int = 200) throws {
        port = Browser.freePort()
        self.secret = secret
        file = FileManager.default.temporaryDirectory.appendingPathComponent("sms-\(UUID().uuidString).jsonl")
        helper = try Helper(
            script: "gateway-sink.py",
            arguments: ["--port", String(port), "--secret", secret, "--out", file.path, "--status", String(status)])
    }

    public func stop() { helper.stop() }

    /// The messages it accepted, as JSON objects.
    public func messages() -> [[String: Any]] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
}
