import Domain
import FluentKit
import Foundation
import SQLKit

/// Messages from SMS and WhatsApp gateways (migration 0046): the gateways, the inbox, the replies.
/// Nothing here makes an incident or a check-in: a person triages each message (issue 21).
public struct InboxStore: Sendable {
    public struct Gateway: Sendable, Equatable {
        public let id: UUID
        public let operationID: OperationID
        public let kind: GatewayKind
        public let name: String
        public let secret: String
        public let active: Bool
    }

    public enum State: String, Sendable, CaseIterable {
        case untriaged, incident
        case checkIn = "check_in"
        case location, archived
    }

    public struct Message: Sendable, Equatable {
        public let id: UUID
        public let gatewayID: UUID
        public let gatewayKind: GatewayKind
        public let gatewayName: String
        public let message: InboundMessage
        public let personID: PersonID?
        public let receivedAt: Date
        public let state: State
        public let outcome: String?
        public let triagedBy: UserID?
        public let triagedAt: Date?
    }

    public struct Reply: Sendable, Equatable {
        public let id: UUID
        public let text: String
        public let sentBy: UserID?
        public let createdAt: Date
        public let status: String
        public let error: String?
    }

    let database: any Database
    public init(_ database: any Database) { self.database = database }

    // MARK: Gateways

