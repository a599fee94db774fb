import Domain
import Foundation
import Testing

@Suite("Stakeholder registry and meeting rules")
struct CoordinationRulesTests {
    static let today = DateText.day("2026-12-06")!

    static func organisation() -> StakeholderInput {
        var input = StakeholderInput()
        input.name = " UN Refugee Agency "
        input.acronym = "UNHCR"
        input.actorType = "un_agency"
        input.topic = "migration"
        input.relation = "coordination_member"
        input.influence = "5"
        input.interest = "4"
        input.emails = ["gedaref@unhcr.example, duty@unhcr.example", "GEDAREF@unhcr.example"]
        input.phones = ["+249 912 555 020, cell, Duty officer", ""]
        input.lastVerifiedOn = "2026-11-01"
        return input
    }

    @Test("an entry is read with its contacts (a repeated address kept once), its quadrant and its freshness")
    func entry() throws {
        let draft = try Self.organisation().decoded(today: Self.today)
        #expect(
            draft.name == "UN Refugee Agency" && draft.kind == .organisation && draft.actorType.group == .unitedNations)
        #expect(draft.emails == ["gedaref@unhcr.example", "duty@unhcr.example"])
        #expect(draft.phones == [ServicePhone(number: "+249 912 555 020", kind: .cell, note: "Duty officer")])
        #expect(draft.quadrant == .manageClosely)
        #expect(draft.audience == .ifrcOnly, "contacts are IFRC-only unless said otherwise")
        #expect(!draft.isStale(today: Self.today, afterDays: 90))
        #expect(draft.isStale(today: Self.today, afterDays: 30))
        var never = draft
        never.lastVerifiedOn = nil
        #expect(never.isStale(today: Self.today, afterDays: 3650), "an entry never verified is flagged")
        #expect(try StakeholderInput(draft).decoded(today: Self.today) == draft)
        #expect(EngagementQuadrant(influence: 4, interest: 1) == .keepSatisfied)
        #expect(EngagementQuadrant(influence: 1, interest: 5) == .keepInformed)
        #expect(EngagementQuadrant(influence: 2, interest: 2) == .monitor)
    }

    @Test("every problem of an entry is named by its field, at once")
    func refused() {
        var input = StakeholderInput()
        input.kind = "organization chart"
        input.actorType = ""
        input.influence = "9"
        input.interest = "high"
        input.emails = ["not-an-address"]
        input.phones = ["call me"]
        input.lastVerifiedOn = "2027-01-01"
        input.audience = "everyone"
        input.website = "unhcr.org"
        input.ownerID = "someone"
        do {
            _ = try input.decoded(today: Self.today)
            Issue.record("refused")
        } catch {
            let fields = Set(error.errors.compactMap(\.field))
            #expect(
                fields == [
                    "kind", "name", "actor_type", "influence", "interest", "emails", "phones", "last_verified_on",
                    "audience", "website", "owner_id",
                ])
        }
        var org = Self.organisation()
        org.organisationID = UUID().uuidString
        #expect(throws: ValidationErrors.self) { try org.decoded() }
    }

    @Test("the two roles' views of one registry")
    func views() {
        #expect(StakeholderTopic.both.shows(in: .security) && StakeholderTopic.both.shows(in: .migration))
        #expect(StakeholderTopic.security.shows(in: .security) && !StakeholderTopic.security.shows(in: .migration))
        #expect(StakeholderTopic.migration.shows(in: .both))
    }

    static func meeting() -> MeetingInput {
        var input = MeetingInput()
        input.kind = "security_cell"
        input.forum = "UNDSS security cell, Gedaref"
        input.heldOn = "2026-12-01"
        input.ifrcRepresented = "yes"
        input.representativeIDs = [UUID().uuidString]
        input.decisions = ["Daylight road movements only\n\nTwo-vehicle convoys"]
        input.actions = [
            MeetingActionInput(text: "Brief the drivers", owner: "user:" + UUID().uuidString, dueOn: "2026-12-03"),
            MeetingActionInput(),
            MeetingActionInput(
                text: "Ask HAC about permits", owner: "stakeholder:" + UUID().uuidString, dueOn: "2026-12-09",
                status: "done", doneOn: "2026-12-05"),
        ]
        return input
    }

    @Test("a meeting: decisions a line each, blank action rows left out, overdue by the calendar day")
    func meeting() throws {
        let draft = try Self.meeting().decoded(today: Self.today)
        #expect(draft.decisions == ["Daylight road movements only", "Two-vehicle convoys"])
        #expect(draft.actions.count == 2)
        #expect(draft.actions[0].isOverdue(today: Self.today))
        #expect(!draft.actions[0].isOverdue(today: DateText.day("2026-12-03")!), "due today is still in time")
        #expect(!draft.actions[1].isOverdue(today: Self.today), "done is never overdue")
        #expect(draft.actions[1].doneOn == DateText.day("2026-12-05"))
        #expect(try MeetingInput(draft).decoded(today: Self.today) == draft)
    }

    @Test(
        "a meeting's problems: IFRC represented by nobody, or not represented yet named; actions without owner or day")
    func meetingRefused() {
        var input = Self.meeting()
        input.representativeIDs = []
        input.actions = [MeetingActionInput(text: "Something", owner: "someone", dueOn: "")]
        input.heldOn = "2027-03-01"
        do {
            _ = try input.decoded(today: Self.today)
            Issue.record("refused")
        } catch {
            #expect(error.message(for: "representative_ids") != nil)
            #expect(error.message(for: "held_on") != nil, "a meeting in three months has not been held")
            let actions = error.errors.filter { $0.field == "actions" }.map(\.message)
            #expect(actions.contains { $0.contains("Action 1") && $0.contains("who carries it") })
            #expect(actions.contains { $0.contains("Action 1") && $0.contains("due") })
        }
        var notThere = Self.meeting()
        notThere.ifrcRepresented = "no"
        #expect(throws: ValidationErrors.self) { try notThere.decoded(today: Self.today) }
        notThere.representativeIDs = []
        #expect((try? notThere.decoded(today: Self.today))?.ifrcRepresented == false)
        var unsaid = Self.meeting()
        unsaid.ifrcRepresented = ""
        #expect(throws: ValidationErrors.self) { try unsaid.decoded(today: Self.today) }
    }

    @Test("participation by forum: the name's case ignored, the latest forum first, IFRC presence counted")
    func participation() {
        let day = { (d: String) in DateText.day(d)! }
        let forums = ForumParticipation.tally([
            (.sector, "Protection Sector, Gedaref", day("2026-11-01"), true),
            (.sector, "protection sector, gedaref", day("2026-11-15"), false),
            (.securityCell, "UNDSS security cell", day("2026-11-20"), true),
            (.sector, "Protection Sector, Gedaref", day("2026-11-29"), false),
        ])
        #expect(forums.count == 2)
        #expect(forums[0].forum == "Protection Sector, Gedaref" && forums[0].held == 3 && forums[0].represented == 1)
        #expect(forums[0].lastHeld == day("2026-11-29") && forums[0].lastRepresented == day("2026-11-01"))
        #expect(forums[1].kind == .securityCell && forums[1].represented == 1)
    }

    @Test("action owners read back as written, and nothing else")
    func owners() {
        let id = UUID()
        #expect(ActionOwner(text: "user:" + id.uuidString) == .member(UserID(id)))
        #expect(ActionOwner(text: " stakeholder:" + id.uuidString) == .stakeholder(StakeholderID(id)))
        #expect(ActionOwner(text: "team:" + id.uuidString) == nil)
        #expect(ActionOwner(text: "user:") == nil)
        #expect(ActionOwner(text: ActionOwner.member(UserID(id)).text) == .member(UserID(id)))
    }

    @Test("the registry's setting: a whole number of days, 1 to 3650")
    func settings() throws {
        #expect(try NetworkSettings.defaults.replacing(.verifyAfterDays, json: "30").verifyAfterDays == 30)
        for bad in ["0", "3651", "ninety", "-5", ""] {
            #expect(throws: ValidationErrors.self) {
                try NetworkSettings.defaults.replacing(.verifyAfterDays, json: bad)
            }
        }
    }

    @Test(
        "who reviews, receives and represents: the Movement, cleared for the audience; a restricted product names its readers"
    )
    func roles() {
        #expect(AccessPolicy.canReviewProduct(audience: .ifrcAndNationalSociety, role: .nationalSocietyFocalPoint))
        #expect(!AccessPolicy.canReviewProduct(audience: .ifrcOnly, role: .nationalSocietyFocalPoint))
        #expect(AccessPolicy.canReviewProduct(audience: .restricted, role: .nationalSocietyFocalPoint))
        #expect(!AccessPolicy.canReviewProduct(audience: .public, role: .partner))
        #expect(AccessPolicy.canShareProduct(audience: .public, with: .partner))
        #expect(!AccessPolicy.canShareProduct(audience: .movement, with: .partner))
        #expect(!AccessPolicy.canShareProduct(audience: .restricted, with: .partner))
        #expect(AccessPolicy.canShareProduct(audience: .restricted, with: .staff))
        #expect(AccessPolicy.canRepresentIFRC(.staff) && !AccessPolicy.canRepresentIFRC(.partner))
        let operation = OperationID(UUID()), author = UserID(UUID()), staff = UserID(UUID())
        let meeting = RecordAccess(operationID: operation, audience: .ifrcOnly, createdBy: author)
        let viewer = Viewer(userID: staff, isSystemAdministrator: false, roles: [operation: .staff])
        #expect(!AccessPolicy.canMarkAction(owner: .member(author), of: meeting, by: viewer))
        #expect(AccessPolicy.canMarkAction(owner: .member(staff), of: meeting, by: viewer))
        #expect(!AccessPolicy.canMarkAction(owner: nil, of: meeting, by: viewer))
    }
}
