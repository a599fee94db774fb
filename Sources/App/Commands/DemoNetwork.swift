import Domain
import Foundation
import Persistence
import Vapor

/// The demo's network for Sudan: the Movement (SRCS, ICRC, partner National Societies), the UN
/// (UNHCR, IOM, UNDSS, OCHA, UNICEF), INSO, NGOs, the authorities (the Commissioner for Refugees,
/// HAC, the police, the state government) and the Khartoum Process; the people the coordinators
/// call in them; three meetings with decisions and action points, one of them overdue.
enum DemoNetwork {
    struct Entry {
        let name: String
        let acronym: String?
        let type: StakeholderType
        let topic: StakeholderTopic
        let relation: IFRCRelation
        let influence: Int
        let interest: Int
        var mandate: String? = nil
        var audience: AudienceLevel = .ifrcOnly
        var verifiedDaysAgo: Int? = 20
    }

    struct Person {
        let name: String
        let organisation: String
        let position: String
        let email: String
        let phone: String
        var topic: StakeholderTopic = .both
        var verifiedDaysAgo: Int? = 20
        var audience: AudienceLevel = .ifrcOnly
        var influence = 3
        var interest = 3
    }

    static let organisations: [Entry] = [
        Entry(
            name: "Sudanese Red Crescent Society", acronym: "SRCS", type: .hostNationalSociety, topic: .both,
            relation: .movement, influence: 5, interest: 5,
            mandate: "Auxiliary to the public authorities in the humanitarian field.",
            audience: .ifrcAndNationalSociety),
        Entry(
            name: "International Committee of the Red Cross", acronym: "ICRC", type: .icrc, topic: .both,
            relation: .movement, influence: 4, interest: 4,
            mandate: "IHL, detention visits, Restoring Family Links (Central Tracing Agency).", audience: .movement),
        Entry(
            name: "Norwegian Red Cross", acronym: "NorCross", type: .partnerNationalSociety, topic: .migration,
            relation: .movement, influence: 2, interest: 4, audience: .movement),
        Entry(
            name: "UN Refugee Agency", acronym: "UNHCR", type: .unAgency, topic: .migration,
            relation: .coordinationMember, influence: 5, interest: 5,
            mandate:
                "Refugees, asylum seekers and the stateless; leads the Protection Cluster and the refugee response."),
        Entry(
            name: "International Organization for Migration", acronym: "IOM", type: .unAgency, topic: .migration,
            relation: .coordinationMember, influence: 4, interest: 4,
            mandate: "Migrants; runs the DTM; co-leads CCCM in natural disasters."),
        Entry(
            name: "UN Department of Safety and Security", acronym: "UNDSS", type: .unAgency, topic: .security,
            relation: .coordinationMember, influence: 4, interest: 3,
            mandate: "Security of the UN system; chairs the security cell (Saving Lives Together)."),
        Entry(
            name: "UN Office for the Coordination of Humanitarian Affairs", acronym: "OCHA", type: .unAgency,
            topic: .both, relation: .coordinationMember, influence: 4, interest: 3),
        Entry(
            name: "United Nations Children's Fund", acronym: "UNICEF", type: .unAgency, topic: .migration,
            relation: .referralPartner, influence: 3, interest: 3, verifiedDaysAgo: 140),
        Entry(
            name: "International NGO Safety Organisation", acronym: "INSO", type: .ngoSecurityPlatform,
            topic: .security,
            relation: .coordinationMember, influence: 3, interest: 4),
        Entry(
            name: "Norwegian Refugee Council", acronym: "NRC", type: .ingo, topic: .migration,
            relation: .referralPartner, influence: 3, interest: 4),
        Entry(
            name: "Commissioner for Refugees", acronym: "COR", type: .ministry, topic: .migration,
            relation: .authorityCounterpart, influence: 5, interest: 3,
            mandate: "The government body for refugees and asylum (Ministry of Interior).", verifiedDaysAgo: 110),
        Entry(
            name: "Humanitarian Aid Commission", acronym: "HAC", type: .ministry, topic: .both,
            relation: .authorityCounterpart, influence: 5, interest: 2,
            mandate: "Registers and approves humanitarian organisations and their movements."),
        Entry(
            name: "Sudan Police Force, Gedaref", acronym: nil, type: .police, topic: .security,
            relation: .authorityCounterpart, influence: 4, interest: 2, audience: .ifrcOnly, verifiedDaysAgo: nil),
        Entry(
            name: "Gedaref State Ministry of Social Development", acronym: nil, type: .localGovernment,
            topic: .migration, relation: .authorityCounterpart, influence: 3, interest: 3),
        Entry(
            name: "Khartoum Process (EU–Horn of Africa Migration Route Initiative)", acronym: "Khartoum Process",
            type: .regionalProcess, topic: .migration, relation: .informal, influence: 2, interest: 2,
            audience: .movement),
    ]

