import Domain
import Foundation
import Testing

@Suite("Field movements and readiness: the decision by phase, trainings, briefings, the request decoder")
struct MovementRulesTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let day: TimeInterval = 86_400
    let phases = ["white", "yellow", "orange", "red"]

    func traveller(
        briefed: Bool = true, travel: [(String?, Double)] = [],
        trainings: [String: Double] = ["stay_safe_personal": 100],
        manager: Bool = false, category: PersonCategory = .delegate
    ) -> TravellerFacts {
        let training = TrainingSettings.defaults
        return TravellerFacts(
            personID: PersonID(UUID()), arrivalBriefedAt: briefed ? now.addingTimeInterval(-30 * day) : nil,
            travelBriefings: travel.map { ($0.0, now.addingTimeInterval(-$0.1 * day)) },
            trainings: trainings.map { course, daysAgo in
                let on = now.addingTimeInterval(-daysAgo * day)
                return TrainingRecord(
                    course: course, completedOn: on, expiresOn: training.expiry(of: course, completedOn: on),
                    evidence: "")
            }, manager: manager, category: category)
    }

    func decide(_ travellers: [TravellerFacts], _ areas: [(String, String?)], settings: MovementSettings = .defaults)
        -> MovementDecision
    {
        MovementDecision.decide(
            travellers: travellers, areas: areas.map { ($0.0, $0.1, [$0.0, String($0.0.prefix(4))]) }, phases: phases,
            settings: settings, training: .defaults, departure: now)
    }

    @Test("no phase needs nothing; Orange needs the Security Coordinator; Red also the Head of GSU")
    func approvals() {
        #expect(decide([traveller()], [("SD11", nil), ("SD10", "yellow")]).approvals.isEmpty)
        let orange = decide([traveller(travel: [("SD01", 2)])], [("SD10", "yellow"), ("SD01", "orange")])
        #expect(
            orange.refusals.isEmpty && orange.approvals == [.securityCoordinator] && orange.highestPhase == "orange")
        let red = decide(
            [traveller(travel: [(nil, 1)], trainings: ["stay_safe_personal": 10, "heat": 10])],
            [("SD01", "orange"), ("SD02", "red")])
        #expect(red.refusals.isEmpty, "\(red.refusals)")
        #expect(red.approvals == [.securityCoordinator, .headOfGSU] && red.highestPhase == "red")
    }

    @Test("refused, with every reason: not briefed, a training missing or lapsed, no travel briefing, a forbidden area")
    func refusals() {
        let newcomer = traveller(briefed: false)
        #expect(decide([newcomer], [("SD11", nil)]).refusals == [.notBriefed(newcomer.personID)])
        // Stay Safe is required everywhere; SCM for managers in Orange; it lapses after 12 months.
        let lapsed = traveller(travel: [("SD01", 1)], trainings: ["stay_safe_personal": 10, "scm": 400], manager: true)
        let decision = decide([lapsed], [("SD01", "orange")])
        #expect(decision.refusals == [.lacksTraining(lapsed.personID, course: "scm")])
        #expect(decision.approvals.isEmpty, "a refused request needs no approval")
        let untrained = traveller(trainings: [:])
        #expect(
            decide([untrained], [("SD11", nil)]).refusals == [
                .lacksTraining(untrained.personID, course: "stay_safe_personal")
            ])
        // A travel briefing counts for its area and the areas inside it, within 30 days, before departure.
        let stateBriefed = traveller(travel: [("SD01", 3)])
        #expect(decide([stateBriefed], [("SD010001", "orange")]).refusals.isEmpty)
        let old = traveller(travel: [("SD01", 45)])
        #expect(decide([old], [("SD01", "orange")]).refusals == [.noTravelBriefing(old.personID, area: "SD01")])
        let elsewhere = traveller(travel: [("SD15", 1)])
        #expect(
            decide([elsewhere], [("SD01", "orange")]).refusals == [.noTravelBriefing(elsewhere.personID, area: "SD01")])
        var forbidding = MovementSettings.defaults
        forbidding.rules["red"] = .init(forbidden: true)
        let anyone = traveller(travel: [(nil, 1)], trainings: ["stay_safe_personal": 1, "heat": 1])
        #expect(
            decide([anyone], [("SD02", "red")], settings: forbidding).refusals == [
                .forbidden(area: "SD02", phase: "red")
            ])
    }

    @Test("the newcomer's clock: due within 24 hours of arrival, then overdue; briefed ends it")
    func arrivalClock() {
        let arrival = now.addingTimeInterval(-10 * 3_600)
        #expect(
            ArrivalBriefing.state(arrival: arrival, briefedAt: nil, now: now)
                == .due(arrival.addingTimeInterval(86_400)))
        #expect(
            ArrivalBriefing.state(arrival: arrival, briefedAt: nil, now: now.addingTimeInterval(15 * 3_600))
                == .overdue(arrival.addingTimeInterval(86_400)))
        #expect(ArrivalBriefing.state(arrival: arrival, briefedAt: now, now: now) == .briefed(now))
        #expect(ArrivalBriefing.state(arrival: nil, briefedAt: nil, now: now) == .unknown)
    }

    @Test("the training settings refuse a requirement for an unknown course or category")
    func trainingSettings() throws {
        let settings = TrainingSettings.defaults
        #expect(
            settings.required(phase: "red", manager: true, category: .delegate) == [
                "stay_safe_personal", "scm", "heat",
            ])
        #expect(
            settings.required(phase: "yellow", manager: true, category: .nationalSocietyVolunteer) == [
                "stay_safe_personal"
            ])
        #expect(throws: ValidationErrors.self) {
            try settings.replacing(.requirements, json: #"[{"course":"juggling"}]"#)
        }
        #expect(throws: ValidationErrors.self) {
            try settings.replacing(.requirements, json: #"[{"course":"heat","categories":["spy"]}]"#)
        }
        let changed = try settings.replacing(.requirements, json: #"[{"course":"heat","phases":["orange"]}]"#)
        #expect(changed.required(phase: "orange", manager: false, category: .visitor) == ["heat"])
    }

    @Test("the request decoder: every problem named, a movement that arrives before it departs refused")
    func requestDecoder() throws {
        var input = MovementInput()
        input.purpose = "Visit"
        input.passengers = [UUID().uuidString, "not-a-person"]
        input.route = ["site:\(UUID().uuidString)", "", "15.4, 36.4x", "area:sd11"]
        input.departure = "2026-12-05 10:00"
        input.expectedArrival = "2026-12-05 09:00"
        do {
            _ = try input.decoded(clock: .utc)
            Issue.record("accepted")
        } catch {
            #expect(Set(error.errors.compactMap(\.field)) == ["passengers", "route", "expected_arrival"])
        }
        input.passengers = [UUID().uuidString]
        input.route = ["site:\(UUID().uuidString)", "15.4, 36.4", "area:sd11"]
        input.expectedArrival = "2026-12-05 15:00"
        let draft = try input.decoded(clock: .utc)
        #expect(draft.route.map(\.kind) == [.site, .point, .area] && draft.route.last?.areaPcode == "SD11")
    }

    @Test("sessions given are counted by sex and National Society, not named; bad counts refused")
    func sessions() throws {
        let session = try TrainingSession(
            topic: "Stay Safe", heldOn: now, place: "Kassala", trainers: "SO",
            participants: [
                .init(nationalSociety: "SRCS", female: 11, male: 14, other: 0),
                .init(nationalSociety: "", female: 0, male: 0, other: 0),
            ]
        ).validated()
        #expect(session.participants.count == 1 && session.total == 25)
        #expect(throws: ValidationErrors.self) {
            try TrainingSession(topic: "", heldOn: now, place: "", trainers: "", participants: []).validated()
        }
        #expect(throws: ValidationErrors.self) {
            try TrainingSession(
                topic: "x", heldOn: now, place: "", trainers: "",
                participants: [.init(nationalSociety: "SRCS", female: -1, male: 2, other: 0)]
            ).validated()
        }
    }

    @Test("a re-import changes only the roster's columns: a missing column never clears what is stored")
    func merging() {
        let stored = PersonDraft(
            fullName: "Amira", category: .ifrcStaff, function: "Finance",
            phones: [
                PhoneNumber(kind: .mobile, reading: "+249911111111", country: nil),
                PhoneNumber(kind: .satellite, reading: "+8821640000012", country: nil),
            ], manager: true, relocation: .stays)
        let roster = PersonDraft(
            fullName: "Amira Salih", category: .delegate, function: "",
            phones: [PhoneNumber(kind: .mobile, reading: "+249922222222", country: nil)], manager: false)
        let merged = stored.merging(roster, fields: [.fullName, .mobilePhone])
        #expect(merged.fullName == "Amira Salih" && merged.category == .ifrcStaff && merged.function == "Finance")
        #expect(merged.manager && merged.relocation == .stays)
        #expect(merged.phones.map(\.e164) == ["+249922222222", "+8821640000012"])
    }
}
