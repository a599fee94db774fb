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
                arrivalAt: now.addingTimeInterval(-Double(20 + index * 3) * 24 * hour),
                plannedDepartureAt: international ? now.addingTimeInterval(Double(30 + index) * 24 * hour) : nil,
                residenceSiteID: residence?.id,
                assemblyPointSiteID: site(
                    residence?.name == residences[1] ? "IFRC Sub-office Kassala" : "IFRC Country Delegation, Port Sudan"
                )?.id,
                relocationGroup: international ? (residence?.name == residences[1] ? "Kassala A" : "Port Sudan A") : "",
                relocationPriority: international ? 1 + index % 3 : nil,
                userID: accounts[name].flatMap { accountIDs[$0] },
                externalID: "DEMO-\(String(format: "%03d", index + 1))"
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
}