    static let people: [Person] = [
        Person(
            name: "Amna Khalid", organisation: "SRCS", position: "Head of Disaster Management",
            email: "amna.khalid@srcs.example",
            phone: "+249 912 300 101, cell"),
        Person(
            name: "Yousif Adam", organisation: "SRCS", position: "Gedaref branch security focal point",
            email: "yousif.adam@srcs.example", phone: "+249 912 300 144, cell", topic: .security, influence: 2,
            interest: 5),
        Person(
            name: "Hélène Marchand", organisation: "ICRC", position: "Protection coordinator",
            email: "hmarchand@icrc.example", phone: "+249 183 000 210, voice", influence: 4, interest: 4),
        Person(
            name: "David Mwangi", organisation: "UNHCR", position: "Senior Protection Officer, Gedaref",
            email: "okello@unhcr.example", phone: "+249 912 555 020, cell", topic: .migration),
        Person(
            name: "Maria Lindqvist", organisation: "IOM", position: "DTM coordinator", email: "mlindqvist@iom.example",
            phone: "+249 912 555 310, cell", topic: .migration, influence: 2, interest: 4),
        Person(
            name: "Ahmed Saleh", organisation: "UNDSS", position: "Field Security Coordination Officer, Gedaref",
            email: "ahmed.saleh@undss.example", phone: "+249 912 555 900, cell", topic: .security),
        Person(
            name: "Claire Dubois", organisation: "INSO", position: "Regional Safety Adviser",
            email: "claire.dubois@inso.example", phone: "+249 912 700 300, cell", topic: .security, verifiedDaysAgo: 120
        ),
        Person(
            name: "Col. Hassan Omer", organisation: "Sudan Police Force, Gedaref",
            position: "Deputy State Police Director",
            email: "", phone: "+249 912 800 001, voice", topic: .security, verifiedDaysAgo: nil, influence: 5,
            interest: 2),
        Person(
            name: "Fatima Bashir", organisation: "COR", position: "Director, Eastern Sector", email: "",
            phone: "+249 441 000 030, voice", topic: .migration, influence: 4, interest: 2),
    ]

