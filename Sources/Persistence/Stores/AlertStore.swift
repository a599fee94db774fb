import Domain
import FluentKit
import Foundation
import SQLKit

/// An alert as stored, with its figures.
public struct AlertRecord: Sendable, Hashable {
    public let id: AlertID
    public let operationID: OperationID
    public let number: Int
    public let draft: AlertDraft
    public let createdBy: UserID?
    public let createdAt: Date
}

/// One person an alert was chosen for, as the sender decided it: their language and addresses.
public struct AlertRecipientSeed: Sendable, Hashable {
    /// The recipient row's id, chosen by the caller (a CIMT call-out keeps it with the team member);
    /// a seed is one recipient of one alert.
    public let id: AlertRecipientID
    /// nil for a contact outside the register (a CIMT member).
    public let personID: PersonID?
    public let name: String
    public let userID: UserID?
    public let language: String
    public let email: String?
    /// E.164, for the gateway; nil when the person has no readable mobile number.
    public let mobile: String?
    public init(
        id: AlertRecipientID = AlertRecipientID(UUID()), personID: PersonID?, name: String = "", userID: UserID?,
        language: String, email: String?, mobile: String?
    ) {
        self.id = id
        self.personID = personID
        self.name = name
        self.userID = userID
        self.language = language
        self.email = email
        self.mobile = mobile
    }
}

/// One recipient, with each message sent to them.
public struct AlertRecipientRecord: Sendable, Hashable {
    public struct Delivery: Sendable, Hashable {
        public let channel: AlertChannel
        public let address: String
        public let state: DeliveryState
        public let reason: String
        public let attempts: Int
        public let sentAt: Date?
    }
    public let id: AlertRecipientID
    /// nil for a contact outside the register.
    public let personID: PersonID?
    public let name: String
    public let language: String
    public let answer: AlertAnswer?
    public let answeredAt: Date?
    public let helpHandledAt: Date?
    public var deliveries: [Delivery]
}

/// What a worker needs to send one message.
public struct DeliveryWork: Sendable, Hashable {
    public let id: UUID
    public let alertID: AlertID
    public let operationID: OperationID
    public let alertNumber: Int
    public let recipientID: AlertRecipientID
    public let channel: AlertChannel
    public let address: String
    public let state: DeliveryState
    public let text: AlertText
    public let severity: AlertSeverity
    public let category: AlertCategory
    public let createdAt: Date
}

