import Domain
import Foundation
import NIOCore
import Persistence
import Vapor
import Views

/// A worker of the durable jobs table (issue 17): inside `serve` (every server runs one; on
/// PostgreSQL they share the table with `FOR UPDATE SKIP LOCKED`), or alone with `bearing jobs work`.
/// It claims a batch, does each job, and records the outcome with the job in one transaction, so
/// a restart neither loses a message nor sends one the database knows was sent. The one gap no
/// database can close is a crash between the server taking a message and the commit: the message
/// then goes again with the same Message-ID (or Idempotency-Key for the gateway), which receivers
/// use to drop the copy.
struct JobWorker: Sendable {
    let app: Application
    let name: String
    var batch = 20
    var backoff = JobBackoff()

    init(app: Application, name: String? = nil) {
        self.app = app
        self.name = name ?? "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(8))"
    }

    fileprivate var config: AppConfig { app.bearingConfig }
    fileprivate var now: Date { app.wallClock.now() }

    /// Works until cancelled: a batch at a time, resting `idle` when nothing is due. Schedules the
    /// channel monitor once an hour (its key is the hour, so many workers add it once).
    func run(idle: Duration = .seconds(1)) async {
        while !Task.isCancelled {
            do {
                try await scheduleHourly()
                if try await runOnce() == 0 { try await Task.sleep(for: idle) }
            } catch is CancellationError {
                return
            } catch {
                app.logger.error("Job worker \(name): \(error)")
                try? await Task.sleep(for: .seconds(5))
            }
        }
    }

    /// Claims and does one batch; the number of jobs claimed.
    @discardableResult
    func runOnce() async throws -> Int {
        let jobs = try await JobStore(app.db).claim(worker: name, limit: batch, lease: config.jobLease, now: now)
        guard !jobs.isEmpty else { return 0 }
        var emails: [JobRecord] = []
        var lease = Lease(worker: self, since: now)
        for (index, job) in jobs.enumerated() {
            // The e-mails wait for one connection at the end: they are held with the rest.
            guard try await lease.hold(emails + jobs[index...]) else { return jobs.count }
            app.metrics.jobRan(kind: job.kind)
            switch job.kind {
            case AlertStore.deliveryJob:
                guard let id = UUID(uuidString: job.payload), let work = try await AlertStore(app.db).delivery(id)
                else {
                    try await JobStore(app.db).fail(
                        job, worker: name, error: "The message no longer exists.", permanent: true, backoff: backoff,
                        now: now)
                    continue
                }
                if work.state == .sent {
                    // Sent before a crash and recorded; only the job was left open.
                    try await JobStore(app.db).complete(job.id, worker: name, now: now)
                } else if work.channel == .email {
                    emails.append(job)
                } else {
                    try await deliverSMS(job, work)
                }
            case CriticalIncidentService.callBackJob:
                try await remindCallBack(job)
            case AdvocacyStore.emailJob:
                try await sendProduct(job)
            case BriefScheduleStore.job:
                try await BriefRuns(app: app).run(job.payload, now: now)
                try await JobStore(app.db).complete(job.id, worker: name, now: now)
            case BriefScheduleStore.emailJob:
                try await sendBrief(job)
            case ChannelMonitor.job:
                try await ChannelMonitor(app: app).check(now: now)
                try await JobStore(app.db).complete(job.id, worker: name, now: now)
            case OverdueReminders.job:
                try await OverdueReminders(app: app).run(now: now)
                try await JobStore(app.db).complete(job.id, worker: name, now: now)
            default:
                try await JobStore(app.db).fail(
                    job, worker: name, error: "Unknown job kind \(job.kind).", permanent: true, backoff: backoff,
                    now: now)
            }
        }
        if !emails.isEmpty { try await deliverEmails(emails) }
        return jobs.count
    }

    /// A batch must not outlast its lease (a slow SMTP server or gateway): another worker would take
    /// the rest and send it too. Half-way through the lease the jobs still to do are held longer; when
    /// some were taken already, the worker stops the batch and leaves them to their new owner.
    struct Lease {
        let worker: JobWorker
        var since: Date

        mutating func hold(_ jobs: some Collection<JobRecord>) async throws -> Bool {
            let now = worker.now
            guard now.timeIntervalSince(since) > worker.config.jobLease / 2 else { return true }
            since = now
            return try await JobStore(worker.app.db).renew(
                jobs.map(\.id), worker: worker.name, until: now.addingTimeInterval(worker.config.jobLease))
        }
    }

    private func scheduleHourly() async throws {
        let hour = DateText.minute(now).prefix(13)
        try await JobStore(app.db).enqueue(
            kind: ChannelMonitor.job, payload: "", key: "monitor:\(hour)", operationID: nil, runAt: now,
            maxAttempts: 1, now: now)
        try await JobStore(app.db).enqueue(
            kind: OverdueReminders.job, payload: "", key: "reminders:\(hour)", operationID: nil, runAt: now,
            maxAttempts: 1, now: now)
    }

