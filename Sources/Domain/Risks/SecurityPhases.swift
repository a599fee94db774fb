import Foundation

/// Who may approve a security phase declaration (SECURITY.md §3.1.4, §3.1.9).
public enum PhaseAuthority: String, CaseIterable, Sendable, Codable, Hashable {
    case seniorManager = "senior_manager"
    case headOfGSU = "head_of_gsu"
    case regionalDirector = "regional_director"
    public var labelKey: String { "phase_authority.\(rawValue)" }
}

/// Who is told when a phase is declared.
public enum PhaseRecipient: String, CaseIterable, Sendable, Codable, Hashable {
    case regionalSecurityCoordinator = "rsc"
    case globalSecurityUnit = "gsu"
}

/// The phases and their approval chain, as data an administrator can change (the IFRC text is
/// partly unverified). Phases are listed lowest first.
public struct PhaseRules: Sendable, Codable, Hashable {
    public struct Rule: Sendable, Codable, Hashable {
        /// Every one of these must approve before the phase is in force.
        public var approvals: Set<PhaseAuthority>
        public var notify: Set<PhaseRecipient>
        public init(approvals: Set<PhaseAuthority>, notify: Set<PhaseRecipient>) {
            self.approvals = approvals; self.notify = notify
        }
    }
    public var phases: [String]
    public var rules: [String: Rule]

    public init(phases: [String], rules: [String: Rule]) { self.phases = phases; self.rules = rules }

    /// IFRC: White and Yellow by the senior manager, with the RSC and GSU told; Orange with the Head
    /// of GSU's approval (the RSC consulted); Red with the Regional Director's and the Head of GSU's.
    public static let ifrc = PhaseRules(
        phases: ["white", "yellow", "orange", "red"],
        rules: [
            "white": Rule(approvals: [.seniorManager], notify: [.regionalSecurityCoordinator, .globalSecurityUnit]),
            "yellow": Rule(approvals: [.seniorManager], notify: [.regionalSecurityCoordinator, .globalSecurityUnit]),
            "orange": Rule(approvals: [.headOfGSU], notify: [.regionalSecurityCoordinator, .globalSecurityUnit]),
            "red": Rule(
                approvals: [.regionalDirector, .headOfGSU], notify: [.regionalSecurityCoordinator, .globalSecurityUnit]),
        ])

    public func rank(_ phase: String) -> Int? { phases.firstIndex(of: phase) }

    /// The approvals a change from `current` (nil: none declared yet) to `new` needs: those of the
    /// new phase, and on the way down also those of the phase left, so a downgrade from Orange or
    /// Red needs the same approvals as the upgrade did.
    /// Never less than the IFRC floor, whatever the settings say.
    public func requiredApprovals(from current: String?, to new: String) -> Set<PhaseAuthority> {
        var needed = (rules[new]?.approvals ?? []).union(floor(of: new))
        if let current, let from = rank(current), let to = rank(new), to < from {
            needed.formUnion((rules[current]?.approvals ?? []).union(floor(of: current)))
        }
        return needed
    }

    /// The approvals no setting can take away from `phase`: the IFRC phase's own, or for a phase an
    /// operation added, those of the highest IFRC phase below it (a phase above Red needs Red's).
    public func floor(of phase: String) -> Set<PhaseAuthority> {
        if let rule = Self.ifrc.rules[phase] { return rule.approvals }
        guard let rank = rank(phase) else { return [] }
        return phases[...rank].reversed().lazy.compactMap { Self.ifrc.rules[$0]?.approvals }.first ?? []
    }

    /// Approvals that must come from a second person, never the declarer or the senior manager.
    public static let independentAuthorities: Set<PhaseAuthority> = [.headOfGSU, .regionalDirector]

    public func recipients(of phase: String) -> Set<PhaseRecipient> { rules[phase]?.notify ?? [] }