/// Alerts (issue 17): written by those who keep the register, sent to the people chosen, each
/// message tracked from queued to sent or failed with its reason, each person's answer kept. A
/// recipient reads the alerts they received; who else received one is for the senders only.
public struct AlertStore: Sendable {
    static let kind = "alert"
    public static let deliveryJob = "alert.deliver"
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    /// Stores the alert, a recipient row per person, a message per channel (refused at once, with
    /// the reason, where the person has no address for it), and one delivery job per message to
    /// send, all in one transaction: an alert is never stored without its jobs, nor the reverse.
    public func create(
        _ draft: AlertDraft, recipients: [AlertRecipientSeed], scope: PersonnelScope, now: Date,
        purpose: AlertPurpose = .alert, criticalIncidentID: UUID? = nil
    ) async throws -> AlertRecord {
        guard AccessPolicy.canSendAlerts(through: scope) else {
            throw DomainError(.forbidden, key: "error.forbidden", "Only those who keep the register send alerts.")
        }
        guard !recipients.isEmpty else {
            throw DomainError(
                .invalid, field: "audience", key: "error.alert_nobody",
                "No one present in the register matches this choice: the alert would reach nobody.")
        }
        let id = AlertID(UUID())
        let number = try await database.writing { db -> Int in
            let sql = db.sql
            let number = try await sql.nextNumber(in: "alerts", operationID: scope.operationID)
            try await sql.insert(into: "alerts").columns(
                "id", "operation_id", "number", "severity", "category", "texts", "audience", "channels", "created_by",
                "created_at", "purpose", "critical_incident_id"
            ).values(
                SQLBind(id), SQLBind(scope.operationID), SQLBind(number), SQLBind(draft.severity.rawValue),
                SQLBind(draft.category.rawValue), SQLBind(PersonStore.json(draft.texts)),
                SQLBind(PersonStore.json(draft.audience)),
                SQLBind(AlertChannel.allCases.filter(draft.channels.contains).map(\.rawValue).joined(separator: ",")),
                SQLBind(scope.actorID), SQLBind(now), SQLBind(purpose.rawValue), SQLBind(criticalIncidentID)
            ).run()
            var queued = 0
            var unreachable = 0
            for seed in recipients {
                let recipientID = seed.id
                try await sql.insert(into: "alert_recipients").columns(
                    "id", "alert_id", "person_id", "name", "user_id", "language"
                ).values(
                    SQLBind(recipientID), SQLBind(id), SQLBind(seed.personID), SQLBind(seed.name),
                    SQLBind(seed.userID), SQLBind(seed.language)
                ).run()
                for channel in AlertChannel.allCases where draft.channels.contains(channel) {
                    let address = channel == .email ? seed.email : seed.mobile
                    let deliveryID = UUID()
                    let state: DeliveryState = address == nil ? .failed : .queued
                    try await sql.insert(into: "alert_deliveries").columns(
                        "id", "alert_id", "recipient_id", "channel", "address", "state", "reason", "attempts",
                        "updated_at"
                    ).values(
                        SQLBind(deliveryID), SQLBind(id), SQLBind(recipientID), SQLBind(channel.rawValue),
                        SQLBind(address ?? ""), SQLBind(state.rawValue),
                        SQLBind(address == nil ? Self.noAddress(channel) : ""), SQLBind(0), SQLBind(now)
                    ).run()
                    if address == nil {
                        unreachable += 1
                        continue
                    }
                    queued += 1
                    try await JobStore(db).enqueue(
                        kind: Self.deliveryJob, payload: deliveryID.uuidString, key: "alert-delivery:\(deliveryID)",
                        operationID: scope.operationID, runAt: now, now: now)
                }
            }
            try await AuditStore(db).append(
                actorID: scope.actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .create,
                after: [
                    "number": String(number), "severity": draft.severity.rawValue,
                    "category": draft.category.rawValue, "title": draft.texts[0].title,
                    "recipients": String(recipients.count), "queued": String(queued),
                    "unreachable": String(unreachable),
                ], at: now)
            return number
        }
        return AlertRecord(
            id: id, operationID: scope.operationID, number: number, draft: draft, createdBy: scope.actorID,
            createdAt: now)
    }

    static func noAddress(_ channel: AlertChannel) -> String {
        channel == .email ? "No e-mail address in the register." : "No mobile number that can be read in the register."
    }

    /// The alerts the reader reaches, newest first.
    public func list(in scope: PersonnelScope, limit: Int = 100) async throws -> [AlertRecord] {
        try await database.sql.select().column("*").from("alerts").where(VisibilityFilter.alerts(scope))
            .where("purpose", .equal, AlertPurpose.alert.rawValue).orderBy("created_at", .descending).limit(limit).all()
            .map(Self.record)
    }

    public func find(_ id: AlertID, in scope: PersonnelScope) async throws -> AlertRecord? {
        try await database.sql.select().column("*").from("alerts").where("id", .equal, id)
            .where("purpose", .equal, AlertPurpose.alert.rawValue).where(VisibilityFilter.alerts(scope)).first()
            .map(Self.record)
    }

