import Crypto
import Domain
import FluentKit
import Foundation
import Persistence
import SQLKit
import TestFiles
import TestSupport
import Testing
import Vapor

@testable import App

/// Issue 21: messages from SMS and WhatsApp gateways, through the webhook into the untriaged inbox,
/// and triaged by those who keep the register.
@Suite(
    "Messages from SMS and WhatsApp gateways: signed webhooks, an untriaged inbox, triage and replies",
    .enabled(if: SharedDataFolder.url != nil, "shared/data not found"))
struct InboxTests {
    static let code = "/operations/SDN-TEST"
    static let twilioToken = "12345-twilio-token"

    static func sample(_ name: String) throws -> Data {
        try Data(contentsOf: SharedDataFolder.url!.appendingPathComponent("sms/" + name))
    }

    /// Posts `body` to the gateway's webhook with `headers`, as the gateway would (no session).
    static func deliver(
        _ app: Application, _ gateway: InboxStore.Gateway, _ body: Data, headers: HTTPHeaders, query: String = ""
    )
        async throws -> Browser.Page
    {
        let bytes = body
        return try await Browser(app).send(.POST, "/webhooks/\(gateway.id.uuidString)\(query)", headers: headers) {
            $0.body = ByteBuffer(data: bytes)
        }
    }

    /// Twilio's signature, computed here from its documentation (not with Bearing's code).
    static func twilioSignature(url: String, body: Data, token: String) -> String {
        var pairs: [(String, String)] = []
        for part in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let halves: [String] = part.split(separator: "=", maxSplits: 1).map { half in
                String(half).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            pairs.append((halves[0], halves.count > 1 ? halves[1] : ""))
        }
        pairs.sort { a, b in a.0 == b.0 ? a.1 < b.1 : a.0 < b.0 }
        var signed = url
        for (name, value) in pairs { signed += name + value }
        let data = Data(signed.utf8)
        return Data(HMAC<Insecure.SHA1>.authenticationCode(for: data, using: SymmetricKey(data: Data(token.utf8))))
            .base64EncodedString()
    }

