import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("The security budget")
struct BudgetTests {
    @Test(
        "proposed from the operation, costed and edited, kept by a new proposal, exported to CSV; read by IFRC readers, kept by security roles",
        arguments: TestDatabases.kinds)
    func budget(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let code = "/operations/SDN-TEST/budget"
            let security = try await Browser.signedIn(app, fixture.users[.securityCoordinator]!)
            let refused = try await security.post(code + "/propose", ["months": "99"])
            #expect(refused.status == .unprocessableEntity)
            #expect(try await security.post(code + "/propose", ["months": "6", "vehicles": "2"]).status == .seeOther)
            let lines = try await BudgetStore(app.db).lines(in: fixture.operation.id)
            let delegate = try #require(
                lines.first { $0.basis == "delegates:focal_point" || $0.basis == "delegates:security" })
            #expect(lines.contains { $0.basis == "vehicle_safety:kits" && $0.draft.quantity == 2 })
            #expect(lines.allSatisfy { !$0.draft.driver.isEmpty && $0.draft.driver.contains("MSR") })
            // Costed and edited: a bad amount is refused with the field named, nothing stored changes.
            let bad = try await security.post(
                code + "/" + delegate.id.uuidString, ["quantity": "many", "unit_cost": "9000"])
            #expect(bad.status == .unprocessableEntity && bad.body.contains("0 or more"))
            #expect(
                try await security.post(code + "/" + delegate.id.uuidString, ["quantity": "4", "unit_cost": "9000"])
                    .status == .seeOther)
            // A new proposal keeps the edited line and brings the others up to date.
            #expect(try await security.post(code + "/propose", ["months": "12", "vehicles": "3"]).status == .seeOther)
            let after = try await BudgetStore(app.db).lines(in: fixture.operation.id)
            let kept = try #require(after.first { $0.id == delegate.id })
            #expect(kept.draft.quantity == 4 && kept.draft.unitCost == 9000 && kept.edited)
            #expect(after.contains { $0.basis == "vehicle_safety:kits" && $0.draft.quantity == 3 })
            #expect(
                try await security.post(
                    code, ["description": "Armoured vehicle rental", "quantity": "1", "unit": "month"]
                ).status == .seeOther)
            let csv = try await security.get(code + "/budget.csv")
            #expect(csv.status == .ok && csv.body.contains("Armoured vehicle rental"))
            #expect(csv.body.contains(",4,") && csv.body.contains("36000"))
            // Who: staff read it, cannot change it; the National Society's focal point and partners do not read it.
            let staff = try await Browser.signedIn(app, fixture.users[.staff]!)
            #expect(try await staff.get(code).status == .ok)
            #expect(try await staff.post(code + "/propose", ["months": "6"]).status == .forbidden)
            for role in [Role.nationalSocietyFocalPoint, .partner] {
                let reader = try await Browser.signedIn(app, fixture.users[role]!)
                #expect(try await reader.get(code).status == .forbidden, "\(role)")
                #expect(try await reader.get(code + "/budget.csv").status == .forbidden, "\(role)")
            }
        }
    }
}
