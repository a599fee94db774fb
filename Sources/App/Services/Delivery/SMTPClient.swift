import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// How to reach the SMTP server (environment: `BEARING_SMTP_*`, see `AppConfig`).
struct SMTPSettings: Sendable, Hashable {
    enum Security: String, Sendable, Hashable {
        /// Plain connection upgraded with STARTTLS before anything else is said (port 587).
        case startTLS = "starttls"
        /// TLS from the first byte (port 465).
        case tls
        /// No encryption: a relay on the same machine only.
        case none
    }
    var host: String
    var port: Int
    var security: Security
    var username: String?
    var password: String?
    /// The envelope and header sender.
    var from: String
    var fromName: String = "Bearing"
    /// A PEM file of certificates to trust besides the system's (a private relay's own CA).
    var caFile: String?
    /// How long to wait for each answer of the server.
    var timeout: TimeInterval = 20
}

/// One reply of the server: its code and its text.
struct SMTPReply: Sendable {
    let code: Int
    let lines: [String]
    var text: String { lines.joined(separator: " ") }
}

/// Why a message was not sent, in words a coordinator can act on. `permanent` failures (the
/// server refused the address for good: 5xx) are not retried; the others are.
struct SMTPError: Error, CustomStringConvertible {
    let description: String
    let permanent: Bool
    /// The server answered (the connection still serves the next message after RSET).
    var answered = false

    static func reply(_ reply: SMTPReply, during step: String) -> SMTPError {
        SMTPError(
            description: "The SMTP server answered \(reply.code) \(reply.text.prefix(200)) to \(step).",
            permanent: (500..<600).contains(reply.code) && step.hasPrefix("RCPT"),
            answered: step.hasPrefix("RCPT") || step.hasPrefix("MAIL") || step.hasPrefix("the end"))
    }
}

/// A small SMTP client (RFC 5321) on SwiftNIO: EHLO, STARTTLS, AUTH PLAIN or LOGIN, then any
/// number of messages on one connection. The mirror holds no SMTP library; alerts need only this.
final class SMTPSession {
    private var inbound: NIOAsyncChannelInboundStream<String>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let channel: any Channel
    private let settings: SMTPSettings
    private var extensions: [String] = []

    private init(
        inbound: NIOAsyncChannelInboundStream<String>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        channel: any Channel, settings: SMTPSettings
    ) {
        self.inbound = inbound.makeAsyncIterator()
        self.outbound = outbound
        self.channel = channel
        self.settings = settings
    }

    /// Connects, greets, secures and signs in, runs `body`, then says QUIT and closes.
    static func with<T>(
        _ settings: SMTPSettings, on group: any EventLoopGroup, _ body: (SMTPSession) async throws -> T
    ) async throws -> T {
        let tls = try settings.security == .none ? nil : tlsContext(settings)
        let timeout = TimeAmount.milliseconds(Int64(settings.timeout * 1000))
        let connection: NIOAsyncChannel<String, ByteBuffer>
        do {
            connection = try await ClientBootstrap(group: group).connectTimeout(timeout)
                .connect(host: settings.host, port: settings.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        if settings.security == .tls, let tls {
                            try sync.addHandler(
                                try NIOSSLClientHandler(context: tls, serverHostname: serverName(settings)))
                        }
                        try sync.addHandler(IdleStateHandler(readTimeout: timeout))
                        try sync.addHandler(CloseOnIdle())
                        try sync.addHandler(ByteToMessageHandler(SMTPLineDecoder()))
                        return try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw SMTPError(
                description: "Cannot reach the SMTP server \(settings.host):\(settings.port) (\(error)).",
                permanent: false)
        }
        return try await connection.executeThenClose { inbound, outbound in
            let session = SMTPSession(
                inbound: inbound, outbound: outbound, channel: connection.channel, settings: settings)
            try await session.open(tls: tls)
            let result = try await body(session)
            try? await session.command("QUIT", expect: [221], step: "QUIT")
            return result
        }
    }

    private static func serverName(_ settings: SMTPSettings) -> String? {
        // SNI takes names, not addresses.
        settings.host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" } ? nil : settings.host
    }

    private static func tlsContext(_ settings: SMTPSettings) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let file = settings.caFile {
            configuration.additionalTrustRoots = [.file(file)]
        }
        return try NIOSSLContext(configuration: configuration)
    }

