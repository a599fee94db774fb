import Domain
import Foundation
import Persistence
import TestFiles
import TestSupport
import Testing
import Vapor

@testable import App

/// The stakeholder registry, meetings and action points through the pages, the API and the command
/// line (issue 19, parts 1, 2 and 4).
@Suite("Stakeholder registry and coordination log")
struct NetworkTests {
    static let code = "/operations/SDN-TEST"

    static func entry(
        _ name: String, kind: StakeholderKind = .organisation, type: StakeholderType = .unAgency,
        topic: StakeholderTopic = .both, audience: AudienceLevel = .ifrcOnly, owner: UserID? = nil,
        organisation: StakeholderID? = nil, acronym: String? = nil, verified: Date? = Date()
    ) -> StakeholderDraft {
        StakeholderDraft(
            kind: kind, name: name, acronym: acronym, actorType: type, organisationID: organisation,
            position: kind == .person ? "Officer" : nil, topic: topic, relation: .coordinationMember, ownerID: owner,
            lastVerifiedOn: verified.map {
                Date(timeIntervalSince1970: ($0.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
            },
            emails: ["\(name.filter(\.isLetter).lowercased())@example.org"],
            phones: [ServicePhone(number: "+249 912 000 001")],
            audience: audience)
    }

    @Test(
        "the coordinators keep one registry seen in two views; an entry's page shows its contacts and records the view; stale entries are flagged",
        arguments: TestDatabases.kinds)
    func registry(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let security = try await Browser.signedIn(app, fixture.users[.securityCoordinator]!)
            // The form: every problem named; then an organisation and a person in it.
            let refused = try await security.post(
                Self.code + "/stakeholders",
                ["kind": "organisation", "name": "", "actor_type": "un_agency", "influence": "7", "emails": "nobody"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("field-error") && refused.body.contains("This is not an e-mail address."))
            let created = try await security.post(
                Self.code + "/stakeholders",
                [
                    "kind": "organisation", "name": "UN Department of Safety and Security", "acronym": "UNDSS",
                    "actor_type": "un_agency", "topic": "security", "relation": "coordination_member", "influence": "4",
                    "interest": "3", "owner_id": fixture.users[.securityCoordinator]!.id.uuidString,
                    "last_verified_on": "2026-01-01", "emails": "cell@undss.example",
                    "phones": "+249 912 555 900, cell",
                    "audience": "ifrc",
                ])
            #expect(created.status == .seeOther)
            let undss = try #require(created.location)
            let scope = AccessPolicy.unnamedOperatorScope(in: fixture.operation.id)
            let org = try #require(try await StakeholderStore(app.db).all(in: scope).first)
            let person = try await security.post(
                Self.code + "/stakeholders",
                [
                    "kind": "person", "name": "Ahmed Saleh", "actor_type": "un_agency",
                    "organisation_id": org.id.uuidString,
                    "position": "Field Security Coordination Officer", "topic": "security", "influence": "3",
                    "interest": "4", "last_verified_on": DateText.day(Date()), "emails": "ahmed@undss.example",
                    "audience": "ifrc",
                ])
            #expect(person.status == .seeOther)
            let migration = try await Browser.signedIn(app, fixture.users[.migrationCoordinator]!)
            _ = try await migration.post(
                Self.code + "/stakeholders",
                [
                    "kind": "organisation", "name": "UN Refugee Agency", "acronym": "UNHCR", "actor_type": "un_agency",
                    "topic": "migration", "last_verified_on": DateText.day(Date()), "audience": "movement",
                ])
            // Two views of one registry.
            let securityView = try await migration.get(Self.code + "/stakeholders?view=security").body
            #expect(
                securityView.contains("UNDSS") && securityView.contains("Ahmed Saleh")
                    && !securityView.contains("UNHCR"))
            let migrationView = try await security.get(Self.code + "/stakeholders?view=migration").body
            #expect(migrationView.contains("UNHCR") && !migrationView.contains("UNDSS"))
            let all = try await security.get(Self.code + "/stakeholders").body
            #expect(all.contains("UNHCR") && all.contains("UNDSS"))
            // UNDSS was verified in January: flagged after 90 days, and the filter finds it alone.
            #expect(all.contains("1 entries not verified") || all.contains("id=\"unverified\""))
            let stale = try await security.get(Self.code + "/stakeholders?unverified=1").body
            #expect(stale.contains("UNDSS") && !stale.contains("UNHCR") && !stale.contains("Ahmed Saleh"))
            // The list shows no contacts; the entry's page does, and the view is recorded.
            #expect(!all.contains("cell@undss.example"))
            let page = try await migration.get(undss)
            #expect(page.body.contains("cell@undss.example") && page.body.contains("Ahmed Saleh"))
            let views = try await AuditStore(app.db).entries(recordKind: "stakeholder_view", recordID: "stakeholder")
            #expect(
                views.contains {
                    $0.actorID == fixture.users[.migrationCoordinator]!.id.uuidString
                        && $0.changes.contains(org.id.uuidString)
                })
            // Staff read; a partner is refused the registry and its pages.
            let staff = try await Browser.signedIn(app, fixture.users[.staff]!)
            #expect(try await staff.get(undss).status == .ok)
            #expect(try await staff.get(Self.code + "/stakeholders/new").status == .forbidden)
            let partner = try await Browser.signedIn(app, fixture.users[.partner]!)
            #expect(try await partner.get(Self.code + "/stakeholders").status == .forbidden)
            #expect(try await partner.get(undss).status == .forbidden)
            // The NS focal point reads entries up to IFRC & NS: neither UNDSS nor Ahmed (IFRC only), but UNHCR.
            let ns = try await Browser.signedIn(app, fixture.users[.nationalSocietyFocalPoint]!)
            let nsList = try await ns.get(Self.code + "/stakeholders").body
            #expect(nsList.contains("UNHCR") && !nsList.contains("UNDSS") && !nsList.contains("Ahmed"))
            #expect(try await ns.get(undss).status == .notFound)
            // Verified today clears the flag; the setting changes the period.
            _ = try await security.get(undss)
            #expect(try await security.post(undss + "/verified", [:]).status == .seeOther)
            #expect(!(try await security.get(Self.code + "/stakeholders?unverified=1").body.contains("UNDSS")))
            #expect(
                try await security.post(Self.code + "/stakeholders/settings", ["verify_after_days": "0"]).status
                    == .unprocessableEntity)
            #expect(
                try await security.post(Self.code + "/stakeholders/settings", ["verify_after_days": "30"]).status
                    == .seeOther)
            #expect(
                try await SettingsStore(app.db).load(NetworkSettings.self, operationID: fixture.operation.id)
                    .verifyAfterDays == 30)
            // The influence × interest map names them in their cells.
            let map = try await security.get(Self.code + "/stakeholders/map").body
            #expect(map.contains("<svg") && map.contains("UNDSS") && map.contains("Manage closely"))
            // One may not make an entry one could not see: the NS focal point is not a keeper anyway,
            // and a keeper's restricted entry is seen by its author and owner only.
            let restricted = try await security.post(
                Self.code + "/stakeholders",
                [
                    "kind": "person", "name": "Informant Zero", "actor_type": "community_leader",
                    "audience": "restricted",
                    "owner_id": fixture.users[.securityCoordinator]!.id.uuidString,
                ])
            #expect(restricted.status == .seeOther)
            #expect(!(try await migration.get(Self.code + "/stakeholders").body.contains("Informant Zero")))
            #expect(try await security.get(Self.code + "/stakeholders").body.contains("Informant Zero"))
            let heops = try await Browser.signedIn(app, fixture.users[.headOfOperations]!)
            #expect(!(try await heops.get(Self.code + "/stakeholders").body.contains("Informant Zero")))
            // Nor in the audit trail's values.
            let audit = try await heops.get(Self.code + "/audit").body
            #expect(audit.contains("UNDSS") && !audit.contains("Informant Zero"))
        }
    }

    @Test(
        "import: Open Referral's organizations, duplicates listed or merged, a vCard of people with their organisations, Bearing's own export read back",
        arguments: TestDatabases.kinds)
    func importAndExport(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let scope = AccessPolicy.unnamedOperatorScope(in: fixture.operation.id)
            let browser = try await Browser.signedIn(app, fixture.users[.migrationCoordinator]!)
            _ = try await browser.get(Self.code + "/stakeholders/import")
            let orgs = try Data(contentsOf: SharedData.url("hsds/v1.1-sample/organizations.csv"))
            // Untyped and no default: every row refused by field, nothing stored.
            let untyped = try await browser.postMultipart(
                Self.code + "/stakeholders/import", [:], file: (filename: "organizations.csv", data: orgs))
            #expect(
                untyped.body.contains("10 not imported")
                    && untyped.body.contains("line 2 (Sanctuary Example City): actor_type"))
            #expect(try await StakeholderStore(app.db).count(in: scope) == 0)
            let first = try await browser.postMultipart(
                Self.code + "/stakeholders/import", ["default_type": "nngo", "default_topic": "migration"],
                file: (filename: "organizations.csv", data: orgs))
            #expect(first.body.contains("10 added"), "\(first.body)")
            #expect(first.body.contains("Not read: alternate_name, description"))
            let again = try await browser.postMultipart(
                Self.code + "/stakeholders/import", ["default_type": "nngo"],
                file: (filename: "organizations.csv", data: orgs))
            #expect(again.body.contains("0 added") && again.body.contains("is already in the registry"))
            let merged = try await browser.postMultipart(
                Self.code + "/stakeholders/import", ["default_type": "nngo", "merge": "1"],
                file: (filename: "organizations.csv", data: orgs))
            #expect(merged.body.contains("0 added") && merged.body.contains("10 unchanged"), "\(merged.body)")
            #expect(try await StakeholderStore(app.db).count(in: scope) == 10)
            // A file naming one organisation twice: said, and merged when asked.
            let twice = Data(
                "name,acronym,actor_type,email\nUN Refugee Agency,UNHCR,un_agency,a@unhcr.example\nUN refugee agency,,un_agency,b@unhcr.example\n"
                    .utf8)
            let said = try await browser.postMultipart(
                Self.code + "/stakeholders/import", [:], file: (filename: "twice.csv", data: twice))
            #expect(said.body.contains("line 3: “UN refugee agency” repeats line 2"))
            _ = try await browser.postMultipart(
                Self.code + "/stakeholders/import", ["merge": "1"], file: (filename: "twice.csv", data: twice))
            let unhcr = try #require(try await StakeholderStore(app.db).matching("UNHCR", in: scope).first)
            #expect(unhcr.draft.emails.sorted() == ["a@unhcr.example", "b@unhcr.example"])
            // A phone's vCard file: people, their organisations found (UNHCR) or added (INSO).
            let cards = [
                "BEGIN:VCARD", "VERSION:3.0", "FN:David Mwangi", "ORG:UNHCR", "TITLE:Senior Protection Officer",
                "TEL;TYPE=CELL:+249 912 555 020", "EMAIL:mwangi@unhcr.example", "END:VCARD",
                "BEGIN:VCARD", "VERSION:3.0", "FN:Claire Dubois", "ORG:International NGO Safety Organisation",
                "TEL;TYPE=CELL:+249 912 700 300", "END:VCARD",
            ].joined(separator: "\r\n")
            let vcf = try await browser.postMultipart(
                Self.code + "/stakeholders/import", ["default_type": "ingo", "default_topic": "both"],
                file: (filename: "phone.vcf", data: Data(cards.utf8)))
            #expect(vcf.body.contains("3 added"), "\(vcf.body)")
            #expect(vcf.body.contains("the organisation “International NGO Safety Organisation” was added"))
            let mwangi = try #require(try await StakeholderStore(app.db).matching("David Mwangi", in: scope).first)
            #expect(mwangi.draft.organisationID == unhcr.id && mwangi.draft.kind == .person)
            // Export as CSV: formulas defused, every entry, recorded; read back with a change, it updates.
            let csv = try await browser.get(Self.code + "/stakeholders/export?format=csv")
            #expect(csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            #expect(csv.body.contains("'+249 912 555 020, cell") && csv.body.contains("David Mwangi"))
            let lines = csv.body.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count == 1 + 14)
            let changed = lines.map {
                $0.contains("David Mwangi")
                    ? $0.replacingOccurrences(of: "Senior Protection Officer", with: "Head of Sub-Office") : $0
            }
            .joined(separator: "\r\n")
            let back = try await browser.postMultipart(
                Self.code + "/stakeholders/import", [:], file: (filename: "export.csv", data: Data(changed.utf8)))
            #expect(back.body.contains("0 added, 1 merged, 13 unchanged"), "\(back.body)")
            #expect(
                try await StakeholderStore(app.db).find(mwangi.id, in: scope)?.draft.position == "Head of Sub-Office")
            // vCard export reads back as the same people.
            let vcard = try await browser.get(Self.code + "/stakeholders/export?format=vcf&view=migration")
            #expect(vcard.headers.contentType?.description.hasPrefix("text/vcard") == true)
            #expect(vcard.body.contains("FN:David Mwangi") && vcard.body.contains("X-BEARING-ACTOR-TYPE:ingo"))
            let exports = try await AuditStore(app.db).entries(recordKind: "stakeholder_view", recordID: "export_vcf")
            #expect(exports.count == 1)
            // A file that is neither: refused whole, nothing changed.
            let junk = try await browser.postMultipart(
                Self.code + "/stakeholders/import", [:], file: (filename: "x.csv", data: Data("email\nx@y.z\n".utf8)))
            #expect(junk.status == .unprocessableEntity && junk.body.contains("no name column"))
            // Merging two entries by hand moves the people.
            let inso = try #require(
                try await StakeholderStore(app.db).matching("International NGO Safety Organisation", in: scope).first)
            _ = try await browser.post(
                Self.code + "/stakeholders",
                ["kind": "organisation", "name": "INSO", "actor_type": "ngo_security_platform"])
            let short = try #require(
                try await StakeholderStore(app.db).matching("INSO", in: scope).first { $0.id != inso.id })
            _ = try await browser.get(Self.code + "/stakeholders/\(inso.id.uuidString)")
            let done = try await browser.post(
                Self.code + "/stakeholders/\(inso.id.uuidString)/merge", ["into": "INSO"])
            #expect(done.status == .seeOther)
            #expect(try await StakeholderStore(app.db).find(inso.id, in: scope) == nil)
            let claire = try #require(try await StakeholderStore(app.db).matching("Claire Dubois", in: scope).first)
            #expect(claire.draft.organisationID == short.id)
            // An organisation and its people in one file, named by its name or its acronym: one organisation.
            let together = Data(
                "kind,name,acronym,actor_type,organisation\norganisation,Danish Refugee Council,DRC,ingo,\nperson,Sara Holm,,ingo,Danish Refugee Council\nperson,Omar Said,,ingo,DRC\n"
                    .utf8)
            let both = try await browser.postMultipart(
                Self.code + "/stakeholders/import", [:], file: (filename: "together.csv", data: together))
            #expect(both.body.contains("3 added") && !both.body.contains("was added"), "\(both.body)")
            let drc = try await StakeholderStore(app.db).matching("DRC", in: scope)
            #expect(drc.count == 1)
            for name in ["Sara Holm", "Omar Said"] {
                #expect(
                    try await StakeholderStore(app.db).matching(name, in: scope).first?.draft.organisationID
                        == drc.first?.id)
            }
        }
    }

    @Test(
        "meetings: attendees typed by name, the IFRC's representation, decisions and action points; overdue ones on the dashboard; participation by forum; the handover pack",
        arguments: TestDatabases.kinds)
    func meetings(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let scope = AccessPolicy.unnamedOperatorScope(in: fixture.operation.id)
            let store = StakeholderStore(app.db)
            let unhcr = try await store.create(
                Self.entry("UN Refugee Agency", acronym: "UNHCR"), scope: scope, actorID: nil, now: Date())
            _ = try await store.create(
                Self.entry("David Mwangi", kind: .person, organisation: unhcr.id), scope: scope, actorID: nil,
                now: Date())
            _ = try await store.create(Self.entry("UNICEF", acronym: "UNICEF"), scope: scope, actorID: nil, now: Date())
            let migrationUser = fixture.users[.migrationCoordinator]!
            let browser = try await Browser.signedIn(app, migrationUser)
            _ = try await browser.get(Self.code + "/meetings/new")
            let today = fixture.operation.time.calendarDay(Date())
            let yesterday = DateText.day(today.addingTimeInterval(-86_400)),
                nextWeek = DateText.day(today.addingTimeInterval(7 * 86_400))
            var form = [
                "kind": "sector", "forum": "Protection Sector, Gedaref",
                "held_on": DateText.day(today.addingTimeInterval(-5 * 86_400)),
                "attendees": "UNHCR\nDavid Mwangi (UNHCR)\nNobody We Know", "ifrc_represented": "yes",
                "decisions": "A joint protection desk at the HSP\nReferrals within 24 hours",
                "action_id[0]": "", "action_text[0]": "Share the weekly arrivals",
                "action_owner[0]": "user:" + migrationUser.id.uuidString,
                "action_due[0]": yesterday, "action_status[0]": "open", "action_done[0]": "",
                "action_id[1]": "", "action_text[1]": "", "action_owner[1]": "", "action_due[1]": "",
                "action_status[1]": "open", "action_done[1]": "",
                "action_id[2]": "", "action_text[2]": "Draft the pathway for separated children", "action_owner[2]": "",
                "action_due[2]": nextWeek, "action_status[2]": "open", "action_done[2]": "",
                "audience": "movement",
            ]
            let refused = try await browser.post(Self.code + "/meetings", form)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("“Nobody We Know” is not in the registry"))
            #expect(refused.body.contains("representative"), "represented, by nobody")
            #expect(refused.body.contains("Action 3: choose who carries it"))
            #expect(refused.body.contains("Share the weekly arrivals"), "what was typed is kept")
            form["attendees"] = "UNHCR\nDavid Mwangi (UNHCR)"
            form["representative_ids[0]"] = migrationUser.id.uuidString
            form["action_owner[2]"] = "stakeholder:" + unhcr.id.uuidString
            let created = try await browser.post(Self.code + "/meetings", form)
            #expect(created.status == .seeOther, "\(created.body)")
            let page = try await browser.get(try #require(created.location)).body
            #expect(page.contains("David Mwangi (UNHCR)") && page.contains("represented"))
            #expect(page.contains("A joint protection desk at the HSP") && page.contains("Draft the pathway"))
            let meeting = try #require(try await MeetingStore(app.db).all(in: scope).first)
            #expect(meeting.actions.count == 2 && meeting.draft.attendeeIDs.count == 2)
            // A second meeting of the same forum without the IFRC; a security cell.
            _ = try await MeetingStore(app.db).create(
                MeetingDraft(kind: .sector, forum: "protection sector, gedaref", heldOn: today, ifrcRepresented: false),
                scope: scope, actorID: migrationUser.id, now: Date())
            let participation = try await browser.get(Self.code + "/meetings/participation").body
            #expect(participation.contains("Protection Sector, Gedaref") && participation.contains("50%"))
            // The overdue action on the dashboard and in the list; marked done, it goes.
            let dashboard = try await browser.get(Self.code).body
            #expect(dashboard.contains("tile-action-points") && dashboard.contains("Share the weekly arrivals"))
            let overdue = try await browser.get(Self.code + "/action-points?show=overdue").body
            #expect(overdue.contains("Share the weekly arrivals") && !overdue.contains("Draft the pathway"))
            let action = try #require(meeting.actions.first { $0.text.hasPrefix("Share") })
            #expect(
                try await browser.post(Self.code + "/action-points/\(action.id.uuidString)/status", ["status": "done"])
                    .status == .seeOther)
            #expect(!(try await browser.get(Self.code).body.contains("Share the weekly arrivals")))
            // An edit keeps the action points' ids.
            let edit = try await browser.get(Self.code + "/meetings/\(meeting.id.uuidString)/edit")
            #expect(edit.body.contains("David Mwangi (UNHCR)") && edit.body.contains(action.id.uuidString))
            // The UNHCR entry's page lists the meeting and the action it carries.
            let entry = try await browser.get(Self.code + "/stakeholders/\(unhcr.id.uuidString)").body
            #expect(entry.contains("Protection Sector, Gedaref") && entry.contains("Draft the pathway"))
            // The handover pack: the network, owners, open actions and recent meetings, the view recorded.
            let pack = try await browser.get(Self.code + "/stakeholders/handover?weeks=4").body
            #expect(
                pack.contains("UNHCR") && pack.contains("Draft the pathway") && pack.contains("A joint protection desk")
            )
            #expect(pack.contains("unrefugeeagency@example.org") && pack.contains("David Mwangi"))
            #expect(
                try await AuditStore(app.db).entries(recordKind: "stakeholder_view", recordID: "handover").count == 1)
            // Staff record meetings too, and change only their own.
            let staff = try await Browser.signedIn(app, fixture.users[.staff]!)
            _ = try await staff.get(Self.code + "/meetings/new")
            #expect(
                try await staff.post(Self.code + "/meetings/\(meeting.id.uuidString)/edit", ["notes": "x"]).status
                    == .forbidden)
            #expect(
                try await staff.post(Self.code + "/meetings/\(meeting.id.uuidString)/delete", [:]).status == .forbidden)
        }
    }

    @Test(
        "an attendee and an action owner the editor may not see stay hidden from them and stay stored through their edit",
        arguments: TestDatabases.kinds)
    func hiddenAttendees(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let security = fixture.users[.securityCoordinator]!
            let securityScope = try #require(
                AccessPolicy.scope(in: fixture.operation.id, for: try await fixture.viewer(app, security)))
            let store = StakeholderStore(app.db)
            let secret = try await store.create(
                Self.entry(
                    "Source Kilo", kind: .person, type: .communityLeader, audience: .restricted, owner: security.id),
                scope: securityScope, actorID: security.id, now: Date())
            let inso = try await store.create(
                Self.entry("INSO"), scope: securityScope, actorID: security.id, now: Date())
            let meeting = try await MeetingStore(app.db).create(
                MeetingDraft(
                    kind: .insoBriefing, forum: "INSO briefing", heldOn: fixture.operation.time.calendarDay(Date()),
                    attendeeIDs: [inso.id, secret.id], ifrcRepresented: true, representativeIDs: [security.id],
                    actions: [
                        MeetingActionDraft(
                            text: "Check the road report with the source", owner: .stakeholder(secret.id),
                            dueOn: Date().addingTimeInterval(86_400)),
                        MeetingActionDraft(
                            text: "Circulate the briefing", owner: .member(security.id),
                            dueOn: Date().addingTimeInterval(86_400)),
                    ], audience: .ifrcOnly),
                scope: securityScope, actorID: security.id, now: Date())
            let heops = try await Browser.signedIn(app, fixture.users[.headOfOperations]!)
            let page = try await heops.get(Self.code + "/meetings/\(meeting.id.uuidString)").body
            #expect(page.contains("INSO") && !page.contains("Source Kilo") && !page.contains(secret.id.uuidString))
            #expect(page.contains("Check the road report"), "the action is the meeting's; its owner is not named")
            let edit = try await heops.get(Self.code + "/meetings/\(meeting.id.uuidString)/edit").body
            #expect(!edit.contains("Source Kilo") && !edit.contains(secret.id.uuidString))
            #expect(!edit.contains("Check the road report") && edit.contains("Circulate the briefing"))
            let version = EditVersion.token(
                try #require(try await MeetingStore(app.db).find(meeting.id, in: securityScope)).updatedAt)
            let saved = try await heops.post(
                Self.code + "/meetings/\(meeting.id.uuidString)/edit",
                [
                    "notes": "Roads north closed after dark.", "attendees": "INSO", "version": version,
                    "action_id[0]": meeting.actions.first { $0.text.hasPrefix("Circulate") }!.id.uuidString,
                    "action_text[0]": "Circulate the briefing to all staff",
                    "action_owner[0]": "user:" + security.id.uuidString,
                    "action_due[0]": DateText.day(Date().addingTimeInterval(86_400)), "action_status[0]": "open",
                    "action_done[0]": "",
                    "ifrc_represented": "yes", "representative_ids[0]": security.id.uuidString,
                ])
            #expect(saved.status == .seeOther, "\(saved.body)")
            let after = try #require(try await MeetingStore(app.db).find(meeting.id, in: securityScope))
            #expect(Set(after.draft.attendeeIDs) == [inso.id, secret.id])
            #expect(
                after.actions.map(\.text).sorted() == [
                    "Check the road report with the source", "Circulate the briefing to all staff",
                ])
            #expect(after.actions.first { $0.text.hasPrefix("Check") }?.owner == .stakeholder(secret.id))
            // The API says the same to each.
            let headers = try await PopulationAPITests().token(app, fixture.users[.headOfOperations]!)
            let json = try await heops.get(
                "/api/v1" + Self.code + "/meetings/\(meeting.id.uuidString)", headers: headers
            ).body
            #expect(!json.contains(secret.id.uuidString) && json.contains(inso.id.uuidString))
        }
    }

    @Test(
        "the API: entries, meetings and action points as documented; an attendee from another operation, a stale version and a partner are refused",
        arguments: TestDatabases.kinds)
    func api(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let other = try await OperationStore(app.db).create(
                try OperationDraft(code: "SDN-OTHER", name: "Other", countries: ["SDN"]).validated(), heopsUserID: nil,
                actorID: nil, now: Date())
            let browser = Browser(app)
            let spec = try OpenAPIValidator(data: Data(try await browser.get("/api/v1/openapi.json").body.utf8))
            let api = PopulationAPITests()
            var headers = try await api.token(app, fixture.users[.securityCoordinator]!)
            headers.contentType = .json
            let base = "/api/v1" + Self.code
            let created = try await browser.json(
                .POST, base + "/stakeholders", headers: headers,
                [
                    "name": "INSO", "actor_type": "ngo_security_platform", "topic": "security", "influence": 3,
                    "emails": ["north@inso.example"], "phones": ["+249 912 700 300, cell"],
                ])
            #expect(created.status == .created, "\(created.body)")
            try api.check(spec, created, "post", "/operations/{code}/stakeholders")
            let id = try #require(created.location?.split(separator: "/").last.map(String.init))
            let list = try await browser.get(base + "/stakeholders?view=security", headers: headers)
            try api.check(spec, list, "get", "/operations/{code}/stakeholders")
            #expect(
                list.body.contains("INSO") && !list.body.contains("north@inso.example"), "contacts on one entry only")
            let one = try await browser.get(base + "/stakeholders/\(id)", headers: headers)
            try api.check(spec, one, "get", "/operations/{code}/stakeholders/{id}")
            #expect(one.body.contains("north@inso.example"))
            let bad = try await browser.json(
                .POST, base + "/stakeholders", headers: headers, ["name": "X", "actor_type": "spy_agency"])
            #expect(bad.status == .unprocessableEntity && bad.body.contains("actor_type"))
            try api.check(spec, bad, "post", "/operations/{code}/stakeholders")
            // If-Match: a change based on an old version is refused.
            var stale = headers
            stale.replaceOrAdd(name: .ifMatch, value: "\"0\"")
            #expect(
                try await browser.json(.PATCH, base + "/stakeholders/\(id)", headers: stale, ["position": "x"]).status
                    == .preconditionFailed)
            var fresh = headers
            fresh.replaceOrAdd(name: .ifMatch, value: one.headers.first(name: .eTag) ?? "")
            let patched = try await browser.json(
                .PATCH, base + "/stakeholders/\(id)", headers: fresh, ["relation": "coordination_member"])
            #expect(patched.status == .ok)
            try api.check(spec, patched, "patch", "/operations/{code}/stakeholders/{id}")
            #expect(
                try await StakeholderStore(app.db).find(
                    StakeholderID(UUID(uuidString: id)!),
                    in: AccessPolicy.unnamedOperatorScope(in: fixture.operation.id))?.draft.emails == [
                        "north@inso.example"
                    ], "a field left out keeps its value")
            // An attendee from another operation is refused by field, and says nothing of it.
            let foreign = try await StakeholderStore(app.db).create(
                Self.entry("Foreign Ministry"), scope: AccessPolicy.unnamedOperatorScope(in: other.id), actorID: nil,
                now: Date())
            let meeting: [String: AnyCodable] = [
                "kind": "inso_briefing", "forum": "INSO briefing, Kassala", "held_on": .init(DateText.day(Date())),
                "ifrc_represented": true,
                "representative_ids": .init([fixture.users[.securityCoordinator]!.id.uuidString]),
                "attendee_ids": .init([id, foreign.id.uuidString]),
                "actions": .init([["text": "Share the road map", "owner": "stakeholder:" + id, "due_on": "2020-01-01"]]
                ),
            ]
            let refused = try await browser.json(.POST, base + "/meetings", headers: headers, meeting)
            #expect(refused.status == .unprocessableEntity && refused.body.contains("attendee_ids"))
            #expect(!refused.body.contains("Foreign Ministry"))
            var good = meeting
            good["attendee_ids"] = .init([id])
            let made = try await browser.json(.POST, base + "/meetings", headers: headers, good)
            #expect(made.status == .created, "\(made.body)")
            try api.check(spec, made, "post", "/operations/{code}/meetings")
            let meetings = try await browser.get(base + "/meetings?from=2020-01-01", headers: headers)
            try api.check(spec, meetings, "get", "/operations/{code}/meetings")
            #expect(try await browser.get(base + "/meetings?from=yesterday", headers: headers).status == .badRequest)
            let actions = try await browser.get(base + "/action-points?overdue=true", headers: headers)
            try api.check(spec, actions, "get", "/operations/{code}/action-points")
            #expect(actions.body.contains("Share the road map") && actions.body.contains("\"overdue\":true"))
            let actionID = try #require(
                try await MeetingStore(app.db).actions(in: AccessPolicy.unnamedOperatorScope(in: fixture.operation.id))
                    .first?.id)
            let done = try await browser.json(
                .PATCH, base + "/action-points/\(actionID.uuidString)", headers: headers, ["status": "done"])
            #expect(done.status == .ok && done.body.contains("\"status\":\"done\""))
            try api.check(spec, done, "patch", "/operations/{code}/action-points/{id}")
            // A partner reads none of it.
            let partner = try await api.token(app, fixture.users[.partner]!)
            for path in ["/stakeholders", "/stakeholders/\(id)", "/meetings", "/action-points"] {
                let answer = try await browser.get(base + path, headers: partner)
                #expect(answer.status == .forbidden, "\(path)")
                #expect(!answer.body.contains("INSO"))
            }
            // Staff read but do not keep the registry.
            var staff = try await api.token(app, fixture.users[.staff]!)
            staff.contentType = .json
            #expect(
                try await browser.json(
                    .POST, base + "/stakeholders", headers: staff, ["name": "X", "actor_type": "ingo"]
                ).status == .forbidden)
        }
    }

    @Test("the command line imports and exports the registry, CSV and vCard, with the file's problems said by line")
    func commandLine() throws {
        let (folder, run, stdout) = PopulationCommandLineTests.session()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try run("migrate").code == 0)
        #expect(try run("operations", "create", "--code", "NET-1", "--name", "Network", "--countries", "SDN").code == 0)
        let file = SharedData.url("hsds/v1.1-sample/organizations.csv").path
        let untyped = try run("import", "stakeholders", file, "--operation", "NET-1")
        #expect(untyped.out.contains("0 added") && untyped.out.contains("line 2 (Sanctuary Example City): actor_type"))
        let first = try run(
            "import", "stakeholders", file, "--operation", "NET-1", "--type", "nngo", "--topic", "migration")
        #expect(first.code == 0 && first.out.contains("10 added"))
        let again = try run("import", "stakeholders", file, "--operation", "NET-1", "--type", "nngo")
        #expect(again.out.contains("is already in the registry"))
        #expect(try run("import", "stakeholders", file, "--operation", "NET-1", "--type", "spies").code != 0)
        let csv = try stdout("export", "stakeholders", "--operation", "NET-1", "--format", "csv", "--view", "migration")
        #expect(csv.hasPrefix("id,kind,name,") && csv.contains("Sanctuary Example City"))
        let vcf = try stdout("export", "stakeholders", "--operation", "NET-1", "--format", "vcf")
        #expect(vcf.components(separatedBy: "BEGIN:VCARD").count == 11)
        let cards = folder.appendingPathComponent("network.vcf")
        try Data(vcf.utf8).write(to: cards)
        let back = try run("import", "stakeholders", cards.path, "--operation", "NET-1")
        #expect(back.code == 0 && back.out.contains("10 unchanged"), "\(back.out)")
    }
}