    public func createGateway(
        kind: GatewayKind, name: String, secret: String, in operationID: OperationID, actorID: UserID?, now: Date
    ) async throws -> Gateway {
        let id = UUID()
        try await database.writing { db in
            try await db.sql.insert(into: "inbound_gateways")
                .columns("id", "operation_id", "kind", "name", "secret", "active", "created_by", "created_at")
                .values(
                    SQLBind(id), SQLBind(operationID), SQLBind(kind.rawValue), SQLBind(name), SQLBind(secret),
                    SQLBind(true), SQLBind(actorID), SQLBind(now)
                ).run()
            // The secret stays out of the trail.
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: "inbound_gateway", recordID: id.uuidString,
                action: .create, after: ["kind": kind.rawValue, "name": name], at: now)
        }
        return Gateway(id: id, operationID: operationID, kind: kind, name: name, secret: secret, active: true)
    }

    /// A gateway by its id, from the webhook's address (no one is signed in there).
    public func gateway(_ id: UUID) async throws -> Gateway? {
        try await database.sql.select().column("*").from("inbound_gateways").where("id", .equal, id).first()
            .map(Self.gateway)
    }

    public func gateways(in operationID: OperationID) async throws -> [Gateway] {
        try await database.sql.select().column("*").from("inbound_gateways").where("operation_id", .equal, operationID)
            .orderBy("created_at").all().map(Self.gateway)
    }

    static func gateway(_ row: any SQLRow) throws -> Gateway {
        Gateway(
            id: try row.decode(column: "id", as: UUID.self),
            operationID: try row.decode(column: "operation_id", as: OperationID.self),
            kind: GatewayKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .generic,
            name: try row.decode(column: "name", as: String.self),
            secret: try row.decode(column: "secret", as: String.self),
            active: try row.decode(column: "active", as: Bool.self))
    }

    // MARK: Receiving

    /// How many messages `gateway` delivered since `since`, from `sender` if given (the rate limits).
    public func received(by gateway: UUID, from sender: String? = nil, since: Date) async throws -> Int {
        var query = database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("inbound_messages").where("gateway_id", .equal, gateway).where("received_at", .greaterThan, since)
        if let sender { query = query.where("sender", .equal, sender) }
        return try await query.first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Stores each message once: a gateway retrying a delivery (same id) adds nothing. Returns how
    /// many were new.
    public func receive(
        _ messages: [InboundMessage], through gateway: Gateway, people: [String: PersonID], now: Date
    ) async throws -> Int {
        guard !messages.isEmpty else { return 0 }
        return try await database.writing { db in
            var added = 0
            for message in messages {
                let media = String(decoding: try JSONEncoder().encode(message.media), as: UTF8.self)
                let rows = try await db.sql.insert(into: "inbound_messages")
                    .columns(
                        "id", "operation_id", "gateway_id", "external_id", "sender", "sender_name", "person_id",
                        "recipient", "text", "latitude", "longitude", "media", "sent_at", "received_at", "state"
                    )
                    .values(
                        SQLBind(UUID()), SQLBind(gateway.operationID), SQLBind(gateway.id),
                        SQLBind(String(message.externalID.prefix(200))), SQLBind(String(message.sender.prefix(64))),
                        SQLBind(message.senderName.map { String($0.prefix(200)) }), SQLBind(people[message.sender]),
                        SQLBind(message.recipient.map { String($0.prefix(64)) }),
                        SQLBind(String(message.text.prefix(InboundMessage.maxText))), SQLBind(message.latitude),
                        SQLBind(message.longitude), SQLBind(media), SQLBind(message.sentAt), SQLBind(now),
                        SQLBind(State.untriaged.rawValue)
                    )
                    .ignoringConflicts(with: ["gateway_id", "external_id"]).returning("id").all()
                added += rows.count
            }
            return added
        }
    }

    /// The people of the register whose phone is each sender's (PhoneMatch): a narrow LIKE on the
    /// last digits, then the exact rule; a number two people share matches neither.
    public func people(matching senders: Set<String>, in operationID: OperationID) async throws -> [String: PersonID] {
        var found: [String: PersonID] = [:]
        for sender in senders {
            let digits = PhoneMatch.digits(sender)
            guard digits.count >= 7 else { continue }
            let rows = try await database.sql.select().columns("id", "phones").from("people")
                .where("operation_id", .equal, operationID)
                .where("phones", .like, "%" + String(digits.suffix(7)) + "%").limit(20).all()
            var matches: [PersonID] = []
            for row in rows {
                let phones = try row.decode(column: "phones", as: String.self)
                let numbers = (try? JSONDecoder().decode([PhoneNumber].self, from: Data(phones.utf8))) ?? []
                if numbers.contains(where: { PhoneMatch.same($0.e164 ?? $0.text, sender) }) {
                    matches.append(try row.decode(column: "id", as: PersonID.self))
                }
            }
            if matches.count == 1 { found[sender] = matches[0] }
        }
        return found
    }

    // MARK: The inbox

    static let columns: [any SQLExpression] = [
        SQLColumn(SQLLiteral.all, table: SQLIdentifier("m")),
        SQLAlias(SQLColumn("kind", table: "g"), as: "gateway_kind"),
        SQLAlias(SQLColumn("name", table: "g"), as: "gateway_name"),
    ]

    func selecting(_ operationID: OperationID) -> SQLSelectBuilder {
        database.sql.select().columns(Self.columns).from(SQLAlias(SQLIdentifier("inbound_messages"), as: "m"))
            .join(
                SQLAlias(SQLIdentifier("inbound_gateways"), as: "g"), method: SQLJoinMethod.inner,
                on: SQLColumn("id", table: "g"), .equal, SQLColumn("gateway_id", table: "m")
            )
            .where(SQLColumn("operation_id", table: "m"), .equal, SQLBind(operationID))
    }

    /// The untriaged first (oldest first: the longest waiting), then the latest triaged.
    public func inbox(in operationID: OperationID, untriaged: Bool, limit: Int = 100) async throws -> [Message] {
        let query = selecting(operationID)
            .where(
                SQLColumn("state", table: "m"), untriaged ? .equal : .notEqual, SQLBind(State.untriaged.rawValue)
            )
            .orderBy(SQLColumn("received_at", table: "m"), untriaged ? SQLDirection.ascending : SQLDirection.descending)
            .limit(limit)
        return try await query.all().map(Self.message)
    }

    public func untriagedCount(in operationID: OperationID) async throws -> Int {
        try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("inbound_messages").where("operation_id", .equal, operationID)
            .where("state", .equal, State.untriaged.rawValue).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    public func find(_ id: UUID, in operationID: OperationID) async throws -> Message? {
        try await selecting(operationID).where(SQLColumn("id", table: "m"), .equal, SQLBind(id)).first()
            .map(Self.message)
    }

    static func message(_ row: any SQLRow) throws -> Message {
        let media = try row.decode(column: "media", as: String.self)
        return Message(
            id: try row.decode(column: "id", as: UUID.self),
            gatewayID: try row.decode(column: "gateway_id", as: UUID.self),
            gatewayKind: GatewayKind(rawValue: try row.decode(column: "gateway_kind", as: String.self)) ?? .generic,
            gatewayName: try row.decode(column: "gateway_name", as: String.self),
            message: InboundMessage(
                externalID: try row.decode(column: "external_id", as: String.self),
                sender: try row.decode(column: "sender", as: String.self),
                senderName: try row.decodeOptional(column: "sender_name", as: String.self),
                recipient: try row.decodeOptional(column: "recipient", as: String.self),
                text: try row.decode(column: "text", as: String.self),
                sentAt: try row.decodeOptional(column: "sent_at", as: Date.self),
                latitude: try row.decodeOptional(column: "latitude", as: Double.self),
                longitude: try row.decodeOptional(column: "longitude", as: Double.self),
                media: (try? JSONDecoder().decode([String].self, from: Data(media.utf8))) ?? []),
            personID: try row.decodeOptional(column: "person_id", as: PersonID.self),
            receivedAt: try row.decode(column: "received_at", as: Date.self),
            state: State(rawValue: try row.decode(column: "state", as: String.self)) ?? .untriaged,
            outcome: try row.decodeOptional(column: "outcome", as: String.self),
            triagedBy: try row.decodeOptional(column: "triaged_by", as: UserID.self),
            triagedAt: try row.decodeOptional(column: "triaged_at", as: Date.self))
    }

    /// Marks an untriaged message as triaged into `state`; false when someone triaged it first.
    /// Call in the transaction that made what it became.
    public func triage(
        _ id: UUID, in operationID: OperationID, as state: State, outcome: String, by actorID: UserID, now: Date
    ) async throws -> Bool {
        try await database.writing { db in
            let rows = try await db.sql.update("inbound_messages")
                .set("state", to: state.rawValue).set("outcome", to: String(outcome.prefix(500)))
                .set("triaged_by", to: actorID).set("triaged_at", to: now)
                .where("id", .equal, id).where("operation_id", .equal, operationID)
                .where("state", .equal, State.untriaged.rawValue).returning("id").all()
            guard !rows.isEmpty else { return false }
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: "inbound_message", recordID: id.uuidString,
                action: .update, after: ["state": state.rawValue], at: now)
            return true
        }
    }

    // MARK: Replies

    public func addReply(
        _ text: String, to messageID: UUID, by actorID: UserID, status: String, error: String?, id: UUID = UUID(),
        now: Date
    ) async throws {
        try await database.sql.insert(into: "inbound_replies")
            .columns("id", "message_id", "text", "sent_by", "created_at", "status", "error")
            .values(
                SQLBind(id), SQLBind(messageID), SQLBind(text), SQLBind(actorID), SQLBind(now), SQLBind(status),
                SQLBind(error)
            ).run()
    }

    public func replies(to messageID: UUID) async throws -> [Reply] {
        try await database.sql.select().column("*").from("inbound_replies").where("message_id", .equal, messageID)
            .orderBy("created_at").all().map { row in
                Reply(
                    id: try row.decode(column: "id", as: UUID.self),
                    text: try row.decode(column: "text", as: String.self),
                    sentBy: try row.decodeOptional(column: "sent_by", as: UserID.self),
                    createdAt: try row.decode(column: "created_at", as: Date.self),
                    status: try row.decode(column: "status", as: String.self),
                    error: try row.decodeOptional(column: "error", as: String.self))
            }
    }

    /// A gateway's delivery report for a reply (its id is the reply's, sent as the idempotency key).
    public func recordStatus(_ status: GatewayStatus, gateway: Gateway) async throws {
        guard let id = UUID(uuidString: status.externalID) else { return }
        try await database.sql.update("inbound_replies").set("status", to: String(status.status.prefix(40)))
            .set("error", to: status.error.map { String($0.prefix(200)) })
            .where("id", .equal, id)
            .where(
                "message_id", .in,
                SQLSubquery.select { $0.column("id").from("inbound_messages").where("gateway_id", .equal, gateway.id) }
            ).run()
    }
}
