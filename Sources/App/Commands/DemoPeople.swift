import Domain
import Foundation
import Persistence
import Vapor

/// The demo's personnel register: 40 people across the demo's offices, residences and camps, as a
/// Security Coordinator would have them months into the operation. Most confirmed their location
/// within hours; a few are stale, a few were never located, one has left; the demo accounts have
/// their own records; a roll-call of Kassala is in progress after a security incident there.
enum DemoPeople {
    /// Name, category, origin, function, site where they are (nil: never located), hours since confirmed.
    static let people: [(String, PersonCategory, StaffOrigin, String, String?, Double)] = [
        (
            "Hana Osman", .ifrcStaff, .international, "Head of Emergency Operations",
            "IFRC Country Delegation, Port Sudan", 2
        ),
        ("Samuel Okello", .delegate, .international, "Security Coordinator", "IFRC Country Delegation, Port Sudan", 1),
        (
            "Mariam Haddad", .surge, .international, "Migration & Displacement Coordinator",
            "Staff Guesthouse Port Sudan", 5
        ),
        ("Tomás Rivera", .delegate, .international, "Logistics Delegate", "Logistics Hub Port Sudan", 3),
        ("Fatima Idris", .nationalSocietyStaff, .national, "SRCS Focal Point", "SRCS Branch Khartoum", 6),
        ("Anna Berg", .visitor, .international, "Head of GSU (mission)", "Staff Guesthouse Port Sudan", 4),
        ("Ahmed Elbashir", .ifrcStaff, .national, "Driver", "IFRC Country Delegation, Port Sudan", 1),
        ("Khalid Yousif", .ifrcStaff, .national, "Radio Operator", "IFRC Country Delegation, Port Sudan", 0.5),
        ("Amira Salih", .ifrcStaff, .national, "Finance Officer", "IFRC Country Delegation, Port Sudan", 3),
        ("Omer Abdelrahman", .ifrcStaff, .national, "Field Officer", "IFRC Sub-office Kassala", 2),
        ("Nour Hassan", .nationalSocietyVolunteer, .national, "RFL Volunteer", "Humanitarian Service Point Kassala", 7),
        ("Ingrid Larsen", .surge, .international, "ERU Health Team Leader", "Shagarab Camp", 8),
        ("Pierre Lambert", .delegate, .international, "WASH Delegate", "Staff Residence Kassala", 30),
        ("Grace Wanjiru", .surge, .international, "RDRT Shelter Officer", "Um Rakuba Camp", 9),
        ("Yasir Mohamed", .nationalSocietyStaff, .national, "Branch Coordinator", "SRCS Branch El Obeid", 40),
        ("Selma Ibrahim", .nationalSocietyVolunteer, .national, "PSS Volunteer", "Kosti Gathering Site", 5),
        ("David Chen", .consultant, .international, "IM Consultant", "IFRC Country Delegation, Port Sudan", 2),
        ("Lucía Fernández", .delegate, .international, "Health Delegate", "Port Sudan Teaching Hospital", 4),
        ("Musa Adam", .ifrcStaff, .national, "Driver", "IFRC Sub-office Kassala", 2),
        ("Hawa Ali", .nationalSocietyVolunteer, .national, "Flow Monitoring Enumerator", "FMP Gallabat", 6),
        ("Ibrahim Dafalla", .nationalSocietyVolunteer, .national, "Flow Monitoring Enumerator", "FMP Argeen", 26),
        ("Sara Bakri", .nationalSocietyStaff, .national, "Protection Officer", "Wadi Halfa Transit Centre", 10),
        ("John Mwangi", .surge, .international, "FACT Member", "IFRC Sub-office Kosti", 3),
        ("Eva Novak", .delegate, .international, "PMER Delegate", "Staff Guesthouse Port Sudan", 11),
        ("Abdallah Nur", .ifrcStaff, .national, "Security Assistant", "IFRC Sub-office Kassala", 1),
        ("Rania Taha", .ifrcStaff, .national, "HR Officer", "IFRC Country Delegation, Port Sudan", 4),
        ("Mohamed Suliman", .nationalSocietyStaff, .national, "Branch Director", "SRCS Branch Atbara", 50),
        ("Aisha Garang", .nationalSocietyVolunteer, .national, "First Aid Volunteer", "Gallabat Transit Centre", 7),
        ("Hamid Osman", .ifrcStaff, .national, "Warehouse Keeper", "Warehouse Gedaref", 5),
        ("Layla Mahmoud", .nationalSocietyVolunteer, .national, "CEA Volunteer", "Port Sudan Reception Centre", 3),
        ("Peter Schmidt", .surge, .international, "ERU Logistics", "Logistics Hub Port Sudan", 2),
        ("Nadia Karim", .delegate, .international, "Cash Delegate", "Staff Residence Kassala", 8),
        ("Babiker Hassan", .ifrcStaff, .national, "Driver", "IFRC Sub-office Kosti", 2),
        ("Zainab Musa", .nationalSocietyVolunteer, .national, "RFL Volunteer", "Shagarab Camp", 9),
        ("Tariq Awad", .ifrcStaff, .national, "Field Officer", "Um Rakuba Camp", 28),
        ("Claire Dubois", .visitor, .international, "PNS Desk Officer (visit)", nil, 0),
        ("Osman Fadl", .nationalSocietyVolunteer, .national, "Volunteer Driver", nil, 0),
        ("Maria Rossi", .consultant, .international, "Evaluation Consultant", nil, 0),
        ("Hussein Omer", .ifrcStaff, .national, "Security Guard", "Staff Guesthouse Port Sudan", 12),
        ("Jamal Eldin", .ifrcStaff, .national, "Mechanic", "Logistics Hub Port Sudan", 6),
    ]