    /// What is wrong with edited rules; empty when they can be used.
    public func problems() -> [String] {
        var problems: [String] = []
        if phases.isEmpty { problems.append("There must be at least one phase.") }
        if Set(phases).count != phases.count { problems.append("A phase is named twice.") }
        for phase in phases where rules[phase]?.approvals.isEmpty ?? true {
            problems.append("Phase \(phase) names nobody who approves it.")
        }
        for phase in rules.keys.sorted() where !phases.contains(phase) {
            problems.append("A rule names \(phase), which is not a phase.")
        }
        // The IFRC floor (SECURITY.md §3.1.9): settings may add phases and approvers, never remove these.
        let ifrcOrder = phases.filter { Self.ifrc.rank($0) != nil }
        if ifrcOrder != Self.ifrc.phases {
            problems.append(
                "The IFRC phases \(Self.ifrc.phases.joined(separator: ", ")) must all be kept, in this order.")
        }
        for phase in phases {
            let missing = floor(of: phase).subtracting(rules[phase]?.approvals ?? [])
            if !missing.isEmpty {
                problems.append(
                    "Phase \(phase) must keep the approval of \(missing.map(\.rawValue).sorted().joined(separator: " and ")) (the IFRC minimum)."
                )
            }
        }
        return problems
    }
}

/// One approval of a declaration.
public struct PhaseApproval: Sendable, Codable, Hashable {
    public var userID: UserID
    public var authority: PhaseAuthority
    public var at: Date
    public init(userID: UserID, authority: PhaseAuthority, at: Date) {
        self.userID = userID; self.authority = authority; self.at = at
    }
}

/// A declaration of a security phase for an area: pending until every required approval is in,
/// never in force before.
public struct PhaseDeclaration: Sendable, Codable, Hashable {
    public var areaPcode: String
    /// The phase in force when it was declared; nil for an area's first declaration.
    public var from: String?
    public var to: String
    public var justification: String
    public var indicatorsMet: [String]
    public var declaredBy: UserID
    public var declaredAt: Date
    public var approvals: [PhaseApproval]

    public init(
        areaPcode: String, from: String?, to: String, justification: String, indicatorsMet: [String],
        declaredBy: UserID, declaredAt: Date, approvals: [PhaseApproval] = []
    ) {
        self.areaPcode = areaPcode; self.from = from; self.to = to; self.justification = justification
        self.indicatorsMet = indicatorsMet; self.declaredBy = declaredBy; self.declaredAt = declaredAt;
        self.approvals = approvals
    }

    public enum Status: Sendable, Hashable {
        case pending(missing: Set<PhaseAuthority>)
        case inForce
    }

    public func required(_ rules: PhaseRules) -> Set<PhaseAuthority> { rules.requiredApprovals(from: from, to: to) }

    public func status(_ rules: PhaseRules) -> Status {
        let missing = required(rules).subtracting(approvals.map(\.authority))
        return missing.isEmpty ? .inForce : .pending(missing: missing)
    }

    /// The declaration as made, or every problem with it, each naming its field.
    public func validated(_ rules: PhaseRules = .ifrc) throws(ValidationErrors) -> PhaseDeclaration {
        var d = self
        var errors = ValidationErrors()
        d.justification = justification.trimmingCharacters(in: .whitespacesAndNewlines)
        d.indicatorsMet = indicatorsMet.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter {
            !$0.isEmpty
        }
        if rules.rank(to) == nil {
            errors.add(
                "phase", key: "error.phase_unknown", "“\(to)” is not a phase (\(rules.phases.joined(separator: ", ")))."
            )
        }
        if let from, rules.rank(from) == nil {
            errors.add("from", key: "error.phase_unknown", "“\(from)” is not a phase.")
        }
        if from == to { errors.add("phase", key: "error.phase_same", "The area is already in phase \(to).") }
        if d.justification.isEmpty {
            errors.add("justification", key: "error.phase_justification", "Say why the phase changes.")
        }
        if let to = rules.rank(to), to > (from.flatMap(rules.rank) ?? -1), to > 0, d.indicatorsMet.isEmpty {
            errors.add(
                "indicators", key: "error.phase_indicators", "Name the indicators met that call for phase \(self.to).")
        }
        try errors.throwIfAny()
        return d
    }

