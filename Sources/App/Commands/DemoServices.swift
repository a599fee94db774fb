import Domain
import Foundation
import Persistence
import Vapor

/// The demo's referral directory: what a migration coordinator in eastern and northern Sudan would
/// list. The Humanitarian Service Points and transit centres at the border crossings, health, legal
/// aid, tracing (RFL), child protection, GBV and host-community services; some take referrals and
/// ask for consent, some are information only, one is temporarily closed, one is a helpline.
enum DemoServices {
    struct Entry {
        let organization: String
        let name: String
        let sectors: [IFRCSector]
        let types: [PopulationType]
        let site: String?
        let place: (String, Double, Double)?
        let phones: [String]
        let hours: [String]
        let languages: [String]
        let referrals: Bool
        let consent: Bool
        var status: ServiceStatus = .active
        var eligibility: String? = nil
        var focal: String? = nil
        var minimumAge: Int? = nil
        var maximumAge: Int? = nil
    }

    static let entries: [Entry] = [
        Entry(
            organization: "Sudanese Red Crescent Society",
            name: "Humanitarian Service Point: first aid, water, phone charging and calls",
            sectors: [.migration, .health],
            types: [.refugees, .asylumSeekers, .migrantsInTransit, .idps, .returnedRefugees],
            site: "Humanitarian Service Point Wadi Halfa", place: nil,
            phones: ["+249 91 200 1001, voice, HSP team leader"],
            hours: ["MO-SU 07:00-19:00"], languages: ["ar", "en", "ti"], referrals: true, consent: true,
            eligibility: "Anyone on the move, whatever their status; no documents asked.",
            focal: "HSP team leader, Wadi Halfa"),
        Entry(
            organization: "Sudanese Red Crescent Society",
            name: "Restoring Family Links: tracing requests and free calls",
            sectors: [.protection, .migration], types: [.refugees, .asylumSeekers, .migrantsInTransit, .idps],
            site: "Humanitarian Service Point Kassala", place: nil, phones: ["+249 91 200 1002, voice, RFL officer"],
            hours: ["SU-TH 08:00-15:00"], languages: ["ar", "ti", "am"], referrals: true, consent: true,
            focal: "RFL officer, SRCS Kassala branch"),
        Entry(
            organization: "Sudanese Red Crescent Society", name: "Psychosocial support and safe space",
            sectors: [.protection, .health], types: [.refugees, .idps, .hostCommunity],
            site: "Gallabat Transit Centre", place: nil, phones: ["+249 91 200 1003"], hours: ["SU-TH 09:00-14:00"],
            languages: ["ar", "am"], referrals: true, consent: true),
        Entry(
            organization: "Ministry of Health, Red Sea State", name: "Emergency and maternity care",
            sectors: [.health], types: [.refugees, .idps, .hostCommunity, .migrantsInTransit],
            site: "Port Sudan Teaching Hospital", place: nil, phones: ["+249 31 282 0000, voice, emergency desk"],
            hours: ["MO-SU 00:00-24:00"], languages: ["ar", "en"], referrals: true, consent: false,
            focal: "Emergency department duty doctor"),
        Entry(
            organization: "UNHCR", name: "Registration and refugee status information",
            sectors: [.protection, .migration], types: [.refugees, .asylumSeekers],
            site: "Port Sudan Reception Centre", place: nil, phones: ["+249 91 300 2001"], hours: ["SU-TH 08:00-16:00"],
            languages: ["ar", "en", "ti", "so"], referrals: true, consent: true),
        Entry(
            organization: "Norwegian Refugee Council", name: "Legal aid: documentation and housing, land and property",
            sectors: [.protection], types: [.idps, .refugees, .returnedIDPs, .hostCommunity], site: nil,
            place: ("NRC legal aid office, Kassala", 15.4520, 36.4020), phones: ["+249 91 300 3001"],
            hours: ["SU-TH 08:30-15:30"], languages: ["ar", "en"], referrals: true, consent: true,
            eligibility: "People without documents, or with a housing, land or property dispute."),
        Entry(
            organization: "UNICEF / Ministry of Social Development",
            name: "Child protection case management (unaccompanied and separated children)",
            sectors: [.protection], types: [.refugees, .idps, .migrantsInTransit, .asylumSeekers],
            site: "Humanitarian Service Point Kassala", place: nil,
            phones: ["+249 91 300 4001, voice, child protection focal point"],
            hours: ["SU-TH 08:00-16:00"], languages: ["ar", "ti"], referrals: true, consent: true,
            focal: "Child protection focal point, Kassala", maximumAge: 17),
        Entry(
            organization: "UNFPA", name: "GBV safe space and clinical management of rape",
            sectors: [.protection, .health], types: [.refugees, .idps, .hostCommunity, .migrantsInTransit],
            site: nil, place: ("Women and girls' safe space, Gedaref", 14.0300, 35.3900),
            phones: ["+249 91 300 5001, voice, case worker (women)"], hours: ["SU-TH 08:00-17:00"],
            languages: ["ar", "ti", "am"], referrals: true, consent: true,
            eligibility: "Survivors of gender-based violence; a woman case worker answers."),
        Entry(
            organization: "IOM", name: "Assisted voluntary return and reintegration counselling",
            sectors: [.migration], types: [.migrantsInTransit], site: "Wadi Halfa Transit Centre", place: nil,
            phones: ["+249 91 300 6001"], hours: ["SU-TH 09:00-15:00"], languages: ["ar", "en", "am", "ti"],
            referrals: true, consent: true, status: .temporarilyClosed),
        Entry(
            organization: "Sudanese Red Crescent Society", name: "Cash assistance for host families",
            sectors: [.cash, .livelihoods], types: [.hostCommunity, .idps], site: "SRCS Branch Atbara", place: nil,
            phones: ["+249 91 200 1004"], hours: ["SU-TH 08:00-14:00"], languages: ["ar"], referrals: false,
            consent: true, eligibility: "Households hosting displaced families, selected with the community committee."),
        Entry(
            organization: "Sudanese Red Crescent Society",
            name: "Water trucking and hygiene kits at the gathering site",
            sectors: [.wash], types: [.idps, .hostCommunity], site: "Kosti Gathering Site", place: nil,
            phones: ["+249 91 200 1005"], hours: ["MO-SU 06:00-18:00"], languages: ["ar"], referrals: false,
            consent: true),
        Entry(
            organization: "Sudanese Red Crescent Society", name: "Helpline: information on services and safe routes",
            sectors: [.communityEngagement, .migration], types: [.refugees, .idps, .migrantsInTransit, .hostCommunity],
            site: nil, place: nil, phones: ["+249 800 1234, voice, free call", "+249 91 200 1006, text, WhatsApp"],
            hours: ["MO-SU 08:00-20:00"], languages: ["ar", "en", "ti", "am"], referrals: false, consent: true),
    ]