    /// The live figures of the alerts given, for the reader who may see its recipients.
    public func counts(of ids: [AlertID], in scope: PersonnelScope) async throws -> [AlertID: AlertCounts] {
        guard AccessPolicy.canSeeAlertRecipients(through: scope), !ids.isEmpty else { return [:] }
        var counts: [AlertID: AlertCounts] = [:]
        for row in try await database.sql.select().column("alert_id").column("answer")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("alert_recipients")
            .where("alert_id", .in, ids).groupBy("alert_id").groupBy("answer").all()
        {
            let id = try row.decode(column: "alert_id", as: AlertID.self)
            let n = try row.decode(column: "n", as: Int.self)
            counts[id, default: AlertCounts()].recipients += n
            if let answer = try row.decode(column: "answer", as: String?.self).flatMap(AlertAnswer.init(rawValue:)) {
                counts[id, default: AlertCounts()].answers[answer, default: 0] += n
            }
        }
        for row in try await database.sql.select().column("alert_id").column("channel").column("state")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("alert_deliveries")
            .where("alert_id", .in, ids).groupBy("alert_id").groupBy("channel").groupBy("state").all()
        {
            let id = try row.decode(column: "alert_id", as: AlertID.self)
            guard let channel = AlertChannel(rawValue: try row.decode(column: "channel", as: String.self)),
                let state = DeliveryState(rawValue: try row.decode(column: "state", as: String.self))
            else { continue }
            counts[id, default: AlertCounts()].deliveries[channel, default: [:]][state, default: 0] += try row.decode(
                column: "n", as: Int.self)
        }
        return counts
    }

    /// Who an alert went to, each message and answer, by name; for the senders only.
    public func recipients(of id: AlertID, in scope: PersonnelScope) async throws -> [AlertRecipientRecord] {
        guard AccessPolicy.canSeeAlertRecipients(through: scope), try await find(id, in: scope) != nil else {
            return []
        }
        var records: [AlertRecipientID: AlertRecipientRecord] = [:]
        for row in try await database.sql.select().column(aliased("r.*")).column(
            aliased("p.full_name"), as: "person_name"
        )
        .from(SQLAlias(SQLIdentifier("alert_recipients"), as: SQLIdentifier("r")))
        .join(
            SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")), method: SQLJoinMethod.left,
            on: "p.id = r.person_id" as SQLQueryString
        )
        .where(aliased("r.alert_id"), .equal, SQLBind(id)).all() {
            let record = AlertRecipientRecord(
                id: try row.decode(column: "id", as: AlertRecipientID.self),
                personID: try row.decode(column: "person_id", as: PersonID?.self),
                name: try row.decode(column: "person_name", as: String?.self)
                    ?? row.decode(column: "name", as: String?.self) ?? "",
                language: try row.decode(column: "language", as: String.self),
                answer: try row.decode(column: "answer", as: String?.self).flatMap(AlertAnswer.init(rawValue:)),
                answeredAt: try row.decode(column: "answered_at", as: Date?.self),
                helpHandledAt: try row.decode(column: "help_handled_at", as: Date?.self), deliveries: [])
            records[record.id] = record
        }
        for row in try await database.sql.select().column("*").from("alert_deliveries").where("alert_id", .equal, id)
            .all()
        {
            let recipient = try row.decode(column: "recipient_id", as: AlertRecipientID.self)
            guard let channel = AlertChannel(rawValue: try row.decode(column: "channel", as: String.self)),
                let state = DeliveryState(rawValue: try row.decode(column: "state", as: String.self))
            else { continue }
            records[recipient]?.deliveries.append(
                .init(
                    channel: channel, address: try row.decode(column: "address", as: String.self), state: state,
                    reason: try row.decode(column: "reason", as: String.self),
                    attempts: try row.decode(column: "attempts", as: Int.self),
                    sentAt: try row.decode(column: "sent_at", as: Date?.self)))
        }
        return records.values.map {
            var r = $0
            r.deliveries.sort { $0.channel.rawValue < $1.channel.rawValue }
            return r
        }.sorted { ($0.name, $0.id.uuidString) < ($1.name, $1.id.uuidString) }
    }

    /// The reader's own answer to an alert they received, if they are a recipient.
    public func ownRecipient(of id: AlertID, userID: UserID) async throws -> (AlertRecipientID, AlertAnswer?)? {
        guard
            let row = try await database.sql.select().column("id").column("answer").from("alert_recipients")
                .where("alert_id", .equal, id).where("user_id", .equal, userID).first()
        else { return nil }
        return (
            try row.decode(column: "id", as: AlertRecipientID.self),
            try row.decode(column: "answer", as: String?.self).flatMap(AlertAnswer.init(rawValue:))
        )
    }