    private func open(tls: NIOSSLContext?) async throws {
        _ = try await expect([220], step: "the greeting")
        try await hello()
        if settings.security == .startTLS, let tls {
            guard extensions.contains(where: { $0.uppercased() == "STARTTLS" }) else {
                throw SMTPError(
                    description:
                        "The SMTP server \(settings.host) does not offer STARTTLS; Bearing will not send in clear.",
                    permanent: false)
            }
            try await command("STARTTLS", expect: [220], step: "STARTTLS")
            let handler = try NIOSSLClientHandler(context: tls, serverHostname: Self.serverName(settings))
            try await channel.pipeline.addHandler(handler, position: .first).get()
            try await hello()
        }
        if let user = settings.username, let password = settings.password {
            try await authenticate(user: user, password: password)
        }
    }

    private func hello() async throws {
        let reply = try await command("EHLO bearing", expect: [250], step: "EHLO")
        extensions = reply.lines.dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
    }

    private func authenticate(user: String, password: String) async throws {
        let mechanisms =
            extensions.first { $0.uppercased().hasPrefix("AUTH") }?.uppercased()
            .split(separator: " ").map(String.init) ?? []
        if mechanisms.contains("PLAIN") || !mechanisms.contains("LOGIN") {
            let token = Data("\u{0}\(user)\u{0}\(password)".utf8).base64EncodedString()
            try await command("AUTH PLAIN \(token)", expect: [235], step: "AUTH (the user name or password)")
        } else {
            try await command("AUTH LOGIN", expect: [334], step: "AUTH LOGIN")
            try await command(Data(user.utf8).base64EncodedString(), expect: [334], step: "AUTH LOGIN")
            try await command(
                Data(password.utf8).base64EncodedString(), expect: [235], step: "AUTH (the user name or password)")
        }
    }

    /// Sends one message to one recipient; returns when the server has taken it (250 after DATA).
    func send(to recipient: String, message: String) async throws {
        try await command("MAIL FROM:<\(settings.from)>", expect: [250], step: "MAIL FROM")
        try await command("RCPT TO:<\(recipient)>", expect: [250, 251], step: "RCPT TO <\(recipient)>")
        try await command("DATA", expect: [354], step: "DATA")
        // Dot-stuffing (RFC 5321 §4.5.2), then the lone dot that ends the message.
        var data = ""
        for line in message.split(separator: "\r\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(".") { data += "." }
            data += line + "\r\n"
        }
        try await write(data + ".\r\n")
        _ = try await expect([250], step: "the end of the message")
    }

    /// Resets the transaction after a refused recipient, so the connection serves the next one.
    func reset() async throws {
        try await command("RSET", expect: [250], step: "RSET")
    }

    @discardableResult
    private func command(_ line: String, expect codes: Set<Int>, step: String) async throws -> SMTPReply {
        try await write(line + "\r\n")
        return try await expect(codes, step: step)
    }

    private func write(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }

    private func expect(_ codes: Set<Int>, step: String) async throws -> SMTPReply {
        var lines: [String] = []
        while true {
            guard let line = try await inbound.next() else {
                throw SMTPError(
                    description:
                        "The SMTP server \(settings.host) closed the connection or did not answer within \(Int(settings.timeout)) s (at \(step)).",
                    permanent: false)
            }
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)) else {
                throw SMTPError(description: "The SMTP server sent something that is not SMTP.", permanent: false)
            }
            lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
            if bytes.count == 3 || bytes[3] != UInt8(ascii: "-") {
                let reply = SMTPReply(code: code, lines: lines)
                guard codes.contains(code) else { throw SMTPError.reply(reply, during: step) }
                return reply
            }
            if lines.count > 100 {
                throw SMTPError(description: "The SMTP server's answer never ended.", permanent: false)
            }
        }
    }
}

/// Splits the server's bytes into lines (CRLF or LF), refusing absurdly long ones.
private struct SMTPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let view = buffer.readableBytesView
        guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 8_192 {
                throw SMTPError(description: "The SMTP server sent a line longer than 8 KB.", permanent: false)
            }
            return .needMoreData
        }
        let length = newline - view.startIndex + 1
        guard var bytes = buffer.readBytes(length: length) else { return .needMoreData }
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { bytes.removeLast() }
        let line = String(decoding: bytes, as: UTF8.self)
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState
    {
        try decode(context: context, buffer: &buffer)
    }
}

/// Closes the connection when the server says nothing for the timeout, so a hung server ends the
/// attempt (the reader then sees the connection end) instead of holding the job.
private final class CloseOnIdle: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