    /// Which demo account is which person.
    static let accounts: [String: String] = [
        "Hana Osman": "heops@demo.bearing.test", "Samuel Okello": "security@demo.bearing.test",
        "Mariam Haddad": "migration@demo.bearing.test", "Tomás Rivera": "staff@demo.bearing.test",
        "Fatima Idris": "ns@demo.bearing.test", "Anna Berg": "gsu@demo.bearing.test",
    ]

    /// Who manages a team (SCM required in Orange and Red).
    static let managers: Set<String> = [
        "Hana Osman", "Samuel Okello", "Mariam Haddad", "Omer Abdelrahman", "Ingrid Larsen", "Mohamed Suliman",
    ]
    /// Newcomers: arrived hours ago, not yet briefed (one past the 24 hours).
    static let newcomers: [String: Double] = ["John Mwangi": 10, "David Chen": 30, "Claire Dubois": 5]

    static func load(
        _ app: Application, operation: OperationRecord, coordinator: UserID, accountIDs: [String: UserID],
        sites: [SiteRecord], now: Date
    ) async throws {
        let db = app.db
        let scope = AccessPolicy.operatorPersonnelScope(in: operation.id)
        guard try await PersonStore(db).all(in: scope, filter: .init(includeLeft: true)).isEmpty else { return }
        func site(_ name: String?) -> SiteRecord? { name.flatMap { n in sites.first { $0.name == n } } }
        let hour: TimeInterval = 3_600
        let residences = ["Staff Guesthouse Port Sudan", "Staff Residence Kassala"]
        for (index, entry) in people.enumerated() {
            let (name, category, origin, function, at, hoursAgo) = entry
            let slug = name.lowercased().folding(options: .diacriticInsensitive, locale: nil)
                .replacingOccurrences(of: " ", with: ".")
            let international = origin == .international
            var phones = [
                PhoneNumber(
                    kind: .mobile, reading: "09\(String(format: "%d", 12_000_000 + index * 7_919))", country: "SDN")
            ]
            if international && index % 3 == 0 {
                phones.append(
                    PhoneNumber(
                        kind: .satellite, reading: "+8821 6\(String(format: "%08d", 40_000_000 + index))",
                        country: nil))
            }
            let residence =
                international ? site(residences[index % 2]) : nil
            let draft = try PersonDraft(
                fullName: name, category: category,
                organisation: [.nationalSocietyStaff, .nationalSocietyVolunteer].contains(category) ? "SRCS" : "IFRC",
                function: function, origin: origin,
                languages: international ? ["English", "French"] : ["Arabic", "English"],
                phones: phones, radioCallSign: index % 4 == 0 ? "ALPHA \(index + 1)" : "",
                email: category == .nationalSocietyVolunteer ? nil : "\(slug)@demo.bearing.test",
                emergencyContactName: "Family contact", emergencyContactPhone: nil,
                arrivalAt: now.addingTimeInterval(-(newcomers[name] ?? Double(20 + index * 3) * 24) * hour),
                plannedDepartureAt: international ? now.addingTimeInterval(Double(30 + index) * 24 * hour) : nil,
                residenceSiteID: residence?.id,
                assemblyPointSiteID: site(
                    residence?.name == residences[1] ? "IFRC Sub-office Kassala" : "IFRC Country Delegation, Port Sudan"
                )?.id,
                relocationGroup: international ? (residence?.name == residences[1] ? "Kassala A" : "Port Sudan A") : "",
                relocationPriority: international ? 1 + index % 3 : nil,
                userID: accounts[name].flatMap { accountIDs[$0] },
                externalID: "DEMO-\(String(format: "%03d", index + 1))", manager: managers.contains(name),
                relocation: international ? .relocates : .stays
            ).validated()
            let person = try await PersonStore(db).create(
                draft, scope: scope, now: now.addingTimeInterval(-30 * 24 * hour))
            if let place = site(at) {
                let by = accounts[name].flatMap { accountIDs[$0] }
                _ = try await PersonStore(db).confirmLocation(
                    of: person.id, place: .site(place.id), areaPcode: place.areaPcode,
                    source: by == nil ? .radioRoom : .person, note: "",
                    scope: by.map { AccessPolicy.operatorPersonnelScope(in: operation.id).acting(as: $0) }
                        ?? scope.acting(as: coordinator),
                    now: now.addingTimeInterval(-hoursAgo * hour))
            }
            if name == "Maria Rossi" {
                try await PersonStore(db).setLeft(
                    person.id, left: true, scope: scope, now: now.addingTimeInterval(-48 * hour))
            }
        }
        try await readiness(app, operation: operation, coordinator: coordinator, now: now)
        try await movements(
            app, operation: operation, coordinator: coordinator, accountIDs: accountIDs, sites: sites, now: now)
        // After the incident near Kassala: the coordinator calls everyone there.
        let call = try await RollCallStore(db).open(
            areaPcode: "SD11", reason: "Shooting reported near the Kassala road checkpoint; everyone in Kassala State.",
            scope: scope.acting(as: coordinator), now: now.addingTimeInterval(-40 * 60))
        for (offset, line) in call.lines.enumerated() where offset < 4 {
            try await RollCallStore(db).answer(
                offset == 2 ? .needsHelp : .safe, for: line.personID, in: call.id,
                note: offset == 2 ? "Car broke down on the Shagarab road; driver sent." : "",
                scope: scope.acting(as: coordinator),
                now: now.addingTimeInterval(-Double(30 - offset * 5) * 60))
        }
    }