    static func load(
        _ app: Application, operation: OperationRecord, security: UserID, migration: UserID, heops: UserID,
        staff: UserID?, now: Date
    ) async throws {
        let scope = AccessPolicy.unnamedOperatorScope(in: operation.id)
        let store = StakeholderStore(app.db)
        guard try await store.count(in: scope) == 0 else { return }
        let today = operation.time.calendarDay(now)
        func daysAgo(_ days: Int?) -> Date? { days.map { today.addingTimeInterval(-Double($0) * 86_400) } }
        var ids: [String: StakeholderID] = [:]
        for o in organisations {
            let owner = o.topic == .security ? security : o.topic == .migration ? migration : heops
            let draft = StakeholderDraft(
                kind: .organisation, name: o.name, acronym: o.acronym, actorType: o.type, mandate: o.mandate,
                topic: o.topic, relation: o.relation, influence: o.influence, interest: o.interest, ownerID: owner,
                lastVerifiedOn: daysAgo(o.verifiedDaysAgo), audience: o.audience)
            let record = try await store.create(draft, scope: scope, actorID: owner, now: now)
            ids[o.acronym ?? o.name] = record.id
        }
        for p in people {
            let owner = p.topic == .security ? security : migration
            let draft = StakeholderDraft(
                kind: .person, name: p.name,
                actorType: organisations.first { ($0.acronym ?? $0.name) == p.organisation }?.type ?? .ingo,
                organisationID: ids[p.organisation], position: p.position, topic: p.topic,
                relation: .coordinationMember,
                influence: p.influence, interest: p.interest, ownerID: owner,
                lastVerifiedOn: daysAgo(p.verifiedDaysAgo),
                emails: p.email.isEmpty ? [] : [p.email], phones: [try ServicePhone.parse(p.phone).get()],
                audience: p.audience)
            let record = try await store.create(draft, scope: scope, actorID: owner, now: now)
            ids[p.name] = record.id
        }
        func day(_ offset: Int) -> Date { today.addingTimeInterval(Double(offset) * 86_400) }
        func attendees(_ names: [String]) -> [StakeholderID] { names.compactMap { ids[$0] } }
        let meetings = MeetingStore(app.db)
        _ = try await meetings.create(
            MeetingDraft(
                kind: .securityCell, forum: "UNDSS security cell, Gedaref", heldOn: day(-9),
                place: "UNDSS office, Gedaref",
                attendeeIDs: attendees(["UNDSS", "Ahmed Saleh", "INSO", "Claire Dubois", "SRCS", "Yousif Adam", "ICRC"]
                ),
                ifrcRepresented: true, representativeIDs: [security],
                notes:
                    "Armed robbery on the Gedaref–Gallabat road twice this week, both after 17:00. Checkpoint at Doka asking for travel permits from HAC for every vehicle.",
                decisions: [
                    "Road movements Gedaref–Gallabat in daylight only, in two-vehicle convoys, until the next cell.",
                    "Agencies share incident reports with UNDSS and INSO within 24 hours.",
                ],
                actions: [
                    MeetingActionDraft(
                        text: "Update the movement SOP and brief drivers on the daylight rule",
                        owner: .member(security),
                        dueOn: day(-4)),
                    MeetingActionDraft(
                        text: "Ask HAC to clarify the travel-permit requirement at Doka",
                        owner: .stakeholder(ids["UNDSS"]!),
                        dueOn: day(3)),
                ], audience: .ifrcOnly),
            scope: scope, actorID: security, now: now)
        _ = try await meetings.create(
            MeetingDraft(
                kind: .sector, forum: "Protection Sector, Gedaref", heldOn: day(-6), place: "UNHCR sub-office",
                attendeeIDs: attendees(["UNHCR", "David Mwangi", "IOM", "UNICEF", "NRC", "SRCS", "Amna Khalid", "COR"]),
                ifrcRepresented: true, representativeIDs: [migration],
                notes:
                    "Arrivals at Gallabat up by a third in two weeks. Reports of pushbacks at the crossing; children separated in the crowds.",
                decisions: [
                    "A joint protection desk at the Gallabat HSP: SRCS volunteers, UNHCR and UNICEF case workers.",
                    "Separated children referred to UNICEF's case management partner within 24 hours.",
                ],
                actions: [
                    MeetingActionDraft(
                        text: "Share the HSP's weekly arrival figures with the sector", owner: .member(migration),
                        dueOn: day(1)),
                    MeetingActionDraft(
                        text: "Draft the referral pathway for separated children", owner: .stakeholder(ids["UNICEF"]!),
                        dueOn: day(-1)),
                    MeetingActionDraft(
                        text: "Raise the pushbacks with COR", owner: .stakeholder(ids["UNHCR"]!), dueOn: day(7),
                        status: .open),
                ], audience: .movement),
            scope: scope, actorID: migration, now: now)
        _ = try await meetings.create(
            MeetingDraft(
                kind: .workingGroup, forum: "Cash Working Group, Gedaref", heldOn: day(-2), place: "OCHA hub",
                attendeeIDs: attendees(["OCHA", "NRC", "IOM"]), ifrcRepresented: false,
                notes: "No IFRC or SRCS participant was free; minutes requested from OCHA.",
                decisions: ["Transfer value for new arrivals aligned at the MEB of the previous month."],
                actions: [
                    MeetingActionDraft(
                        text: "Get the minutes and the MEB figure from OCHA",
                        owner: staff.map(ActionOwner.member) ?? .member(migration),
                        dueOn: day(2))
                ], audience: .ifrcAndNationalSociety),
            scope: scope, actorID: migration, now: now)
    }
}