    // MARK: Delivery, for the worker

    /// One message with what it takes to send it.
    public func delivery(_ id: UUID) async throws -> DeliveryWork? {
        guard
            let row = try await database.sql.select().column(aliased("d.*")).column(aliased("r.language")).column(
                aliased("a.number")
            )
            .column(aliased("a.texts")).column(aliased("a.severity")).column(aliased("a.category")).column(
                aliased("a.operation_id")
            )
            .column(aliased("a.created_at"), as: "alert_created_at")
            .from(SQLAlias(SQLIdentifier("alert_deliveries"), as: SQLIdentifier("d")))
            .join(
                SQLAlias(SQLIdentifier("alert_recipients"), as: SQLIdentifier("r")),
                on: "r.id = d.recipient_id" as SQLQueryString
            )
            .join(SQLAlias(SQLIdentifier("alerts"), as: SQLIdentifier("a")), on: "a.id = d.alert_id" as SQLQueryString)
            .where(aliased("d.id"), .equal, SQLBind(id)).first(),
            let channel = AlertChannel(rawValue: try row.decode(column: "channel", as: String.self))
        else { return nil }
        let texts = PersonStore.decodeJSON([AlertText].self, try row.decode(column: "texts", as: String.self)) ?? []
        let language = try row.decode(column: "language", as: String.self)
        guard let text = texts.first(where: { $0.language == language }) ?? texts.first else { return nil }
        return DeliveryWork(
            id: id, alertID: try row.decode(column: "alert_id", as: AlertID.self),
            operationID: try row.decode(column: "operation_id", as: OperationID.self),
            alertNumber: try row.decode(column: "number", as: Int.self),
            recipientID: try row.decode(column: "recipient_id", as: AlertRecipientID.self), channel: channel,
            address: try row.decode(column: "address", as: String.self),
            state: DeliveryState(rawValue: try row.decode(column: "state", as: String.self)) ?? .queued, text: text,
            severity: AlertSeverity(rawValue: try row.decode(column: "severity", as: String.self)) ?? .moderate,
            category: AlertCategory(rawValue: try row.decode(column: "category", as: String.self)) ?? .other,
            createdAt: try row.decode(column: "alert_created_at", as: Date.self))
    }

    /// Records an attempt's outcome: sent, failed for good with the reason, or failed for now (still
    /// queued, the reason kept for the page while the job waits to retry).
    public func record(delivery id: UUID, state: DeliveryState, reason: String, now: Date) async throws {
        var update = database.sql.update("alert_deliveries").set("state", to: state.rawValue)
            .set("reason", to: String(reason.prefix(500))).set("updated_at", to: now)
            .set(SQLIdentifier("attempts"), to: SQLRaw("attempts + 1"))
        if state == .sent { update = update.set("sent_at", to: now) }
        try await update.where("id", .equal, id).run()
    }

    // MARK: Answers

    public enum AnswerOutcome: Sendable, Hashable {
        case recorded(AlertAnswer)
        /// The link was used already: nothing changes.
        case alreadyAnswered(AlertAnswer)
    }