    /// Briefings at arrival (not the newcomers), Stay Safe for most, SCM for the managers (one
    /// lapsed), HEAT for some delegates, documents and grab bags for half, the Port Sudan group
    /// briefed on the relocation plan.
    static func readiness(_ app: Application, operation: OperationRecord, coordinator: UserID, now: Date) async throws {
        let scope = AccessPolicy.operatorPersonnelScope(in: operation.id).acting(as: coordinator)
        let store = ReadinessStore(app.db)
        let training = TrainingSettings.defaults
        let day: TimeInterval = 86_400
        let relocationVersion = try await PlanStore(app.db).current(in: operation.id)[.relocation]?.approved?.version
        for (index, person) in try await PersonStore(app.db).all(in: scope).enumerated() {
            let name = person.draft.fullName
            if newcomers[name] == nil, let arrival = person.draft.arrivalAt {
                _ = try await store.recordBriefing(
                    Briefing(kind: .arrival, givenAt: arrival.addingTimeInterval(3 * 3_600), givenBy: "Samuel Okello"),
                    for: person.id, scope: scope, now: now)
            }
            func completed(_ course: String, daysAgo: Double, evidence: String) async throws {
                let on = AnalysisPeriods.calendar.startOfDay(for: now.addingTimeInterval(-daysAgo * day))
                try await store.recordTraining(
                    TrainingRecord(
                        course: course, completedOn: on, expiresOn: training.expiry(of: course, completedOn: on),
                        evidence: evidence), for: person.id, scope: scope, now: now)
            }
            if !["Nour Hassan", "Abdallah Nur", "Hussein Omer", "David Chen"].contains(name) {
                try await completed(
                    "stay_safe_personal", daysAgo: Double(60 + index * 11),
                    evidence: "IFRC Learning Platform certificate")
            }
            if managers.contains(name) {
                // Samuel's SCM lapsed two months ago.
                try await completed(
                    "scm", daysAgo: name == "Samuel Okello" ? 425 : 120, evidence: "GSU SCM course, Nairobi")
            }
            if person.draft.origin == .international && index % 2 == 0 {
                try await completed("heat", daysAgo: 300, evidence: "HEAT, Geneva")
            }
            if index % 2 == 0 {
                try await store.confirmGrabBag(
                    of: person.id, scope: scope, now: now.addingTimeInterval(-Double(index) * day))
            }
            if person.draft.relocationGroup == "Port Sudan A" {
                _ = try await store.recordBriefing(
                    Briefing(
                        kind: .relocationPlan, givenAt: now.addingTimeInterval(-10 * day), givenBy: "Samuel Okello",
                        planVersion: relocationVersion), for: person.id, scope: scope, now: now)
            }
        }
        _ = try await store.recordSession(
            TrainingSession(
                topic: "Stay Safe: personal security for branch volunteers", heldOn: now.addingTimeInterval(-12 * day),
                place: "SRCS Branch Kassala", trainers: "Samuel Okello, Abdallah Nur",
                participants: [
                    .init(nationalSociety: "Sudanese Red Crescent Society", female: 11, male: 14, other: 0)
                ]), scope: scope, now: now)
        _ = try await store.recordSession(
            TrainingSession(
                topic: "Incident reporting and radio procedures", heldOn: now.addingTimeInterval(-5 * day),
                place: "SRCS Branch El Obeid", trainers: "Samuel Okello",
                participants: [
                    .init(nationalSociety: "Sudanese Red Crescent Society", female: 6, male: 9, other: 1),
                    .init(nationalSociety: "Qatar Red Crescent", female: 1, male: 2, other: 0),
                ]), scope: scope, now: now)
    }

