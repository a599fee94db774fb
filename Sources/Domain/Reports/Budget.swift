import Foundation

/// The security lines of the Emergency Appeal budget (issue 20, point 6; the Security Coordinator's
/// duty 1b: "technical guidance in relation to security related issues in Emergency appeals and
/// budgets"). Bearing proposes each line's quantity and unit from the phases in force, the MSR, the
/// sites and the people; the coordinator costs and edits them.
public enum BudgetCategory: String, CaseIterable, Codable, Sendable, Hashable {
    case delegates
    case guards
    case communications
    case trainings
    case vehicleSafety = "vehicle_safety"
    case relocation
    case other

    public var labelKey: String { "budget_category.\(rawValue)" }
}

/// A line as the coordinator keeps it.
public struct BudgetLineDraft: Sendable, Hashable {
    public var category: BudgetCategory
    public var description: String
    public var quantity: Double
    public var unit: String
    public var unitCost: Double?
    public var currency: String
    /// The requirement that drives the line, cited.
    public var driver: String

    public init(
        category: BudgetCategory, description: String, quantity: Double, unit: String, unitCost: Double? = nil,
        currency: String = "CHF", driver: String = ""
    ) {
        self.category = category
        self.description = description
        self.quantity = quantity
        self.unit = unit
        self.unitCost = unitCost
        self.currency = currency
        self.driver = driver
    }

    public var total: Double? { unitCost.map { $0 * quantity } }
}

/// A line as typed in the form or a CSV; `decoded` checks it.
public struct BudgetLineInput: Sendable, Hashable {
    public var category = ""
    public var description = ""
    public var quantity = ""
    public var unit = ""
    public var unitCost = ""
    public var currency = ""
    public var driver = ""

    public init() {}

    public init(_ d: BudgetLineDraft) {
        category = d.category.rawValue
        description = d.description
        quantity = DecimalText.plain(d.quantity)
        unit = d.unit
        unitCost = d.unitCost.map(DecimalText.plain) ?? ""
        currency = d.currency
        driver = d.driver
    }

    public func decoded() throws(ValidationErrors) -> BudgetLineDraft {
        var read = FieldReader()
        let category = read.choice(category, "category", BudgetCategory.self) ?? .other
        let description = read.limited(description, "description", 300)
        if description == nil { read.errors.add("description", key: "error.required", "Say what the line pays for.") }
        func amount(_ text: String, _ field: String, required: Bool) -> Double? {
            guard let value = read.trimmed(text) else {
                if required { read.errors.add(field, key: "error.required", "Give a number.") }
                return nil
            }
            guard let number = DecimalText.double(value), number >= 0, number < 1e12 else {
                read.errors.add(field, key: "budget.amount", "A number of 0 or more, not '\(value)'.")
                return nil
            }
            return number
        }
        let quantity = amount(quantity, "quantity", required: true)
        let unitCost = amount(unitCost, "unit_cost", required: false)
        let unit = read.limited(unit, "unit", 80)
        if unit == nil { read.errors.add("unit", key: "error.required", "Give the unit (guard-month, radio …).") }
        let currency = (read.trimmed(currency) ?? "CHF").uppercased()
        if currency.range(of: "^[A-Z]{3}$", options: .regularExpression) == nil {
            read.errors.add(
                "currency", key: "budget.currency", "A currency code of three letters (CHF, USD), not '\(currency)'.")
        }
        let driver = read.limited(driver, "driver", 500) ?? ""
        try read.errors.throwIfAny()
        return BudgetLineDraft(
            category: category, description: description!, quantity: quantity!, unit: unit!, unitCost: unitCost,
            currency: currency, driver: driver)
    }
}

/// What a proposal is made from: the operation as it stands.
public struct BudgetBasis: Sendable, Hashable {
    public struct Site: Sendable, Hashable {
        public let id: String
        public let name: String
        public let type: SiteType
        public let phase: String?
        public init(id: String, name: String, type: SiteType, phase: String?) {
            self.id = id
            self.name = name
            self.type = type
            self.phase = phase
        }
    }
    public struct Person: Sendable, Hashable {
        public let category: PersonCategory
        public let manager: Bool
        public let phase: String?
        /// Courses held and valid.
        public let holds: Set<String>
        public init(category: PersonCategory, manager: Bool, phase: String?, holds: Set<String>) {
            self.category = category
            self.manager = manager
            self.phase = phase
            self.holds = holds
        }
    }

    /// Phases in force, by area.
    public var phases: [String: String]
    public var sites: [Site]
    public var people: [Person]
    public var vehicles: Int
    public var months: Int
    public var training: TrainingSettings

    public init(
        phases: [String: String], sites: [Site], people: [Person], vehicles: Int, months: Int,
        training: TrainingSettings = .defaults
    ) {
        self.phases = phases
        self.sites = sites
        self.people = people
        self.vehicles = vehicles
        self.months = months
        self.training = training
    }
}

/// A proposed line: its key (so that a new proposal updates it and leaves the coordinator's edits),
/// what it is, and the requirement behind it, as catalogue keys with values for the writer's language.
public struct ProposedBudgetLine: Sendable, Hashable {
    public let basis: String
    public let category: BudgetCategory
    public let descriptionKey: String
    public let values: [String: String]
    public let quantity: Double
    public let unitKey: String
    public let driverKey: String
}

public enum BudgetProposal {
    /// Round-the-clock guard posts per site, by type and phase: Bearing's planning figure (a post
    /// held 24/7 needs three guards on shifts), for the coordinator to adjust to the site.
    public static func posts(_ type: SiteType, phase: String?) -> Int {
        let high = phase == "orange" || phase == "red"
        switch type {
        case .office, .warehouse: return high ? 2 : 1
        case .residence, .nationalSocietyBranch: return 1
        case .transitCentre, .receptionCentre, .humanitarianServicePoint: return high ? 2 : 1
        default: return 0
        }
    }
    public static let guardsPerPost = 3