    static func load(_ app: Application, operation: OperationRecord, coordinator: UserID, now: Date) async throws {
        let scope = AccessPolicy.unnamedOperatorScope(in: operation.id)
        let store = ServiceStore(app.db)
        guard try await store.count(in: scope) == 0 else { return }
        let sites = try await SiteStore(app.db).all(in: scope)
        let directory = ServiceDirectory(database: app.db, areaShapes: app.areaShapes)
        for (n, entry) in entries.enumerated() {
            let site = entry.site.flatMap { name in sites.first { $0.name == name } }
            let place: ServiceLocationDraft? =
                if let site {
                    ServiceLocationDraft(
                        name: site.name, latitude: site.latitude, longitude: site.longitude, siteID: site.id)
                } else if let (name, lat, lon) = entry.place {
                    ServiceLocationDraft(name: name, latitude: lat, longitude: lon)
                } else { nil }
            let draft = ServiceDraft(
                organization: entry.organization, name: entry.name, status: entry.status,
                phones: entry.phones.compactMap { try? ServicePhone.parse($0).get() },
                hours: entry.hours.compactMap { try? ServiceHours.parse($0).get() }, eligibility: entry.eligibility,
                minimumAge: entry.minimumAge, maximumAge: entry.maximumAge, languages: entry.languages,
                acceptsReferrals: entry.referrals, consentRequired: entry.consent, referralFocalPoint: entry.focal,
                populationTypes: entry.types, sectors: entry.sectors,
                // Verified a few weeks apart, as a coordinator's rounds would.
                lastVerifiedOn: n % 4 == 3 ? nil : now.addingTimeInterval(-Double(7 + n * 9) * 86_400),
                verifiedBy: n % 4 == 3 ? nil : "Migration & Displacement Coordinator", location: place)
            _ = try await store.create(
                draft, areaPcode: try await directory.area(of: draft, in: operation), scope: scope,
                actorID: coordinator, now: now)
        }
    }
}
