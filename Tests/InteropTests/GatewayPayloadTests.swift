import Domain
import Foundation
import Interop
import TestFiles
import Testing

@Suite(
    "SMS and WhatsApp gateway payloads (shared/data/sms) and their signatures",
    .enabled(if: SharedDataFolder.url != nil, "shared/data not found"))
struct GatewayPayloadTests {
    func file(_ name: String) throws -> Data {
        try Data(contentsOf: SharedDataFolder.url!.appendingPathComponent("sms/" + name))
    }

    @Test("Twilio: an SMS, an MMS with two pictures, a short code, and two status callbacks")
    func twilio() throws {
        let sms = try GatewayPayloads.decode(.twilio, body: try file("twilio_inbound_sms.txt"))
        #expect(
            sms.messages == [
                InboundMessage(
                    externalID: "SMe287d7109a5a925f182f0e07fe5b223b", sender: "+14133881111", recipient: "+12028831111",
                    text: "Msg")
            ])
        let mms = try GatewayPayloads.decode(.twilio, body: try file("twilio_inbound_mms_with_media.txt"))
        #expect(mms.messages.first?.media == ["cat.jpg", "dog.jpg"])
        let short = try GatewayPayloads.decode(
            .twilio, body: try file("twilio_inbound_sms_shortcode_messaging_service.txt"))
        #expect(short.messages.first?.text == "John Cruz" && short.messages.first?.recipient == "384387")
        let delivered = try GatewayPayloads.decode(.twilio, body: try file("twilio_status_delivered.txt"))
        #expect(delivered.messages.isEmpty && delivered.statuses.first?.status == "delivered")
        let failed = try GatewayPayloads.decode(.twilio, body: try file("twilio_status_failed_21610.txt"))
        #expect(
            failed.statuses == [
                GatewayStatus(externalID: "SMe287d7109a5a925f182f0e07fe5b223b", status: "failed", error: "21610")
            ])
    }

    @Test("Africa's Talking: both date formats give the same moment (UTC)")
    func africasTalking() throws {
        let iso = try GatewayPayloads.decode(.africastalking, body: try file("africastalking_inbound_sms_isodate.txt"))
        let spaced = try GatewayPayloads.decode(
            .africastalking, body: try file("africastalking_inbound_sms_spacedate.txt"))
        let expected = try Date("2017-05-03T06:04:45Z", strategy: .iso8601)
        #expect(iso.messages.first?.sentAt == expected && spaced.messages.first?.sentAt == expected)
        #expect(iso.messages.first?.sender == "+254791541111" && iso.messages.first?.recipient == "21512")
        #expect(iso.messages.first?.externalID == "ec9adc86-51d5-4bc8-8eb0-d8ab0bb53dc3")
    }

    @Test("WhatsApp Cloud: text with the contact's name, a location, an image by its media id, a status")
    func whatsApp() throws {
        let hello = try GatewayPayloads.decode(.whatsapp, body: try file("whatsapp_cloud_hello.json"))
        #expect(
            hello.messages == [
                InboundMessage(
                    externalID: "external_id", sender: "5678", senderName: "Kerry Fisher",
                    recipient: "+250 788 123 200",
                    text: "Hello World", sentAt: Date(timeIntervalSince1970: 1_454_119_029))
            ])
        let place = try #require(
            try GatewayPayloads.decode(.whatsapp, body: try file("whatsapp_cloud_location.json")).messages.first)
        #expect(place.latitude == 0 && place.longitude == 1 && place.text.hasPrefix("Main Street Beach"))
        let image = try #require(
            try GatewayPayloads.decode(.whatsapp, body: try file("whatsapp_cloud_image.json")).messages.first)
        #expect(image.media.first?.hasPrefix("image:") == true)
        let status = try GatewayPayloads.decode(.whatsapp, body: try file("whatsapp_cloud_valid_status.json"))
        #expect(status.messages.isEmpty && status.statuses.first?.status == "sent")
    }

    @Test("Telegram: a text and a location, the chat id as the sender")
    func telegram() throws {
        let text = try #require(
            try GatewayPayloads.decode(.telegram, body: try file("telegram_update_text.json")).messages.first)
        #expect(text.sender == "3527065" && text.text == "Hello World" && text.senderName == "Nic Pottier")
        #expect(text.externalID == "174114370")
        let place = try #require(
            try GatewayPayloads.decode(.telegram, body: try file("telegram_update_location.json")).messages.first)
        #expect(place.latitude == -2.890287 && place.longitude == -79.004333 && place.text.isEmpty)
    }

    @Test("RapidPro: the message that started the flow, from its own URN, with the attachments")
    func rapidPro() throws {
        let message = try #require(
            try GatewayPayloads.decode(.rapidpro, body: try file("rapidpro_resthook_payload.json")).messages.first)
        #expect(message.sender == "+12065551212" && message.text == "Hi there" && message.senderName == "Ryan Lewis")
        #expect(message.externalID == "0197b335-6ded-79a4-95a6-3af85b57f108" && message.media.count == 2)
        #expect(message.sentAt != nil)
    }

    @Test("Bad bodies are refused saying what and where")
    func refused() {
        func refusal(_ kind: GatewayKind, _ text: String) -> String? {
            do {
                _ = try GatewayPayloads.decode(kind, body: Data(text.utf8))
                return nil
            } catch { return error.message }
        }
        #expect(refusal(.generic, "not json")?.contains("not a JSON object") == true)
        #expect(refusal(.generic, #"{"id": "1", "text": "x"}"#) == "from is missing.")
        #expect(
            refusal(.generic, #"{"messages": [{"id": "1", "from": "+249"}, {"id": "2"}]}"#)
                == "messages[1].from is missing.")
        #expect(refusal(.generic, #"{"id": "1", "from": "+1", "sent_at": "yesterday"}"#)?.contains("sent_at") == true)
        #expect(
            refusal(.generic, #"{"id": "1", "from": "+1", "latitude": 95, "longitude": 1}"#)?.contains("out of range")
                == true)
        #expect(refusal(.twilio, "Body=hello")?.contains("MessageSid") == true)
        #expect(refusal(.twilio, "MessageSid=SM1&Body=%ZZ")?.contains("percent-encoded") == true)
        #expect(refusal(.africastalking, "id=1&from=%2B1&date=03/05/2017")?.contains("date") == true)
        #expect(refusal(.whatsapp, "[]")?.contains("JSON object") == true)
        #expect(refusal(.telegram, "{}")?.contains("update_id") == true)
        #expect(refusal(.rapidpro, #"{"contact": {}}"#)?.contains("input") == true)
    }

    @Test(
        "Numbers out of bounds neither trap nor pass: a negative media count, an epoch past year 9999, a latitude of 200"
    )
    func bounds() throws {
        let twilio = try GatewayPayloads.decode(.twilio, body: Data("MessageSid=SM1&From=%2B1&Body=x&NumMedia=-5".utf8))
        #expect(twilio.messages.first?.media == [])
        let whatsapp = try GatewayPayloads.decode(
            .whatsapp,
            body: Data(
                #"{"entry":[{"changes":[{"value":{"messages":[{"id":"w1","from":"1","timestamp":"1e300","type":"location","location":{"latitude":"nan","longitude":1}}]}}]}]}"#
                    .utf8))
        #expect(whatsapp.messages.first?.sentAt == nil && whatsapp.messages.first?.latitude == nil)
        let telegram = try GatewayPayloads.decode(
            .telegram,
            body: Data(
                #"{"update_id":1,"message":{"chat":{"id":5},"date":-1,"location":{"latitude":200,"longitude":1}}}"#.utf8
            ))
        #expect(telegram.messages.first?.sentAt == nil && telegram.messages.first?.latitude == nil)
        let fraction = try GatewayPayloads.decode(
            .generic, body: Data(#"{"id":"1","from":"+1","sent_at":"2017-12-31T11:35:09.123456Z"}"#.utf8))
        #expect(fraction.messages.first?.sentAt == DateText.time("2017-12-31T11:35:09.123456Z"))
    }

    struct Vectors: Decodable {
        struct Case: Decodable {
            let name: String
            let url: String
            let params: [String: String]?
            let params_list: [[String]]?
            let expected_signature: String
        }
        let auth_token: String
        let cases: [Case]
    }

    @Test("Twilio's own signature vectors, including duplicate keys and the :443 form; a changed byte fails")
    func twilioSignatures() throws {
        let vectors = try JSONDecoder().decode(Vectors.self, from: try file("twilio_signature_vectors.json"))
        for vector in vectors.cases {
            let parameters =
                vector.params.map { $0.map { ($0.key, $0.value) } } ?? (vector.params_list ?? []).map { ($0[0], $0[1]) }
            #expect(
                GatewaySignature.twilio(
                    url: vector.url, parameters: parameters, token: vectors.auth_token, given: vector.expected_signature
                ),
                "\(vector.name)")
            #expect(
                !GatewaySignature.twilio(
                    url: vector.url + "x", parameters: parameters, token: vectors.auth_token,
                    given: vector.expected_signature))
            #expect(
                !GatewaySignature.twilio(
                    url: vector.url, parameters: parameters, token: "54321", given: vector.expected_signature))
        }
    }

    @Test("HMAC-SHA256 of the body (WhatsApp, Bearing's own); shared secrets; phone numbers; check-in keywords")
    func signaturesAndWords() {
        let body = Data(#"{"id":"1","from":"+249912345678","text":"ARRIVED 12"}"#.utf8)
        let signed = GatewaySignature.sign(body: body, secret: "s3cret-s3cret")
        #expect(GatewaySignature.hmacSHA256(body: body, secret: "s3cret-s3cret", given: signed))
        #expect(GatewaySignature.hmacSHA256(body: body, secret: "s3cret-s3cret", given: signed.uppercased()))
        #expect(!GatewaySignature.hmacSHA256(body: body + Data(" ".utf8), secret: "s3cret-s3cret", given: signed))
        #expect(!GatewaySignature.hmacSHA256(body: body, secret: "other-secret", given: signed))
        #expect(!GatewaySignature.sharedSecret("", given: ""))
        #expect(GatewaySignature.sharedSecret("abc12345", given: "abc12345"))

        #expect(PhoneMatch.same("+249 912 345 678", "249912345678"))
        #expect(PhoneMatch.same("0912345678", "+249912345678"))
        #expect(!PhoneMatch.same("+249912345678", "+249912345679"))
        #expect(!PhoneMatch.same("12345", "12345"))

        #expect(
            CheckInKeyword.parse("ARRIVED 123") == .init(kind: .arrived, movementNumber: 123, waypoint: nil, note: ""))
        #expect(CheckInKeyword.parse("arrived #7 road clear")?.note == "road clear")
        #expect(CheckInKeyword.parse("DEPARTED 12")?.kind == .departed)
        #expect(CheckInKeyword.parse("POINT 12 2") == .init(kind: .waypoint, movementNumber: 12, waypoint: 2, note: ""))
        #expect(CheckInKeyword.parse("وصلت ١٢")?.movementNumber == 12)
        #expect(CheckInKeyword.parse("POINT 12") == nil)
        #expect(CheckInKeyword.parse("ARRIVED soon") == nil)
        #expect(CheckInKeyword.parse("We arrived 12 minutes ago") == nil)
        #expect(CheckInKeyword.parse("ARRIVED 99999999999") == nil)
    }
}