    public static func propose(_ b: BudgetBasis) -> [ProposedBudgetLine] {
        var lines: [ProposedBudgetLine] = []
        let months = Double(max(1, b.months))
        let phases = Set(b.phases.values)
        let high = phases.contains("orange") || phases.contains("red")
        // Staffing: MSR part 6.
        if high {
            lines.append(
                .init(
                    basis: "delegates:security", category: .delegates, descriptionKey: "budget_line.security_delegate",
                    values: [:], quantity: months, unitKey: "budget_unit.person_month",
                    driverKey: "budget_driver.security_delegate"))
        } else {
            lines.append(
                .init(
                    basis: "delegates:focal_point", category: .delegates, descriptionKey: "budget_line.focal_point",
                    values: [:], quantity: months * 0.5, unitKey: "budget_unit.person_month",
                    driverKey: "budget_driver.focal_point"))
        }
        let redOffices = b.sites.filter { $0.type == .office && $0.phase == "red" }
        if !redOffices.isEmpty {
            lines.append(
                .init(
                    basis: "delegates:red_officers", category: .delegates,
                    descriptionKey: "budget_line.security_officers",
                    values: ["sites": redOffices.map(\.name).sorted().joined(separator: ", ")],
                    quantity: Double(redOffices.count) * months, unitKey: "budget_unit.person_month",
                    driverKey: "budget_driver.red_officers"))
        }
        // Guards per site: MSR 2.3 and 2.4.
        for site in b.sites.sorted(by: { $0.name < $1.name }) {
            let posts = posts(site.type, phase: site.phase)
            guard posts > 0 else { continue }
            lines.append(
                .init(
                    basis: "guards:site:\(site.id)", category: .guards,
                    descriptionKey: site.phase == nil ? "budget_line.guards_unphased" : "budget_line.guards",
                    values: [
                        "site": site.name, "posts": String(posts), "phase": site.phase ?? "—",
                    ], quantity: Double(posts * guardsPerPost) * months, unitKey: "budget_unit.guard_month",
                    driverKey: site.type == .residence ? "budget_driver.residences" : "budget_driver.premises"))
        }
        // Communications: MSR 2.5, a radio per person, a radio set and a satellite phone per vehicle,
        // a satellite phone per office in an Orange or Red area.
        let people = b.people.count
        if people > 0 {
            lines.append(
                .init(
                    basis: "communications:handheld", category: .communications,
                    descriptionKey: "budget_line.handheld_radios", values: ["people": String(people)],
                    quantity: Double(people), unitKey: "budget_unit.radio", driverKey: "budget_driver.communications"))
        }
        if b.vehicles > 0 {
            lines.append(
                .init(
                    basis: "communications:vehicle_radio", category: .communications,
                    descriptionKey: "budget_line.vehicle_radios", values: ["vehicles": String(b.vehicles)],
                    quantity: Double(b.vehicles), unitKey: "budget_unit.radio_set",
                    driverKey: "budget_driver.communications"))
        }
        let highOffices = b.sites.filter { $0.type == .office && ($0.phase == "orange" || $0.phase == "red") }.count
        let satphones = b.vehicles + highOffices
        if satphones > 0 {
            lines.append(
                .init(
                    basis: "communications:satphones", category: .communications,
                    descriptionKey: "budget_line.satphones",
                    values: ["vehicles": String(b.vehicles), "offices": String(highOffices)],
                    quantity: Double(satphones), unitKey: "budget_unit.satphone",
                    driverKey: "budget_driver.communications"))
            lines.append(
                .init(
                    basis: "communications:airtime", category: .communications, descriptionKey: "budget_line.airtime",
                    values: ["satphones": String(satphones)], quantity: Double(satphones) * months,
                    unitKey: "budget_unit.satphone_month", driverKey: "budget_driver.communications"))
        }
        // Trainings: MSR part 5, the operation's training requirements.
        for course in ["heat", "scm"] {
            let lacking = b.people.filter { p in
                b.training.required(phase: p.phase, manager: p.manager, category: p.category).contains(course)
                    && !p.holds.contains(course)
            }.count
            guard lacking > 0 else { continue }
            lines.append(
                .init(
                    basis: "trainings:\(course)", category: .trainings,
                    descriptionKey: "budget_line.training_\(course)",
                    values: ["people": String(lacking)], quantity: Double(lacking), unitKey: "budget_unit.participant",
                    driverKey: "budget_driver.training_\(course)"))
        }
        // Vehicle safety: MSR 2.2.
        if b.vehicles > 0 {
            lines.append(
                .init(
                    basis: "vehicle_safety:kits", category: .vehicleSafety, descriptionKey: "budget_line.vehicle_kits",
                    values: ["vehicles": String(b.vehicles)], quantity: Double(b.vehicles),
                    unitKey: "budget_unit.vehicle", driverKey: "budget_driver.vehicles"))
        }
        // Relocation reserve: MSR 3.2, for those a relocation moves (delegates, surge, IFRC staff).
        let relocated = b.people.filter { [.delegate, .surge, .ifrcStaff, .consultant].contains($0.category) }.count
        if relocated > 0 {
            lines.append(
                .init(
                    basis: "relocation:reserve", category: .relocation, descriptionKey: "budget_line.relocation",
                    values: ["people": String(relocated)], quantity: Double(relocated),
                    unitKey: "budget_unit.person", driverKey: "budget_driver.relocation"))
        }
        return lines
    }
}