    /// Records the answer given with a one-time link. A second use changes nothing.
    public func answer(_ recipientID: AlertRecipientID, _ answer: AlertAnswer, now: Date) async throws -> AnswerOutcome?
    {
        try await database.writing { db in
            var query = db.sql.select().column(aliased("r.answer")).column(aliased("r.person_id"))
                .column(aliased("r.name")).column(aliased("a.operation_id")).column(aliased("a.purpose"))
                .column(aliased("a.id"), as: "alert_id")
                .from(SQLAlias(SQLIdentifier("alert_recipients"), as: SQLIdentifier("r")))
                .join(
                    SQLAlias(SQLIdentifier("alerts"), as: SQLIdentifier("a")), on: "a.id = r.alert_id" as SQLQueryString
                )
                .where(aliased("r.id"), .equal, SQLBind(recipientID))
            if db.sql.isPostgres { query = query.for(.update) }
            guard let row = try await query.first() else { return nil }
            // A call-out is acknowledged; an alert is answered safe or needing help. Nothing else.
            let purpose = AlertPurpose(rawValue: try row.decode(column: "purpose", as: String.self)) ?? .alert
            guard (purpose == .cimt) == (answer == .acknowledged) else { return nil }
            if let given = try row.decode(column: "answer", as: String?.self).flatMap(AlertAnswer.init(rawValue:)) {
                return .alreadyAnswered(given)
            }
            let updated = try await db.sql.update("alert_recipients").set("answer", to: answer.rawValue)
                .set("answered_at", to: now).where("id", .equal, recipientID).where("answer", .is, SQLLiteral.null)
                .returning("id").all()
            guard !updated.isEmpty else { return .alreadyAnswered(answer) }
            try await AuditStore(db).append(
                actorID: nil, operationID: try row.decode(column: "operation_id", as: OperationID.self),
                recordKind: Self.kind, recordID: try row.decode(column: "alert_id", as: UUID.self).uuidString,
                action: .update,
                after: [
                    "person_id": try row.decode(column: "person_id", as: UUID?.self)?.uuidString,
                    "name": try row.decode(column: "name", as: String?.self),
                    "answer": answer.rawValue,
                ], at: now)
            return .recorded(answer)
        }
    }

