import Domain
import Testing

@Suite("Access policy")
struct AccessPolicyTests {
    static let operation = OperationID.named("op-1")

    /// What each role sees, written out by hand (not derived from the policy) so the test can fail.
    static let expected: [Role: Set<AudienceLevel>] = [
        .headOfOperations: [.public, .movement, .ifrcAndNationalSociety, .ifrcOnly],
        .securityCoordinator: [.public, .movement, .ifrcAndNationalSociety, .ifrcOnly],
        .migrationCoordinator: [.public, .movement, .ifrcAndNationalSociety, .ifrcOnly],
        .staff: [.public, .movement, .ifrcAndNationalSociety, .ifrcOnly],
        .nationalSocietyFocalPoint: [.public, .movement, .ifrcAndNationalSociety],
        .partner: [.public],
    ]

    @Test("every role sees exactly its audience levels", arguments: Role.allCases)
    func roleSeesItsLevels(role: Role) {
        let viewer = Viewer(userID: .named("u"), isSystemAdministrator: false, roles: [Self.operation: role])
        for level in AudienceLevel.allCases {
            let record = RecordAccess(operationID: Self.operation, audience: level, createdBy: .named("someone-else"))
            let visible = AccessPolicy.canView(record, by: viewer)
            #expect(visible == Self.expected[role]!.contains(level), "\(role) / \(level)")
            #expect(AccessPolicy.scope(in: Self.operation, for: viewer)?.contains(record) == visible)
        }
    }

    @Test("restricted records are seen only by their creator and the people and roles named")
    func restricted() {
        let record = RecordAccess(
            operationID: Self.operation, audience: .restricted, createdBy: .named("creator"),
            namedUserIDs: [.named("named")],
            namedRoles: [.securityCoordinator])
        func sees(_ id: String, _ role: Role) -> Bool {
            AccessPolicy.canView(
                record, by: Viewer(userID: .named(id), isSystemAdministrator: false, roles: [Self.operation: role]))
        }
        #expect(sees("creator", .staff))
        #expect(sees("named", .partner))
        #expect(sees("anyone", .securityCoordinator))
        #expect(!sees("anyone", .headOfOperations))
        #expect(!sees("anyone", .migrationCoordinator))
    }

    @Test("the command line without an account names nobody: no restricted record, whoever made it or is named")
    func unnamedOperator() throws {
        let scope = AccessPolicy.unnamedOperatorScope(in: Self.operation)
        #expect(scope.userID == nil)
        // A record made by nobody (imported) is not the unnamed operator's own: nil never matches nil.
        for createdBy in [nil, UserID.named("someone")] {
            let restricted = RecordAccess(
                operationID: Self.operation, audience: .restricted, createdBy: createdBy, namedRoles: [.staff])
            #expect(!scope.contains(restricted))
        }
        #expect(scope.contains(RecordAccess(operationID: Self.operation, audience: .ifrcOnly, createdBy: nil)))
        #expect(!scope.contains(RecordAccess(operationID: .named("op-2"), audience: .public, createdBy: nil)))
        // Whoever runs it administers the server: it changes what it sees.
        #expect(AccessPolicy.canChange(createdBy: nil, through: scope))
        // A signed-in staff member's scope: a record by nobody is not theirs to change.
        let staff = Viewer(userID: .named("staff"), isSystemAdministrator: false, roles: [Self.operation: .staff])
        let staffScope = try #require(AccessPolicy.scope(in: Self.operation, for: staff))
        #expect(!AccessPolicy.canChange(createdBy: nil, through: staffScope))
        #expect(AccessPolicy.canChange(createdBy: .named("staff"), through: staffScope))
        #expect(!staff.isUser(nil))
    }

    @Test("non-members and administrators who are not members see no records")
    func nonMembers() {
        let record = RecordAccess(operationID: Self.operation, audience: .public, createdBy: nil)
        let admin = Viewer(userID: .named("a"), isSystemAdministrator: true, roles: [:])
        let memberElsewhere = Viewer(
            userID: .named("b"), isSystemAdministrator: false, roles: [.named("other-op"): .headOfOperations])
        #expect(!AccessPolicy.canView(record, by: admin))
        #expect(!AccessPolicy.canView(record, by: memberElsewhere))
        #expect(AccessPolicy.scope(in: Self.operation, for: admin) == nil)
        #expect(AccessPolicy.canViewOperation(Self.operation, by: admin))
        #expect(!AccessPolicy.canViewOperation(Self.operation, by: memberElsewhere))
    }