    /// Records `user`'s approval as `authority`. Refused, with nothing changed, when the user does
    /// not hold that authority, when it is not needed or already given, when the user already gave
    /// another approval of this declaration (Red's two are two people), or when the declarer or a
    /// senior manager (`seniorManagers`) would give the Head of GSU's or the Regional Director's.
    public func approved(
        by user: UserID, holding authorities: Set<PhaseAuthority>, as authority: PhaseAuthority, at: Date,
        rules: PhaseRules = .ifrc, seniorManagers: Set<UserID> = []
    ) throws(DomainError) -> PhaseDeclaration {
        guard authorities.contains(authority) else {
            throw DomainError(
                .forbidden, field: "authority", key: "error.phase_authority",
                "Only the \(authority.rawValue.replacingOccurrences(of: "_", with: " ")) may give this approval.")
        }
        guard required(rules).contains(authority) else {
            throw DomainError(
                .invalid, field: "authority", key: "error.phase_not_needed", "Phase \(to) does not need this approval.")
        }
        guard !approvals.contains(where: { $0.authority == authority }) else {
            throw DomainError(
                .conflict, field: "authority", key: "error.phase_already", "This approval has already been given.")
        }
        // The senior manager's approval is their own act of declaring; the ones above it are the
        // second person's, so the declarer never gives them.
        if user == declaredBy && authority != .seniorManager {
            throw DomainError(
                .forbidden, field: "authority", key: "error.phase_own",
                "Phase \(to) needs a second person: the one who declared it cannot approve it.")
        }
        guard !approvals.contains(where: { $0.userID == user }) else {
            throw DomainError(
                .forbidden, field: "authority", key: "error.phase_same_person",
                "You have already approved this declaration: each approval must come from a different person.")
        }
        if Self.independent(authority), seniorManagers.contains(user) {
            throw DomainError(
                .forbidden, field: "authority", key: "error.phase_senior_manager",
                "The senior manager cannot also give the Head of GSU's or the Regional Director's approval.")
        }
        var d = self
        d.approvals.append(PhaseApproval(userID: user, authority: authority, at: at))
        return d
    }

    static func independent(_ authority: PhaseAuthority) -> Bool {
        PhaseRules.independentAuthorities.contains(authority)
    }

    /// Why `user` may not be named to `authority`, given what they hold and whether they are the
    /// one naming (`isActor`) or a senior manager; nil when they may. One person never holds both
    /// independent authorities, nor one of them with the senior manager's, nor names themself.
    public static func grantProblem(
        _ authority: PhaseAuthority, to user: UserID, holding held: Set<PhaseAuthority>,
        isActor: Bool, isSeniorManager: Bool
    ) -> DomainError? {
        if independent(authority) {
            if isActor {
                return DomainError(
                    .invalid, field: "user", key: "error.phase_holder_self",
                    "You cannot name yourself Head of GSU or Regional Director: the approval must be a second person's."
                )
            }
            if isSeniorManager {
                return DomainError(
                    .invalid, field: "user", key: "error.phase_holder_senior",
                    "The senior manager cannot also be Head of GSU or Regional Director.")
            }
            if !held.subtracting([authority]).isDisjoint(with: PhaseRules.independentAuthorities) {
                return DomainError(
                    .invalid, field: "user", key: "error.phase_holder_both",
                    "One person cannot be both Head of GSU and Regional Director: Red needs two people.")
            }
        } else if authority == .seniorManager, !held.isDisjoint(with: PhaseRules.independentAuthorities) {
            return DomainError(
                .invalid, field: "user", key: "error.phase_holder_senior",
                "The senior manager cannot also be Head of GSU or Regional Director.")
        }
        return nil
    }
}
