import Domain
import Fluent
import Foundation
import Geo
import Persistence
import Vapor

/// A realistic demo: a Sudan operation with boundaries, sites of every kind and one account per role.
/// Loading it twice changes nothing.
enum Demo {
    static let operationCode = "SDN-DEMO"

    struct Account { let email: String; let password: String; let name: String; let role: Role?; let isAdmin: Bool }

    static let accounts: [Account] = [
        Account(
            email: "admin@demo.bearing.test", password: "bearing-demo-admin", name: "Demo Administrator", role: nil,
            isAdmin: true),
        Account(
            email: "heops@demo.bearing.test", password: "bearing-demo-heops", name: "Hana Osman (HeOps)",
            role: .headOfOperations, isAdmin: false),
        Account(
            email: "security@demo.bearing.test", password: "bearing-demo-security", name: "Samuel Okello (Security)",
            role: .securityCoordinator, isAdmin: false),
        Account(
            email: "migration@demo.bearing.test", password: "bearing-demo-migration", name: "Mariam Haddad (Migration)",
            role: .migrationCoordinator, isAdmin: false),
        Account(
            email: "staff@demo.bearing.test", password: "bearing-demo-staff", name: "Tomás Rivera (Staff)",
            role: .staff, isAdmin: false),
        Account(
            email: "ns@demo.bearing.test", password: "bearing-demo-ns", name: "Fatima Idris (SRCS focal point)",
            role: .nationalSocietyFocalPoint, isAdmin: false),
        Account(
            email: "partner@demo.bearing.test", password: "bearing-demo-partner", name: "Jean Dupont (Partner)",
            role: .partner, isAdmin: false),
        // Approvers of the security phases (named to their authority in the operation by the demo).
        Account(
            email: "gsu@demo.bearing.test", password: "bearing-demo-gsu", name: "Anna Berg (Head of GSU)", role: .staff,
            isAdmin: false),
        Account(
            email: "rd@demo.bearing.test", password: "bearing-demo-rd", name: "Kofi Mensah (Regional Director)",
            role: .staff, isAdmin: false),
    ]

    /// Real towns (approximate public coordinates), one or more sites of each type.
    static let sites: [(String, SiteType, Double, Double, AudienceLevel)] = [
        ("IFRC Country Delegation, Port Sudan", .office, 19.6158, 37.2164, .movement),
        ("IFRC Sub-office Kassala", .office, 15.4510, 36.3999, .movement),
        ("IFRC Sub-office Kosti", .office, 13.1629, 32.6635, .movement),
        ("Logistics Hub Port Sudan", .warehouse, 19.5903, 37.1901, .ifrcAndNationalSociety),
        ("Warehouse Gedaref", .warehouse, 14.0354, 35.3834, .ifrcAndNationalSociety),
        ("Staff Guesthouse Port Sudan", .residence, 19.6020, 37.2250, .ifrcOnly),
        ("Staff Residence Kassala", .residence, 15.4600, 36.3900, .restricted),
        ("SRCS Branch Khartoum", .nationalSocietyBranch, 15.5007, 32.5599, .public),
        ("SRCS Branch El Obeid", .nationalSocietyBranch, 13.1843, 30.2167, .public),
        ("SRCS Branch Atbara", .nationalSocietyBranch, 17.7022, 33.9864, .public),
        ("Shagarab Camp", .camp, 15.0000, 36.0600, .movement),
        ("Um Rakuba Camp", .camp, 14.1150, 35.6780, .movement),
        ("Kosti Gathering Site", .camp, 13.1700, 32.6800, .movement),
        ("Wadi Halfa Transit Centre", .transitCentre, 21.7975, 31.3713, .movement),
        ("Gallabat Transit Centre", .transitCentre, 12.9620, 36.1530, .movement),
        ("Port Sudan Reception Centre", .receptionCentre, 19.6300, 37.2100, .movement),
        ("FMP Argeen", .flowMonitoringPoint, 21.9800, 31.3500, .ifrcAndNationalSociety),
        ("FMP Gallabat", .flowMonitoringPoint, 12.9600, 36.1500, .ifrcAndNationalSociety),
        ("FMP Renk road, Joda", .flowMonitoringPoint, 11.9400, 32.7300, .ifrcAndNationalSociety),
        ("Humanitarian Service Point Wadi Halfa", .humanitarianServicePoint, 21.8000, 31.3400, .public),
        ("Humanitarian Service Point Kassala", .humanitarianServicePoint, 15.4400, 36.4000, .public),
        ("Argeen border crossing (Egypt)", .borderCrossingLand, 21.9900, 31.3300, .public),
        ("Gallabat–Metema border crossing (Ethiopia)", .borderCrossingLand, 12.9580, 36.1550, .public),
        ("Port Sudan seaport", .borderCrossingSeaRiver, 19.6100, 37.2300, .public),
        ("Port Sudan New International Airport", .borderCrossingAir, 19.4336, 37.2341, .public),
        ("Checkpoint Kassala road km 12", .checkpoint, 15.3900, 36.3000, .ifrcOnly),
        ("Port Sudan Teaching Hospital", .healthFacility, 19.6150, 37.2200, .public),
        ("Kassala Teaching Hospital", .healthFacility, 15.4550, 36.4050, .public),
    ]