    @Test("partners never change anything; staff change only their own; coordinators change what they see")
    func changing() {
        func viewer(_ role: Role, _ id: String = "me") -> Viewer {
            Viewer(userID: .named(id), isSystemAdministrator: false, roles: [Self.operation: role])
        }
        let mine = RecordAccess(operationID: Self.operation, audience: .public, createdBy: .named("me"))
        let theirs = RecordAccess(operationID: Self.operation, audience: .public, createdBy: .named("them"))
        #expect(!AccessPolicy.canChange(mine, by: viewer(.partner)))
        #expect(!AccessPolicy.canCreate(mine, by: viewer(.partner)))
        #expect(AccessPolicy.canChange(mine, by: viewer(.staff)))
        #expect(!AccessPolicy.canChange(theirs, by: viewer(.staff)))
        #expect(AccessPolicy.canChange(theirs, by: viewer(.securityCoordinator)))
        let ifrcOnly = RecordAccess(operationID: Self.operation, audience: .ifrcOnly, createdBy: .named("me"))
        #expect(
            !AccessPolicy.canCreate(ifrcOnly, by: viewer(.nationalSocietyFocalPoint)),
            "one may not create what one cannot see")
        // Whether a role may create any record at all (the API refuses a body it would never accept before reading it).
        for role in Role.allCases {
            #expect(
                AccessPolicy.canCreateRecords(in: Self.operation, by: viewer(role)) == (role != .partner), "\(role)")
            #expect(AccessPolicy.canRecordFlows(in: Self.operation, by: viewer(role)) == (role != .partner), "\(role)")
        }
        let outsider = Viewer(userID: .named("x"), isSystemAdministrator: true, roles: [:])
        #expect(
            !AccessPolicy.canCreateRecords(in: Self.operation, by: outsider),
            "an administrator who is not a member creates nothing")
    }

    @Test("only the HeOps and administrators manage an operation and read its audit trail")
    func managing() {
        for role in Role.allCases {
            let viewer = Viewer(userID: .named("u"), isSystemAdministrator: false, roles: [Self.operation: role])
            #expect(AccessPolicy.canManageOperation(Self.operation, by: viewer) == (role == .headOfOperations))
            #expect(AccessPolicy.canReadAudit(of: Self.operation, by: viewer) == (role == .headOfOperations))
        }
        #expect(
            AccessPolicy.canReadAudit(
                of: Self.operation, by: Viewer(userID: .named("a"), isSystemAdministrator: true, roles: [:])))
    }

    @Test("compliance is read by IFRC staff and written by security roles; sites are assessed by security roles")
    func complianceAndSiteAssessments() {
        // Written out by hand, so the test fails if a rule drifts.
        let readers: Set<Role> = [.headOfOperations, .securityCoordinator, .migrationCoordinator, .staff]
        let writers: Set<Role> = [.headOfOperations, .securityCoordinator]
        for role in Role.allCases {
            let viewer = Viewer(userID: .named("u"), isSystemAdministrator: false, roles: [Self.operation: role])
            #expect(AccessPolicy.canViewCompliance(in: Self.operation, by: viewer) == readers.contains(role), "\(role)")
            #expect(
                AccessPolicy.canWriteCompliance(in: Self.operation, by: viewer) == writers.contains(role), "\(role)")
            #expect(AccessPolicy.canAssessSites(in: Self.operation, by: viewer) == writers.contains(role), "\(role)")
        }
        let outsider = Viewer(userID: .named("a"), isSystemAdministrator: true, roles: [:])
        #expect(!AccessPolicy.canViewCompliance(in: Self.operation, by: outsider))
        #expect(!AccessPolicy.canAssessSites(in: Self.operation, by: outsider))
    }
}

@Suite("Operation visibility")
struct OperationVisibilityTests {
    @Test("administrators see every operation; others only those they belong to")
    func operations() {
        let admin = Viewer(userID: .named("a"), isSystemAdministrator: true, roles: [:])
        let member = Viewer(userID: .named("m"), isSystemAdministrator: false, roles: [.named("op-1"): .partner])
        #expect(AccessPolicy.visibleOperations(for: admin) == .all)
        #expect(AccessPolicy.visibleOperations(for: member) == .only([.named("op-1")]))
        #expect(AccessPolicy.canViewOperation(.named("op-2"), by: admin))
        #expect(AccessPolicy.canViewOperation(.named("op-1"), by: member))
        #expect(!AccessPolicy.canViewOperation(.named("op-2"), by: member))
    }
}