    /// "I need help" answers nobody has taken in hand yet, oldest first; for the senders.
    public func openAlarms(in scope: PersonnelScope) async throws -> [HelpAlarm] {
        guard AccessPolicy.canSeeAlertRecipients(through: scope) else { return [] }
        return try await database.sql.select().column(aliased("r.id")).column(aliased("r.alert_id")).column(
            aliased("a.number")
        )
        .column(aliased("r.person_id")).column(aliased("p.full_name")).column(aliased("r.answered_at"))
        .from(SQLAlias(SQLIdentifier("alert_recipients"), as: SQLIdentifier("r")))
        .join(SQLAlias(SQLIdentifier("alerts"), as: SQLIdentifier("a")), on: "a.id = r.alert_id" as SQLQueryString)
        .join(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")), on: "p.id = r.person_id" as SQLQueryString)
        .where(aliased("a.operation_id"), .equal, SQLBind(scope.operationID)).where(
            aliased("r.answer"), .equal, SQLBind(AlertAnswer.needHelp.rawValue)
        )
        .where(aliased("r.help_handled_at"), .is, SQLLiteral.null).orderBy(aliased("r.answered_at")).limit(50).all().map
        {
            HelpAlarm(
                recipientID: try $0.decode(column: "id", as: AlertRecipientID.self),
                alertID: try $0.decode(column: "alert_id", as: AlertID.self),
                alertNumber: try $0.decode(column: "number", as: Int.self),
                personID: try $0.decode(column: "person_id", as: PersonID.self),
                name: try $0.decode(column: "full_name", as: String.self),
                answeredAt: try $0.decode(column: "answered_at", as: Date.self))
        }
    }

    /// The coordinator has taken a call for help in hand.
    public func handleAlarm(_ recipientID: AlertRecipientID, in alertID: AlertID, scope: PersonnelScope, now: Date)
        async throws
    {
        guard AccessPolicy.canSeeAlertRecipients(through: scope), try await find(alertID, in: scope) != nil else {
            throw DomainError(.notFound, key: "error.not_found", "No such alert.")
        }
        try await database.writing { db in
            let rows = try await db.sql.update("alert_recipients").set("help_handled_at", to: now)
                .set("help_handled_by", to: scope.actorID).where("id", .equal, recipientID)
                .where("alert_id", .equal, alertID).where("answer", .equal, AlertAnswer.needHelp.rawValue)
                .where("help_handled_at", .is, SQLLiteral.null).returning("person_id").all()
            guard let row = rows.first else { return }
            try await AuditStore(db).append(
                actorID: scope.actorID, operationID: scope.operationID, recordKind: Self.kind,
                recordID: alertID.uuidString, action: .update,
                after: [
                    "person_id": try row.decode(column: "person_id", as: UUID.self).uuidString,
                    "help_handled_at": DateText.minute(now),
                ], at: now)
        }
    }

    // MARK: The monitor

    /// Messages sent and failed per channel since `since`, and the last one sent, across operations.
    public func deliveryHealth(since: Date) async throws -> [AlertChannel: (sent: Int, failed: Int, lastSent: Date?)] {
        var health: [AlertChannel: (sent: Int, failed: Int, lastSent: Date?)] = [:]
        for row in try await database.sql.select().column("channel").column("state")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("alert_deliveries")
            .where("updated_at", .greaterThanOrEqual, since).groupBy("channel").groupBy("state").all()
        {
            guard let channel = AlertChannel(rawValue: try row.decode(column: "channel", as: String.self)) else {
                continue
            }
            let n = try row.decode(column: "n", as: Int.self)
            var entry = health[channel] ?? (0, 0, nil)
            switch try row.decode(column: "state", as: String.self) {
            case DeliveryState.sent.rawValue: entry.sent += n
            case DeliveryState.failed.rawValue: entry.failed += n
            default: break
            }
            health[channel] = entry
        }
        for channel in AlertChannel.allCases {
            let last = try await database.sql.select()
                .column(SQLFunction("MAX", args: SQLIdentifier("sent_at")), as: "last").from("alert_deliveries")
                .where("channel", .equal, channel.rawValue).first()?.decode(column: "last", as: Date?.self)
            if let last { health[channel, default: (0, 0, nil)].lastSent = last }
        }
        return health
    }

    static func record(_ row: any SQLRow) throws -> AlertRecord {
        let texts = PersonStore.decodeJSON([AlertText].self, try row.decode(column: "texts", as: String.self)) ?? []
        let audience =
            PersonStore.decodeJSON(AlertAudience.self, try row.decode(column: "audience", as: String.self))
            ?? AlertAudience()
        let channels = Set(
            try row.decode(column: "channels", as: String.self).split(separator: ",")
                .compactMap { AlertChannel(rawValue: String($0)) })
        return AlertRecord(
            id: try row.decode(column: "id", as: AlertID.self),
            operationID: try row.decode(column: "operation_id", as: OperationID.self),
            number: try row.decode(column: "number", as: Int.self),
            draft: AlertDraft(
                texts: texts.isEmpty ? [AlertText(language: "en", title: "", body: "")] : texts,
                severity: AlertSeverity(rawValue: try row.decode(column: "severity", as: String.self)) ?? .moderate,
                category: AlertCategory(rawValue: try row.decode(column: "category", as: String.self)) ?? .other,
                audience: audience, channels: channels),
            createdBy: try row.decode(column: "created_by", as: UserID?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self))
    }
}

/// The monitor's verdict on one channel at one time.
public struct ChannelCheck: Sendable, Hashable {
    public let channel: AlertChannel
    public let checkedAt: Date
    public let ok: Bool
    /// What is wrong, in words (no addresses, no names): it shows on the health endpoint.
    public let detail: String
}

extension AlertStore {
    public func recordCheck(_ channel: AlertChannel, ok: Bool, detail: String, now: Date) async throws {
        try await database.sql.insert(into: "channel_checks").columns("id", "channel", "checked_at", "ok", "detail")
            .values(SQLBind(UUID()), SQLBind(channel.rawValue), SQLBind(now), SQLBind(ok), SQLBind(detail)).run()
        // Keep a month of checks: enough to see when a channel stopped.
        try await database.sql.delete(from: "channel_checks").where(
            "checked_at", .lessThan, now.addingTimeInterval(-31 * 86_400)
        )
        .run()
    }