    static func isEmpty(_ db: any Database) async throws -> Bool {
        try await UserStore(db).list(page: Paging(page: 1, perPage: 1)).total == 0
    }

    /// Loads whatever of the demo is missing; returns the accounts to print.
    static func load(_ app: Application) async throws -> [Account] {
        let db = app.db
        let users = UserStore(db)
        var ids: [String: UserID] = [:]
        for account in accounts {
            if let existing = try await users.find(email: account.email) {
                ids[account.email] = existing.id
            } else {
                let hash = try await app.password.async.hash(account.password)
                ids[account.email] = try await users.create(
                    email: account.email, displayName: account.name, passwordHash: hash, isAdmin: account.isAdmin,
                    actorID: nil, now: app.wallClock.now()
                ).id
            }
        }
        let operations = OperationStore(db)
        let existing = try await operations.find(code: operationCode)
        let operation: OperationRecord
        if let existing {
            operation = existing
        } else {
            let draft = try OperationDraft(
                code: operationCode, name: "Sudan Complex Emergency (demo)", countries: ["SDN"],
                emergencyType: .complexEmergency, glideNumber: "CE-2023-000076-SDN", appealCode: "MDRSD033",
                startDate: DateText.day("2023-04-15"), timeZone: "Africa/Khartoum"
            ).validated()
            operation = try await operations.create(
                draft, heopsUserID: ids["heops@demo.bearing.test"], actorID: nil, now: app.wallClock.now())
        }
        for account in accounts {
            if let role = account.role, let id = ids[account.email] {
                try await operations.setMember(
                    operationID: operation.id, userID: id, role: role, actorID: nil, now: app.wallClock.now())
            }
        }
        if try await AreaStore(db).countsByLevel(operationID: operation.id).isEmpty {
            for level in ["sdn_admin0_demo", "sdn_admin1_demo"] {
                let path = BundledResources.directory + "Demo/\(level).geojson"
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                _ = try await BoundaryImportService(database: db).importFile(
                    data, level: nil, into: operation, actorID: nil, viewer: nil,
                    maxBytes: app.bearingConfig.maxUploadBytes, now: app.wallClock.now())
            }
        }
        guard let fresh = try await operations.find(id: operation.id) else { return accounts }
        // Sites are created by the demo Security Coordinator, and read back through that account's scope.
        guard let creator = ids["security@demo.bearing.test"], let coordinator = try await users.find(id: creator),
            let scope = AccessPolicy.scope(in: fresh.id, for: try await users.viewer(for: coordinator))
        else { return accounts }
        let existingSites = Set(try await SiteStore(db).all(in: scope).map(\.name))
        let shapes = try await AreaStore(db).shapes(operationID: fresh.id)
        let locator = AreaLocator(shapes.map { (id: $0.row.pcode, level: $0.row.level, geometry: $0.geometry) })
        for (name, type, lat, lon, audience) in sites where !existingSites.contains(name) {
            let draft = try SiteDraft(
                name: name, type: type, latitude: lat, longitude: lon, contactName: "Duty officer",
                contactPhone: "+249 91 000 0000", notes: "Demo site.", audience: audience
            ).validated()
            let grants =
                audience == .restricted
                ? SiteStore.Grants(roles: [.headOfOperations, .securityCoordinator]) : SiteStore.Grants()
            _ = try await SiteStore(db).create(
                draft, areaPcode: locator.locate(Coordinate(longitude: lon, latitude: lat)).first, grants: grants,
                in: fresh.id, actorID: creator, now: app.wallClock.now())
        }
        try await DemoIncidents.load(app, operation: fresh, creator: creator, scope: scope, now: app.wallClock.now())
        try await DemoRisks.load(app, operation: fresh, creator: creator, scope: scope, now: app.wallClock.now())
        if let heops = ids["heops@demo.bearing.test"], let gsu = ids["gsu@demo.bearing.test"],
            let director = ids["rd@demo.bearing.test"]
        {
            try await DemoPhases.load(
                app, operation: fresh, heops: heops, coordinator: creator, gsu: gsu, director: director,
                now: app.wallClock.now())
            try await DemoSecurityManagement.load(
                app, operation: fresh, heops: heops, coordinator: creator, scope: scope, now: app.wallClock.now())
        }
        if let migration = ids["migration@demo.bearing.test"] {
            try await DemoFlows.load(
                app, operation: fresh, coordinator: migration, scope: scope, now: app.wallClock.now())
            try await DemoServices.load(app, operation: fresh, coordinator: migration, now: app.wallClock.now())
            try await DemoActivities.load(app, operation: fresh, coordinator: migration, now: app.wallClock.now())
            try await DemoProtectionRisks.load(
                app, operation: fresh, coordinator: migration, now: app.wallClock.now())
            try await DemoAssessments.load(app, operation: fresh, coordinator: migration, now: app.wallClock.now())
            try await DemoReferrals.load(
                app, operation: fresh, coordinator: migration, caseWorker: ids["ns@demo.bearing.test"],
                now: app.wallClock.now())
        }
        if let migration = ids["migration@demo.bearing.test"], let heops = ids["heops@demo.bearing.test"] {
            try await DemoNetwork.load(
                app, operation: fresh, security: creator, migration: migration, heops: heops,
                staff: ids["staff@demo.bearing.test"], now: app.wallClock.now())
            if let staff = ids["staff@demo.bearing.test"], let ns = ids["ns@demo.bearing.test"] {
                try await DemoProducts.load(
                    app, operation: fresh, migration: migration, security: creator, heops: heops, staff: staff, ns: ns,
                    now: app.wallClock.now())
            }
        }
        try await DemoPeople.load(
            app, operation: fresh, coordinator: creator, accountIDs: ids, sites: try await SiteStore(db).all(in: scope),
            now: app.wallClock.now())
        try await DemoAlerts.load(app, operation: fresh, coordinator: creator, now: app.wallClock.now())
        try await DemoCrisis.load(app, operation: fresh, coordinator: creator, now: app.wallClock.now())
        try await DemoInbox.load(app, operation: fresh, coordinator: creator, now: app.wallClock.now())
        if let heops = ids["heops@demo.bearing.test"] {
            try await DemoBriefs.load(app, operation: fresh, heops: heops, now: app.wallClock.now())
        }
        return accounts
    }

    static func print(_ accounts: [Account]) {
        var lines = ["Demo operation \(operationCode) is ready. Sign in with one of these accounts:"]
        for account in accounts {
            let role = account.isAdmin ? "system administrator" : (account.role.map { $0.rawValue } ?? "-")
            lines.append("  \(account.email)  \(account.password)  (\(role))")
        }
        // Written straight to the file descriptor so it shows before the server's log, even in a pipe.
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
