import Foundation
import Testing

@testable import Domain

@Suite("The security budget's proposal")
struct BudgetRulesTests {
    static func site(_ name: String, _ type: SiteType, _ phase: String?) -> BudgetBasis.Site {
        .init(id: name, name: name, type: type, phase: phase)
    }

    @Test("each line cites the requirement that drives it, and follows the phases, the sites and the people")
    func proposal() {
        let basis = BudgetBasis(
            phases: ["SD01": "red", "SD02": "yellow"],
            sites: [
                Self.site("Kassala office", .office, "red"), Self.site("Port Sudan office", .office, "yellow"),
                Self.site("Guesthouse", .residence, "yellow"), Self.site("Flow point", .flowMonitoringPoint, "red"),
            ],
            people: [
                .init(category: .delegate, manager: true, phase: "red", holds: ["heat"]),
                .init(category: .surge, manager: false, phase: "red", holds: []),
                .init(category: .nationalSocietyStaff, manager: false, phase: "yellow", holds: []),
            ], vehicles: 2, months: 6)
        let lines = BudgetProposal.propose(basis)
        func line(_ basis: String) -> ProposedBudgetLine? { lines.first { $0.basis == basis } }
        #expect(
            line("delegates:security")?.quantity == 6
                && line("delegates:security")?.driverKey == "budget_driver.security_delegate")
        #expect(line("delegates:focal_point") == nil)
        #expect(line("delegates:red_officers")?.quantity == 6)
        // Two posts at the office in the Red area, one in Yellow; none at a flow point.
        #expect(line("guards:site:Kassala office")?.quantity == 36.0)
        #expect(line("guards:site:Port Sudan office")?.quantity == 18.0)
        #expect(line("guards:site:Guesthouse")?.driverKey == "budget_driver.residences")
        #expect(line("guards:site:Flow point") == nil)
        #expect(line("communications:handheld")?.quantity == 3)
        // A satellite phone per vehicle and per office in an Orange or Red area.
        #expect(line("communications:satphones")?.quantity == 3)
        #expect(line("communications:airtime")?.quantity == 18)
        // HEAT: the surge member in Red lacks it; SCM: the manager in Red lacks it.
        #expect(line("trainings:heat")?.quantity == 1 && line("trainings:scm")?.quantity == 1)
        #expect(line("vehicle_safety:kits")?.quantity == 2)
        #expect(line("relocation:reserve")?.quantity == 2)
        #expect(lines.allSatisfy { !$0.driverKey.isEmpty && !$0.unitKey.isEmpty })
    }

    @Test("without Orange or Red, a half-time focal point; without vehicles, no vehicle lines")
    func quiet() {
        let lines = BudgetProposal.propose(
            BudgetBasis(phases: ["SD01": "white"], sites: [], people: [], vehicles: 0, months: 12))
        #expect(lines.map(\.basis) == ["delegates:focal_point"])
        #expect(lines.first?.quantity == 6)
    }

    @Test("a line as typed: quantities and costs are numbers of 0 or more, the currency three letters")
    func input() throws {
        var input = BudgetLineInput()
        input.description = "Guards"
        input.quantity = "-3"
        input.unit = ""
        input.unitCost = "lots"
        input.currency = "francs"
        do {
            _ = try input.decoded()
            Issue.record("a bad line was accepted")
        } catch {
            for field in ["quantity", "unit", "unit_cost", "currency"] {
                #expect(error.message(for: field) != nil, "\(field)")
            }
        }
        input.quantity = "18"
        input.unit = "guard-month"
        input.unitCost = "450.5"
        input.currency = "usd"
        let line = try input.decoded()
        #expect(line.total == 18 * 450.5 && line.currency == "USD" && line.category == .other)
        #expect(BudgetLineInput(line).quantity == "18" && BudgetLineInput(line).unitCost == "450.5")
    }
}