    /// The newest check of each channel: one index lookup a channel, in one statement (the
    /// dashboard asks on every view).
    public func latestChecks() async throws -> [ChannelCheck] {
        let newest = AlertChannel.allCases.map { channel -> SQLQueryString in
            """
            SELECT * FROM (SELECT "channel", "checked_at", "ok", "detail" FROM "channel_checks" \
            WHERE "channel" = \(bind: channel.rawValue) ORDER BY "checked_at" DESC LIMIT 1) AS \(ident: "newest_" + channel.rawValue)
            """
        }
        var checks: [AlertChannel: ChannelCheck] = [:]
        for row in try await database.sql.raw(newest.joined(separator: " UNION ALL ")).all() {
            guard let channel = AlertChannel(rawValue: try row.decode(column: "channel", as: String.self)) else {
                continue
            }
            checks[channel] = ChannelCheck(
                channel: channel, checkedAt: try row.decode(column: "checked_at", as: Date.self),
                ok: try row.decode(column: "ok", as: Bool.self),
                detail: try row.decode(column: "detail", as: String.self))
        }
        return AlertChannel.allCases.compactMap { checks[$0] }  // UNION ALL promises no order
    }

    /// Messages by channel and state over every alert, for /metrics (counts only).
    public func deliveryCounts() async throws -> [(channel: String, state: String, count: Int)] {
        try await database.sql.select().column("channel").column("state")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("alert_deliveries")
            .groupBy("channel").groupBy("state").all()
            .map {
                (
                    try $0.decode(column: "channel", as: String.self), try $0.decode(column: "state", as: String.self),
                    try $0.decode(column: "n", as: Int.self)
                )
            }
    }

    /// Whether anyone is present in any operation's register: an operation with people to alert is active.
    public func anyonePresent() async throws -> Bool {
        try await database.sql.select().column("id").from("people").where("left_at", .is, SQLLiteral.null).limit(1)
            .first() != nil
    }
}

/// What the acknowledgement page shows: the alert in the recipient's language, and their answer.
public struct AcknowledgementView: Sendable, Hashable {
    public let text: AlertText
    public let severity: AlertSeverity
    public let sentAt: Date
    public let answer: AlertAnswer?
    public let purpose: AlertPurpose
    /// For the operation's clock.
    public let operationID: OperationID
}

extension AlertStore {
    /// The alert a one-time link answers, in the recipient's language; nothing about anyone else.
    public func acknowledgement(_ recipientID: AlertRecipientID) async throws -> AcknowledgementView? {
        guard
            let row = try await database.sql.select().column(aliased("r.language")).column(aliased("r.answer"))
                .column(aliased("a.texts")).column(aliased("a.severity")).column(aliased("a.created_at"))
                .column(aliased("a.purpose")).column(aliased("a.operation_id"))
                .from(SQLAlias(SQLIdentifier("alert_recipients"), as: SQLIdentifier("r")))
                .join(
                    SQLAlias(SQLIdentifier("alerts"), as: SQLIdentifier("a")), on: "a.id = r.alert_id" as SQLQueryString
                )
                .where(aliased("r.id"), .equal, SQLBind(recipientID)).first()
        else { return nil }
        let texts = PersonStore.decodeJSON([AlertText].self, try row.decode(column: "texts", as: String.self)) ?? []
        let language = try row.decode(column: "language", as: String.self)
        guard let text = texts.first(where: { $0.language == language }) ?? texts.first else { return nil }
        return AcknowledgementView(
            text: text,
            severity: AlertSeverity(rawValue: try row.decode(column: "severity", as: String.self)) ?? .moderate,
            sentAt: try row.decode(column: "created_at", as: Date.self),
            answer: try row.decode(column: "answer", as: String?.self).flatMap(AlertAnswer.init(rawValue:)),
            purpose: AlertPurpose(rawValue: try row.decode(column: "purpose", as: String.self)) ?? .alert,
            operationID: try row.decode(column: "operation_id", as: OperationID.self))
    }
}