    static func hubSignature(_ body: Data, _ secret: String) -> String {
        "sha256="
            + HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    static func gateways(_ app: Application, _ fixture: Fixture) async throws -> [GatewayKind: InboxStore.Gateway] {
        var made: [GatewayKind: InboxStore.Gateway] = [:]
        for kind in GatewayKind.allCases {
            made[kind] = try await InboxStore(app.db).createGateway(
                kind: kind, name: "Test \(kind.rawValue)",
                secret: kind == .twilio ? twilioToken : "secret-\(kind.rawValue)-0123",
                in: fixture.operation.id, actorID: nil, now: Date())
        }
        return made
    }

    static func stored(_ app: Application) async throws -> Int {
        try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM inbound_messages").first()?
            .decode(column: "n", as: Int.self) ?? -1
    }

    @Test(
        "every sample payload is received once, signed as its gateway signs; forged, unsigned, oversized and malformed requests are refused and store nothing",
        arguments: TestDatabases.kinds)
    func webhook(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind, adjust: { $0.publicURL = "https://bearing.example.org" }) { app in
            let fixture = try await Fixture.make(app)
            let g = try await Self.gateways(app, fixture)
            let twilio = try #require(g[.twilio])
            let form: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded"]
            let json: HTTPHeaders = ["Content-Type": "application/json"]

            // Twilio: signed over the public address it called.
            let sms = try Self.sample("twilio_inbound_sms.txt")
            let url = "https://bearing.example.org/webhooks/\(twilio.id.uuidString)"
            var signed = form
            signed.add(
                name: "X-Twilio-Signature", value: Self.twilioSignature(url: url, body: sms, token: Self.twilioToken))
            let first = try await Self.deliver(app, twilio, sms, headers: signed)
            #expect(first.status == .ok && first.body == "<Response/>")
            // Twilio retries when an answer is lost: the same MessageSid is stored once.
            #expect(try await Self.deliver(app, twilio, sms, headers: signed).status == .ok)
            #expect(try await Self.stored(app) == 1)
            // Forged: a changed body under the old signature, another token's signature, none at all.
            let changed = Data(
                String(decoding: sms, as: UTF8.self).replacingOccurrences(of: "Body=Msg", with: "Body=Evil").utf8)
            #expect(try await Self.deliver(app, twilio, changed, headers: signed).status == .forbidden)
            var other = form
            other.add(name: "X-Twilio-Signature", value: Self.twilioSignature(url: url, body: changed, token: "not-it"))
            #expect(try await Self.deliver(app, twilio, changed, headers: other).status == .forbidden)
            #expect(try await Self.deliver(app, twilio, changed, headers: form).status == .forbidden)
            // A status callback, signed: a report, no message.
            let status = try Self.sample("twilio_status_failed_21610.txt")
            var statusHeaders = form
            statusHeaders.add(
                name: "X-Twilio-Signature", value: Self.twilioSignature(url: url, body: status, token: Self.twilioToken)
            )
            #expect(try await Self.deliver(app, twilio, status, headers: statusHeaders).status == .ok)
            #expect(try await Self.stored(app) == 1)

            // WhatsApp: X-Hub-Signature-256 with the app secret.
            let whatsapp = try #require(g[.whatsapp])
            for name in [
                "whatsapp_cloud_hello.json", "whatsapp_cloud_location.json", "whatsapp_cloud_valid_status.json",
            ] {
                let body = try Self.sample(name)
                var headers = json
                headers.add(name: "X-Hub-Signature-256", value: Self.hubSignature(body, whatsapp.secret))
                #expect(try await Self.deliver(app, whatsapp, body, headers: headers).status == .ok, "\(name)")
            }
            // The location repeats the hello's id ("external_id"): one message, as the gateway meant.
            #expect(try await Self.stored(app) == 2)
            var wrong = json
            wrong.add(
                name: "X-Hub-Signature-256",
                value: Self.hubSignature(try Self.sample("whatsapp_cloud_image.json"), "nope"))
            #expect(
                try await Self.deliver(app, whatsapp, try Self.sample("whatsapp_cloud_image.json"), headers: wrong)
                    .status == .forbidden)

            // Telegram: its secret-token header.
            let telegram = try #require(g[.telegram])
            var bot = json
            bot.add(name: "X-Telegram-Bot-Api-Secret-Token", value: telegram.secret)
            #expect(
                try await Self.deliver(app, telegram, try Self.sample("telegram_update_text.json"), headers: bot).status
                    == .ok)
            #expect(
                try await Self.deliver(app, telegram, try Self.sample("telegram_update_location.json"), headers: bot)
                    .status == .ok)
            #expect(
                try await Self.deliver(app, telegram, try Self.sample("telegram_update_text.json"), headers: json)
                    .status == .forbidden)

            // RapidPro in a header, Africa's Talking in the address: the shared secret.
            let rapidpro = try #require(g[.rapidpro])
            var flow = json
            flow.add(name: "X-Bearing-Secret", value: rapidpro.secret)
            #expect(
                try await Self.deliver(app, rapidpro, try Self.sample("rapidpro_resthook_payload.json"), headers: flow)
                    .status == .ok)
            let at = try #require(g[.africastalking])
            #expect(
                try await Self.deliver(
                    app, at, try Self.sample("africastalking_inbound_sms_isodate.txt"), headers: form,
                    query: "?secret=\(at.secret)"
                ).status == .ok)
            // The same message in the other date format, same id: stored once.
            #expect(
                try await Self.deliver(
                    app, at, try Self.sample("africastalking_inbound_sms_spacedate.txt"), headers: form,
                    query: "?secret=\(at.secret)"
                ).status == .ok)
            #expect(
                try await Self.deliver(
                    app, at, try Self.sample("africastalking_inbound_sms_isodate.txt"), headers: form,
                    query: "?secret=guess"
                ).status == .forbidden)
            #expect(try await Self.stored(app) == 6)

            // Bearing's own shape: signed, malformed, oversized, an unknown gateway.
            let generic = try #require(g[.generic])
            func sign(_ body: Data) -> HTTPHeaders {
                var h = json
                h.add(name: "X-Bearing-Signature", value: GatewaySignature.sign(body: body, secret: generic.secret))
                return h
            }
            let bad = Data(#"{"id": "g1", "text": "no sender"}"#.utf8)
            let malformed = try await Self.deliver(app, generic, bad, headers: sign(bad))
            #expect(malformed.status == .badRequest && malformed.body.contains("from is missing"))
            let huge = Data(
                ("{\"id\":\"g2\",\"from\":\"+249\",\"text\":\"" + String(repeating: "x", count: 70_000) + "\"}").utf8)
            #expect(try await Self.deliver(app, generic, huge, headers: sign(huge)).status == .payloadTooLarge)
            let fine = Data(#"{"id": "g3", "from": "+249912000111", "text": "hello"}"#.utf8)
            let unknown = try await Browser(app).send(.POST, "/webhooks/\(UUID().uuidString)", headers: sign(fine)) {
                $0.body = ByteBuffer(data: fine)
            }
            #expect(unknown.status == .notFound)
            #expect(try await Self.stored(app) == 6)

            // Every one untriaged, none an incident.
            let inbox = try await InboxStore(app.db).inbox(in: fixture.operation.id, untriaged: true)
            #expect(inbox.count == 6 && inbox.allSatisfy { $0.state == .untriaged })
            #expect(inbox.contains { $0.message.latitude == -2.890287 })
        }
    }

    @Test("a sender over 20 messages a minute is refused with 429 and Retry-After; others still get through")
    func rateLimit() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let generic = try #require(try await Self.gateways(app, fixture)[.generic])
            func send(_ id: Int, from sender: String) async throws -> Browser.Page {
                let body = Data(#"{"id": "r\#(id)", "from": "\#(sender)", "text": "ping \#(id)"}"#.utf8)
                var headers: HTTPHeaders = ["Content-Type": "application/json"]
                headers.add(
                    name: "X-Bearing-Signature", value: GatewaySignature.sign(body: body, secret: generic.secret))
                return try await Self.deliver(app, generic, body, headers: headers)
            }
            for id in 0..<20 { #expect(try await send(id, from: "+249900000001").status == .ok) }
            let limited = try await send(20, from: "+249900000001")
            #expect(limited.status == .tooManyRequests && limited.headers.first(name: .retryAfter) == "60")
            #expect(try await send(21, from: "+249900000002").status == .ok)
            #expect(try await Self.stored(app) == 21)
        }
    }

    @Test(
        "triage: an incident from the prefilled form, a check-in from \"ARRIVED n\", a location from a WhatsApp position, an archive with its reason; each once; a movement that does not exist is said",
        arguments: TestDatabases.kinds)
    func triage(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let (fixture, _, port, tomas, _) = try await MovementPageTests.setUp(app)
            let keeper = AccessPolicy.operatorPersonnelScope(in: fixture.operation.id)
                .acting(as: fixture.users[.securityCoordinator]!.id)
            let driver = try await PersonStore(app.db).create(
                try PersonDraft(
                    fullName: "Ali Driver", category: .ifrcStaff,
                    phones: [PhoneNumber(kind: .mobile, text: "+249 912 000 111", e164: "+249912000111")],
                    arrivalAt: Date().addingTimeInterval(-10 * 86_400)
                ).validated(), scope: keeper, now: Date())
            let movement = try await MovementPageTests.approvedMovement(
                app, keeper: keeper, tomas: tomas, from: port, departure: Date().addingTimeInterval(-3_600),
                arrival: Date().addingTimeInterval(3_600), requestedAt: Date().addingTimeInterval(-2 * 3_600))
            let gateway = try #require(try await Self.gateways(app, fixture)[.generic])
            let messages = [
                InboundMessage(externalID: "1", sender: "+249915550102", text: "Shots fired near the market\nAll safe"),
                InboundMessage(externalID: "2", sender: "+249912000111", text: "ARRIVED \(movement.number) road clear"),
                InboundMessage(externalID: "3", sender: "0912000111", text: "Here", latitude: 19.65, longitude: 37.25),
                InboundMessage(externalID: "4", sender: "+249915550177", text: "test"),
                InboundMessage(externalID: "5", sender: "+249912000111", text: "ARRIVED 999"),
            ]
            let store = InboxStore(app.db)
            let matched = try await store.people(matching: Set(messages.map(\.sender)), in: fixture.operation.id)
            #expect(matched["+249912000111"] == driver.id && matched["0912000111"] == driver.id)
            #expect(matched["+249915550102"] == nil)
            _ = try await store.receive(messages, through: gateway, people: matched, now: Date())
            let inbox = try await store.inbox(in: fixture.operation.id, untriaged: true)
            func id(_ external: String) throws -> UUID {
                try #require(inbox.first { $0.message.externalID == external }).id
            }
            let coordinator = try await Browser.signedIn(app, fixture.users[.securityCoordinator]!)
            let list = try await coordinator.get(Self.code + "/inbox")
            #expect(
                list.status == .ok && list.body.contains("Shots fired near the market")
                    && list.body.contains("unknown sender"))
            #expect(list.body.contains("Ali Driver"))

            // An incident: the form prefilled; saved, the message points at it.
            let incidentForm = try await coordinator.get(Self.code + "/incidents/new?message=\(try id("1").uuidString)")
            #expect(incidentForm.body.contains("value=\"Shots fired near the market\""))
            #expect(incidentForm.body.contains("+249915550102") && incidentForm.body.contains("name=\"from_message\""))
            let fields = FormReader.fields(in: incidentForm.body, action: Self.code + "/incidents")
            var form = fields
            form["category"] = "violence"
            form["subtype"] = "shooting"
            form["latitude"] = "15.5007"
            form["longitude"] = "32.5599"
            let created = try await coordinator.post(Self.code + "/incidents", form)
            #expect(created.status == .seeOther)
            let incidentPath = try #require(created.location)
            let incidentMessage = try #require(try await store.find(try id("1"), in: fixture.operation.id))
            #expect(incidentMessage.state == .incident && incidentMessage.outcome == incidentPath)

            // A check-in from the keyword, by message, at the movement's end.
            let path2 = Self.code + "/inbox/\(try id("2").uuidString)"
            let page2 = try await coordinator.get(path2)
            #expect(
                page2.body.contains("Ali Driver")
                    && page2.body.contains("name=\"movement\" value=\"\(movement.number)\""))
            let checkIn = try await coordinator.post(
                path2 + "/triage", ["action": "check_in", "kind": "arrived", "movement": String(movement.number)])
            #expect(checkIn.status == .seeOther)
            let arrived = try #require(try await MovementStore(app.db).find(movement.id, in: keeper))
            #expect(arrived.status == .arrived)
            let source = try await (app.db as! any SQLDatabase).raw(
                "SELECT source FROM movement_check_ins WHERE movement_id = \(bind: movement.id) AND kind = 'arrived'"
            ).first()?.decode(column: "source", as: String.self)
            #expect(source == "message")
            // Triaged once: a second decision is refused.
            #expect(
                try await coordinator.post(path2 + "/triage", ["action": "archive", "reason": "again"]).status
                    == .conflict)

            // A movement that does not exist: said on the message, nothing changed.
            let path5 = Self.code + "/inbox/\(try id("5").uuidString)"
            _ = try await coordinator.get(path5)
            let none = try await coordinator.post(
                path5 + "/triage", ["action": "check_in", "kind": "arrived", "movement": "999"])
            #expect(
                none.status == .unprocessableEntity
                    && none.body.contains("No movement of this operation has that number"))
            #expect(try await store.find(try id("5"), in: fixture.operation.id)?.state == .untriaged)

            // A location: the position becomes the driver's, from the radio room.
            let path3 = Self.code + "/inbox/\(try id("3").uuidString)"
            _ = try await coordinator.get(path3)
            #expect(try await coordinator.post(path3 + "/triage", ["action": "location"]).status == .seeOther)
            let location = try #require(try await PersonStore(app.db).find(driver.id, in: keeper)?.location)
            #expect(location.place == .point(latitude: 19.65, longitude: 37.25, precisionMeters: nil))

            // Archive: a reason is required.
            let path4 = Self.code + "/inbox/\(try id("4").uuidString)"
            _ = try await coordinator.get(path4)
            #expect(
                try await coordinator.post(path4 + "/triage", ["action": "archive", "reason": " "]).status
                    == .unprocessableEntity)
            #expect(
                try await coordinator.post(path4 + "/triage", ["action": "archive", "reason": "Gateway test"]).status
                    == .seeOther)
            #expect(try await store.find(try id("4"), in: fixture.operation.id)?.outcome == "Gateway test")
            #expect(try await store.untriagedCount(in: fixture.operation.id) == 1)
            #expect(try await coordinator.get(Self.code).body.contains("Messages received (1 to triage)"))
        }
    }

    @Test(
        "a reply goes to the sender through the operation's SMS gateway, checked by a real receiver, and is recorded; a refused one is recorded as not sent",
        .enabled(if: DeliverySinks.available, "python3 is needed for the gateway receiver"))
    func reply() async throws {
        let receiver = try GatewaySink()
        defer { receiver.stop() }
        try await withTestApp(adjust: { $0.gateway = GatewaySettings(url: receiver.url, secret: receiver.secret) }) {
            app in
            let fixture = try await Fixture.make(app)
            let gateways = try await Self.gateways(app, fixture)
            let store = InboxStore(app.db)
            _ = try await store.receive(
                [InboundMessage(externalID: "SM1", sender: "+249915550102", text: "Are the roads open?")],
                through: try #require(gateways[.twilio]), people: [:], now: Date())
            _ = try await store.receive(
                [InboundMessage(externalID: "tg1", sender: "3527065", text: "Hello")],
                through: try #require(gateways[.telegram]), people: [:], now: Date())
            let inbox = try await store.inbox(in: fixture.operation.id, untriaged: true)
            let sms = try #require(inbox.first { $0.message.externalID == "SM1" })
            let coordinator = try await Browser.signedIn(app, fixture.users[.securityCoordinator]!)
            let path = Self.code + "/inbox/\(sms.id.uuidString)"
            _ = try await coordinator.get(path)
            #expect(try await coordinator.post(path + "/reply", ["text": ""]).status == .unprocessableEntity)
            #expect(
                try await coordinator.post(path + "/reply", ["text": "Road to Kassala closed until 18:00."]).status
                    == .seeOther)
            let got = receiver.messages()
            #expect(got.count == 1 && got.first?["to"] as? String == "+249915550102")
            #expect(
                got.first?["reply_to"] as? String == "SM1"
                    && got.first?["text"] as? String == "Road to Kassala closed until 18:00.")
            let replies = try await store.replies(to: sms.id)
            #expect(replies.count == 1 && replies.first?.status == "sent")
            #expect(try await coordinator.get(path).body.contains("Road to Kassala closed until 18:00."))
            // Telegram carries no reply from here: no form, and a post is refused.
            let telegram = try #require(inbox.first { $0.message.externalID == "tg1" })
            let tgPage = try await coordinator.get(Self.code + "/inbox/\(telegram.id.uuidString)")
            #expect(!tgPage.body.contains("id=\"reply-form\""))
            #expect(
                try await coordinator.post(Self.code + "/inbox/\(telegram.id.uuidString)/reply", ["text": "hi"]).status
                    == .conflict)
        }
        // A gateway that refuses: the reply is kept, marked not sent, with the gateway's answer.
        let refusing = try GatewaySink(status: 403)
        defer { refusing.stop() }
        try await withTestApp(adjust: { $0.gateway = GatewaySettings(url: refusing.url, secret: refusing.secret) }) {
            app in
            let fixture = try await Fixture.make(app)
            let store = InboxStore(app.db)
            _ = try await store.receive(
                [InboundMessage(externalID: "SM2", sender: "+249915550102", text: "Anyone there?")],
                through: try #require(try await Self.gateways(app, fixture)[.generic]), people: [:], now: Date())
            let message = try #require(try await store.inbox(in: fixture.operation.id, untriaged: true).first)
            let coordinator = try await Browser.signedIn(app, fixture.users[.securityCoordinator]!)
            let path = Self.code + "/inbox/\(message.id.uuidString)"
            _ = try await coordinator.get(path)
            #expect(try await coordinator.post(path + "/reply", ["text": "Yes, call the office."]).status == .seeOther)
            let replies = try await store.replies(to: message.id)
            #expect(replies.first?.status == "failed" && replies.first?.error?.contains("403") == true)
            #expect(try await coordinator.get(path).body.contains("not sent"))
        }
    }

    @Test(
        "access matrix: the inbox, a message, triage, replies and gateways for the security roles and named focal points only; everyone else refused, outsiders told nothing exists",
        arguments: TestDatabases.kinds)
    func matrix(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let generic = try #require(try await Self.gateways(app, fixture)[.generic])
            let store = InboxStore(app.db)
            _ = try await store.receive(
                [InboundMessage(externalID: "m1", sender: "+249915550102", text: "Secret report about a checkpoint")],
                through: generic, people: [:], now: Date())
            let message = try #require(try await store.inbox(in: fixture.operation.id, untriaged: true).first)
            // The HeOps names the NS focal point a security focal point: they read the inbox too.
            let ns = fixture.users[.nationalSocietyFocalPoint]!
            try await PersonStore(app.db).setFocalPoint(
                ns.id, named: true, in: fixture.operation.id, actorID: fixture.users[.headOfOperations]!.id, now: Date()
            )
            for person in try await AccessMatrixHTTPTests.everyone(app, fixture) {
                let viewer = person.viewer
                let reaches: Bool
                if let scope = AccessPolicy.personnelScope(
                    in: fixture.operation.id, for: viewer, isNamedFocalPoint: viewer.userID == ns.id)
                {
                    reaches = AccessPolicy.canTriageInbox(through: scope)
                } else {
                    reaches = false
                }
                let member = viewer.role(in: fixture.operation.id) != nil
                let refused: HTTPStatus = member ? .forbidden : .notFound
                let inbox = try await person.browser.get(Self.code + "/inbox")
                let page = try await person.browser.get(Self.code + "/inbox/\(message.id.uuidString)")
                #expect(inbox.status == (reaches ? .ok : refused), "\(person.label)")
                #expect(page.status == (reaches ? .ok : refused), "\(person.label)")
                if !reaches {
                    #expect(
                        !inbox.body.contains("Secret report") && !page.body.contains("Secret report"), "\(person.label)"
                    )
                    let triage = try await person.browser.post(
                        Self.code + "/inbox/\(message.id.uuidString)/triage", ["action": "archive", "reason": "x"])
                    #expect(triage.status == refused, "\(person.label)")
                    let reply = try await person.browser.post(
                        Self.code + "/inbox/\(message.id.uuidString)/reply", ["text": "x"])
                    #expect(reply.status == refused, "\(person.label)")
                    let prefilled = try await person.browser.get(
                        Self.code + "/incidents/new?message=\(message.id.uuidString)")
                    #expect(!prefilled.body.contains("Secret report"), "\(person.label)")
                }
                let dashboard = try await person.browser.get(Self.code)
                #expect(dashboard.body.contains("id=\"inbox\"") == reaches, "\(person.label)")
                // Gateways: the security roles only.
                let adds = try await person.browser.post(
                    Self.code + "/inbox/gateways", ["name": "Relay", "kind": "generic"])
                let manages = AccessPolicy.canManageGateways(in: fixture.operation.id, by: viewer)
                #expect(adds.status == (manages ? .ok : reaches ? .forbidden : refused), "\(person.label)")
            }
            #expect(try await store.find(message.id, in: fixture.operation.id)?.state == .untriaged)
        }
    }
}