    // MARK: Reminders

    /// At the call-back time agreed on a critical incident, an e-mail to whoever took the call; nothing
    /// when the incident stood down or another time was agreed since.
    private func remindCallBack(_ job: JobRecord) async throws {
        let parts = job.payload.split(separator: "|")
        guard parts.count == 2, let id = UUID(uuidString: String(parts[0])), let stamp = Int(parts[1]),
            let due = try await CriticalIncidentStore(app.db).callBackDue(id),
            Int(due.at.timeIntervalSince1970) == stamp, let opener = due.createdBy,
            let user = try await UserStore(app.db).find(id: opener)
        else {
            try await JobStore(app.db).complete(job.id, worker: name, now: now)
            return
        }
        guard let settings = config.smtp else {
            try await JobStore(app.db).fail(
                job, worker: name, error: "E-mail is not configured on this server (BEARING_SMTP_HOST).",
                backoff: JobBackoff(base: 60), now: now)
            return
        }
        let subject = "Call back now: critical incident \(due.number)"
        let text =
            "Call back \(due.caller) on \(due.phone): the time agreed (\(DateText.minute(due.at))) has come.\n\n"
            + config.publicURL
            + SiteURL.criticalIncidents(.value(try await OperationStore(app.db).find(id: due.operationID)?.code ?? ""))
            .path
        let message = AlertMessage.plain(
            to: user.email, subject: subject, text: text, from: settings.from, fromName: settings.fromName,
            id: "\(job.id.uuidString.lowercased())@bearing.reminders", now: now)
        do {
            try await SMTPSession.with(settings, on: app.eventLoopGroup) {
                try await $0.send(to: user.email, message: message)
            }
            try await JobStore(app.db).complete(job.id, worker: name, now: now)
        } catch {
            try await JobStore(app.db).fail(
                job, worker: name, error: "\(error)", backoff: JobBackoff(base: 60), now: now)
        }
    }

    // MARK: Advocacy products

    /// One recipient's e-mail of an approved product: its frozen text in its own language. The
    /// Message-ID is the recipient row's, the same at every attempt.
    private func sendProduct(_ job: JobRecord) async throws {
        guard let id = UUID(uuidString: job.payload), let work = try await AdvocacyStore(app.db).emailWork(id) else {
            try await JobStore(app.db).fail(
                job, worker: name, error: "The distribution no longer exists.", permanent: true, backoff: backoff,
                now: now)
            return
        }
        guard work.status != "sent" else {
            try await JobStore(app.db).complete(job.id, worker: name, now: now)
            return
        }
        let operation = try await OperationStore(app.db).find(id: work.operationID)
        let t = Strings(app.catalog, language: work.language.rawValue, clock: operation?.time ?? .utc)
        let text = Advocacy.emailText(
            title: work.title, body: work.body, figures: work.figures, evidence: work.evidence,
            approvedAt: work.approvedAt, audience: work.audience, operation: operation?.name ?? "", t: t)
        try await mailOne(
            job, to: work.address, subject: work.title, text: text, id: "\(id.uuidString.lowercased())@bearing.advocacy"
        ) { sent, error in
            try await AdvocacyStore(app.db).markRecipient(id, sent: sent, error: error, now: now)
        }
    }

    /// One message of a job to one recipient over SMTP; `record` notes it sent, or failed once the
    /// job has no attempt left. The Message-ID is the same at every attempt.
    private func mailOne(
        _ job: JobRecord, to address: String, subject: String, text: String, id: String,
        record: (_ sent: Bool, _ error: String?) async throws -> Void
    ) async throws {
        guard let settings = config.smtp else {
            try await JobStore(app.db).fail(
                job, worker: name, error: "E-mail is not configured on this server (BEARING_SMTP_HOST).",
                backoff: JobBackoff(base: 60), now: now)
            return
        }
        let message = AlertMessage.plain(
            to: address, subject: subject, text: text, from: settings.from, fromName: settings.fromName, id: id,
            now: now)
        do {
            try await SMTPSession.with(settings, on: app.eventLoopGroup) {
                try await $0.send(to: address, message: message)
            }
            try await record(true, nil)
            try await JobStore(app.db).complete(job.id, worker: name, now: now)
        } catch {
            if job.attempts >= job.maxAttempts { try await record(false, "\(error)") }
            try await JobStore(app.db).fail(
                job, worker: name, error: "\(error)", backoff: JobBackoff(base: 60), now: now)
        }
    }

    // MARK: Scheduled documents

    /// One recipient's e-mail of a document a schedule issued. The Message-ID is the recipient row's.
    private func sendBrief(_ job: JobRecord) async throws {
        guard let id = UUID(uuidString: job.payload), let message = try await BriefRuns(app: app).message(id) else {
            try await JobStore(app.db).complete(job.id, worker: name, now: now)
            return
        }
        try await mailOne(
            job, to: message.address, subject: message.subject, text: message.text,
            id: "\(id.uuidString.lowercased())@bearing.briefs"
        ) { sent, error in
            try await BriefScheduleStore(app.db).markRecipient(id, sent: sent, error: error, now: now)
        }
    }

