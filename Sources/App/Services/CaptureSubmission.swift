import Domain
import Fluent
import Persistence
import Vapor

/// What the offline queue's sender gets back for one entry (issue 21), as JSON:
/// `{"state": "created" | "replayed" | "conflict" | "refused", "location": …, "message": …, "errors": {field: message}}`.
/// The queue sends each entry with the header `X-Bearing-Capture: 1`; a form posted without the
/// script gets the pages it always did.
struct CaptureAnswer: Content {
    enum State: String, Content { case created, replayed, conflict, refused }
    var state: State
    var location: String?
    var message: String?
    var errors: [String: String]?

    static let header = "X-Bearing-Capture"

    static func isQueued(_ req: Request) -> Bool { req.headers.first(name: header) == "1" }

    static func refused(_ message: String, errors: [String: String]? = nil, status: HTTPResponseStatus) -> Response {
        response(CaptureAnswer(state: .refused, message: message, errors: errors), status: status)
    }

    static func response(_ answer: CaptureAnswer, status: HTTPResponseStatus) -> Response {
        let response = Response(status: status)
        try? response.content.encode(answer, as: .json)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}

/// The server's half of the offline queue for one capture form: the entry's client id is the
/// idempotency key. The record and the id are written in one transaction, so a replay (the same
/// entry sent again because the answer was lost on the way) finds the record and never makes a
/// second; different content under the same id keeps the first and says so.
struct CaptureSubmission {
    let req: Request
    let kind: String
    /// Nil for a form posted without the script.
    let entry: ClientEntry?

    init(_ req: Request, kind: String) throws {
        self.req = req
        self.kind = kind
        guard CaptureAnswer.isQueued(req) || (try? req.content.get(String.self, at: ClientEntry.Field.clientID)) != nil
        else {
            entry = nil
            return
        }
        let body = req.body.string ?? ""
        do {
            entry = try ClientEntry.read(
                clientID: try? req.content.get(String.self, at: ClientEntry.Field.clientID),
                account: try? req.content.get(String.self, at: ClientEntry.Field.account),
                capturedAt: try? req.content.get(String.self, at: ClientEntry.Field.capturedAt), body: body)
        } catch {
            throw CaptureRefusal(status: .badRequest, errors: error.messages(in: req))
        }
        guard let entry, let user = req.currentUser else { return }
        // Entries queued by one account are never sent under another.
        guard AccessPolicy.canSendQueuedEntry(queuedBy: entry.account, by: user.viewer) else {
            throw CaptureRefusal(status: .forbidden, key: "capture.foreign_entry")
        }
    }

    var isQueued: Bool { entry != nil }

    /// For a replay: the answer already given, before the form is judged again (the movement may
    /// have closed since, or the tally's point been renamed).
    func earlier() async throws -> Response? {
        guard let entry, let user = req.currentUser,
            let stored = try await ClientSubmissionStore(req.db).find(entry.clientID, of: user.user.id)
        else { return nil }
        return answer(for: stored, entry)
    }

    /// Saves through `work`, which makes the record and gives its page. Queued: in one transaction
    /// with the client id, answered in JSON. Posted as a page: as before, then `redirect`.
    func save(
        redirect: (String) -> String = { $0 }, _ work: @Sendable @escaping (any Database) async throws -> String
    ) async throws -> Response {
        guard let entry, let user = req.currentUser else {
            return req.redirect(to: redirect(try await work(req.db)))
        }
        let (kind, now) = (self.kind, req.now)
        do {
            let location = try await req.db.writing { db in
                let location = try await work(db)
                guard
                    try await ClientSubmissionStore(db).record(
                        entry.clientID, of: user.user.id, kind: kind, digest: entry.digest, location: location,
                        capturedAt: entry.capturedAt, now: now)
                else { throw SentTwiceAtOnce() }
                return location
            }
            return CaptureAnswer.response(
                CaptureAnswer(state: .created, location: redirect(location), message: req.t("capture.created")),
                status: .created)
        } catch is SentTwiceAtOnce {
            // The same entry arrived twice at once and the other copy committed first: ours rolled back.
            guard let stored = try await ClientSubmissionStore(req.db).find(entry.clientID, of: user.user.id) else {
                throw Abort(.internalServerError)
            }
            return answer(for: stored, entry)
        }
    }

    /// Queued: the form's problems as JSON, shown on the entry. Nil for a page (the caller renders the form).
    func refused(_ errors: [String: String], status: HTTPResponseStatus = .unprocessableEntity) -> Response? {
        guard entry != nil else { return nil }
        return CaptureAnswer.refused(req.t("capture.refused"), errors: errors, status: status)
    }

    private func answer(for stored: ClientSubmissionStore.Stored, _ entry: ClientEntry) -> Response {
        if stored.kind == kind, stored.digest == entry.digest {
            return CaptureAnswer.response(
                CaptureAnswer(state: .replayed, location: stored.location, message: req.t("capture.replayed")),
                status: .ok)
        }
        return CaptureAnswer.response(
            CaptureAnswer(state: .conflict, location: stored.location, message: req.t("capture.conflict")),
            status: .conflict)
    }

    private struct SentTwiceAtOnce: Error {}
}

/// A queued entry refused before its form is read (a malformed id, another account's entry).
struct CaptureRefusal: AbortError {
    let status: HTTPResponseStatus
    var key: String = "capture.refused"
    var errors: [String: String] = [:]
    var reason: String { key }
}