    /// Two movements on the road (one overdue), one waiting for the Security Coordinator's
    /// approval through Orange Khartoum, and one refused (a newcomer not yet briefed).
    static func movements(
        _ app: Application, operation: OperationRecord, coordinator: UserID, accountIDs: [String: UserID],
        sites: [SiteRecord], now: Date
    ) async throws {
        let scope = AccessPolicy.operatorPersonnelScope(in: operation.id).acting(as: coordinator)
        let people = try await PersonStore(app.db).all(in: scope)
        func person(_ name: String) -> PersonID { people.first { $0.draft.fullName == name }!.id }
        func site(_ name: String) -> RoutePoint {
            RoutePoint(site: sites.first { $0.name == name }!.id)
        }
        func areas(_ route: [RoutePoint]) -> [String] {
            var out: [String] = []
            for point in route {
                if let area = sites.first(where: { $0.id == point.siteID })?.areaPcode ?? point.areaPcode,
                    !out.contains(area)
                {
                    out.append(area)
                }
            }
            return out
        }
        func request(_ draft: MovementDraft, as actor: UserID, at: Date) async throws -> MovementRecord {
            let requester = AccessPolicy.operatorPersonnelScope(in: operation.id).acting(as: actor)
            let route = areas(draft.route)
            let decision = try await MovementService.decide(draft, areas: route, scope: requester, on: app.db)
            return try await MovementStore(app.db).request(
                draft, decision: decision, routeAreas: route, scope: requester, now: at)
        }
        let hour: TimeInterval = 3_600
        let store = MovementStore(app.db)
        // 1: Kassala to Shagarab camp; departed three hours ago, due ninety minutes ago: overdue.
        let overdue = try await request(
            try MovementDraft(
                purpose: "Health post supervision at Shagarab",
                passengers: [person("Omer Abdelrahman"), person("Ingrid Larsen")],
                driver: person("Musa Adam"), vehicles: "Land Cruiser KSL-114 (white, emblem)",
                route: [site("IFRC Sub-office Kassala"), site("Checkpoint Kassala road km 12"), site("Shagarab Camp")],
                departureAt: now.addingTimeInterval(-3 * hour), expectedArrivalAt: now.addingTimeInterval(-1.5 * hour),
                radioChannel: "VHF channel 4, call sign KASSALA BASE", satellitePhone: "+8821 6400 00012"
            ).validated(), as: coordinator, at: now.addingTimeInterval(-20 * hour))
        _ = try await store.checkIn(
            .departed, waypoint: nil, latitude: nil, longitude: nil, areaPcode: nil, note: "", source: .radioRoom,
            of: overdue.id, scope: scope, now: now.addingTimeInterval(-3 * hour))
        _ = try await store.checkIn(
            .waypoint, waypoint: 1, latitude: nil, longitude: nil, areaPcode: nil,
            note: "Through the checkpoint, slow.",
            source: .radioRoom, of: overdue.id, scope: scope, now: now.addingTimeInterval(-2.5 * hour))
        // 2: the port to the logistics hub; departed half an hour ago.
        let road = try await request(
            try MovementDraft(
                purpose: "Collect the ERU cargo manifest", passengers: [person("Tomás Rivera")],
                driver: person("Ahmed Elbashir"),
                vehicles: "Hilux PSD-207",
                route: [site("IFRC Country Delegation, Port Sudan"), site("Logistics Hub Port Sudan")],
                departureAt: now.addingTimeInterval(-0.5 * hour), expectedArrivalAt: now.addingTimeInterval(1.5 * hour),
                radioChannel: "VHF channel 2"
            ).validated(), as: coordinator, at: now.addingTimeInterval(-3 * hour))
        _ = try await store.checkIn(
            .departed, waypoint: nil, latitude: nil, longitude: nil, areaPcode: nil, note: "", source: .traveller,
            of: road.id, scope: scope.acting(as: accountIDs["staff@demo.bearing.test"]),
            now: now.addingTimeInterval(-0.5 * hour))
        // 3: into Orange Khartoum: the travel briefings given, waiting for the Security Coordinator.
        if let migration = accountIDs["migration@demo.bearing.test"] {
            let readiness = ReadinessStore(app.db)
            for name in ["Mariam Haddad", "Eva Novak", "Jamal Eldin"] {
                _ = try await readiness.recordBriefing(
                    Briefing(
                        kind: .travel, givenAt: now.addingTimeInterval(-20 * hour), givenBy: "RSC Africa (call)",
                        areaPcode: "SD01"),
                    for: person(name), scope: scope, now: now)
            }
            _ = try await request(
                try MovementDraft(
                    purpose: "Meet UNHCR and the SRCS branch on returns",
                    passengers: [person("Mariam Haddad"), person("Eva Novak")],
                    driver: person("Jamal Eldin"), vehicles: "Land Cruiser PSD-031",
                    route: [
                        site("IFRC Country Delegation, Port Sudan"), site("SRCS Branch Atbara"),
                        site("SRCS Branch Khartoum"),
                    ],
                    departureAt: now.addingTimeInterval(20 * hour),
                    expectedArrivalAt: now.addingTimeInterval(32 * hour),
                    radioChannel: "HF 7.645 MHz", satellitePhone: "+8821 6400 00031"
                ).validated(), as: migration, at: now.addingTimeInterval(-2 * hour))
        }
        // 4: a newcomer not yet briefed: refused, with the reason.
        _ = try await request(
            try MovementDraft(
                purpose: "Visit the Gedaref warehouse", passengers: [person("David Chen")],
                driver: person("Hamid Osman"),
                route: [site("IFRC Country Delegation, Port Sudan"), site("Warehouse Gedaref")],
                departureAt: now.addingTimeInterval(4 * hour), expectedArrivalAt: now.addingTimeInterval(14 * hour)
            ).validated(), as: coordinator, at: now.addingTimeInterval(-1 * hour))
    }
}