    // MARK: Alerts

    private func link(_ work: DeliveryWork) async throws -> String {
        let key = try await app.acknowledgementKey(app.db)
        return config.publicURL
            + SiteURL.acknowledge(.value(AcknowledgementLink.token(for: work.recipientID, key: key)))
            .path
    }

    private func strings(_ work: DeliveryWork) async throws -> Strings {
        let zone = try await OperationStore(app.db).find(id: work.operationID)?.timeZone
        return Strings(
            app.catalog, language: work.text.language, clock: zone.flatMap(OperationTime.init(identifier:)) ?? .utc)
    }

    /// Every e-mail of the batch over one SMTP connection. A refused address fails that message
    /// only; a connection that cannot be made or breaks fails the rest of the batch for now.
    private func deliverEmails(_ jobs: [JobRecord]) async throws {
        guard let settings = config.smtp else {
            for job in jobs {
                try await failed(
                    job, reason: "E-mail is not configured on this server (BEARING_SMTP_HOST).", permanent: false)
            }
            return
        }
        var remaining = jobs[...]
        var lease = Lease(worker: self, since: now)
        do {
            try await SMTPSession.with(settings, on: app.eventLoopGroup) { session in
                while let job = remaining.first {
                    guard try await lease.hold(remaining) else {
                        remaining.removeAll()
                        return
                    }
                    guard let id = UUID(uuidString: job.payload), let work = try await AlertStore(app.db).delivery(id)
                    else {
                        remaining.removeFirst()
                        continue
                    }
                    let message = AlertMessage.email(
                        work, link: try await link(work), from: settings.from, fromName: settings.fromName,
                        try await strings(work), now: now)
                    do {
                        try await session.send(to: work.address, message: message)
                        remaining.removeFirst()
                        try await sent(job, work)
                    } catch let error as SMTPError where error.answered {
                        // This message only: the server refused it and still serves the next.
                        remaining.removeFirst()
                        try await failed(job, reason: error.description, permanent: error.permanent)
                        try await session.reset()
                    }
                }
            }
        } catch {
            for job in remaining {
                try await failed(job, reason: "\(error)", permanent: false)
            }
        }
    }

    private func deliverSMS(_ job: JobRecord, _ work: DeliveryWork) async throws {
        guard let settings = config.gateway else {
            try await failed(
                job, reason: "No SMS gateway is configured on this server (BEARING_SMS_GATEWAY_URL).", permanent: false)
            return
        }
        let text = AlertMessage.short(work, link: try await link(work), try await strings(work))
        do {
            try await GatewayClient(settings: settings, client: app.client).send(
                .init(
                    id: work.id.uuidString.lowercased(), to: work.address, text: text, language: work.text.language,
                    alert: work.alertNumber), now: now)
            try await sent(job, work)
        } catch let error as GatewayClient.Failure {
            try await failed(job, reason: error.description, permanent: error.permanent)
        }
    }

    /// The message and its job, recorded together.
    private func sent(_ job: JobRecord, _ work: DeliveryWork) async throws {
        let now = now
        try await app.db.writing { db in
            try await AlertStore(db).record(delivery: work.id, state: .sent, reason: "", now: now)
            try await JobStore(db).complete(job.id, worker: name, now: now)
        }
    }

    /// A failed attempt: the message shows the reason at once; it stays queued while the job will
    /// try again, and fails for good when it will not.
    private func failed(_ job: JobRecord, reason: String, permanent: Bool) async throws {
        let final = permanent || job.attempts >= job.maxAttempts
        let now = now
        try await app.db.writing { db in
            if let id = UUID(uuidString: job.payload) {
                try await AlertStore(db).record(
                    delivery: id, state: final ? .failed : .queued, reason: reason, now: now)
            }
            try await JobStore(db).fail(
                job, worker: name, error: reason, permanent: permanent, backoff: backoff, now: now)
        }
    }
}

extension Application {
    private struct WorkerTaskKey: StorageKey { typealias Value = Task<Void, Never> }

    /// Starts the job worker in the background of `serve`, and stops it with the application.
    func startJobWorker() {
        guard bearingConfig.runsWorker else { return }
        lifecycle.use(JobWorkerLifecycle())
    }

    fileprivate var workerTask: Task<Void, Never>? {
        get { storage[WorkerTaskKey.self] }
        set { storage[WorkerTaskKey.self] = newValue }
    }

    private struct JobWorkerLifecycle: LifecycleHandler {
        func didBootAsync(_ app: Application) async throws {
            let worker = JobWorker(app: app)
            app.workerTask = Task { await worker.run() }
        }

        func shutdownAsync(_ app: Application) async {
            app.workerTask?.cancel()
            await app.workerTask?.value
        }
    }
}
