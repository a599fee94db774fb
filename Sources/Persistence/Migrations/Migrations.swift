import FluentKit

/// Every migration, in the order it runs. Append only: never edit or reorder a shipped one.
public enum BearingMigrations {
    public static let all: [any Migration] = [
        CreateUsers(),  // 0001 accounts
        CreateWebSessions(),  // 0002 browser sessions, shared by every app server
        CreateAPITokens(),  // 0003 personal API tokens, stored hashed
        CreateSignInAttempts(),  // 0004 sign-in throttling across app servers
        CreateOperations(),  // 0005 operations
        CreateMemberships(),  // 0006 who has which role in which operation
        CreateAdminAreas(),  // 0007 admin boundaries (COD-AB), P-code keyed
        CreateSites(),  // 0008 sites
        CreateRecordGrants(),  // 0009 named people and roles of restricted records
        CreateAuditLog(),  // 0010 append-only, hash-chained audit log
        CreateIncidents(),  // 0011 own security incidents, follow-up actions, report timeline
        CreateContextEvents(),  // 0012 incidents published by AWSD, SiND, ACLED, imported as context
        AddContextEventPlaces(),  // 0013 context events' country as ISO alpha-3 and the admin area they fall in
        AddAnalysisIndexes(),  // 0014 covering indexes for the incident analysis
        AddReportsDueIndex(),  // 0015 the dashboard's reports due in deadline order
        CreateRiskRegister(),  // 0016 security settings, risks, measures, incident links, versions, reports
        CreateSecurityPhases(),  // 0017 phase declarations per area, their approvals, who holds which authority
        CreateSecurityPlans(),  // 0018 the six security plans: versions, attachments, reviews and yearly approvals
        CreateCompliance(),  // 0019 MSR compliance: assessments and findings, exemptions, the annual pack
        CreateSiteAssessments(),  // 0020 site security assessments: answers, score, findings, recommendations
        AddRiskRegisterOrderIndex(),  // 0021 the register page in its order, its count from the index
        CreatePopulationFigures(),  // 0022 displacement figures (stock) with source, method, round and breakdown
        CreateFlowMonitoring(),  // 0023 flow-monitoring points and the tallies recorded there
        CreateScenarios(),  // 0024 planning scenarios with their figures and starting projection
        AddFlowImportKey(),  // 0025 imported tallies keyed by their content
        AddFlowCountColumns(),  // 0026 bins and vulnerabilities as integer columns; the export index
        CreateFlowSummaries(),  // 0027 tallies summed per point and day (by direction; by origin and destination)
        AddTokenReadOnly(),  // 0028 API tokens that may only read
        CreateInstanceSecrets(),  // 0029 secrets the app servers share (the sign-in form's CSRF key)
        AddRiskVersionReadableAudience(),  // 0030 who may read a risk's earlier wording once it is widened
        EmptyPhasePlaceholders(),  // 0031 no developer's note left in a saved phase catalogue
        AddOperationTimeZone(),  // 0032 times entered and shown on the operation's clock
        CreatePersonnelRegister(),  // 0033 people under IFRC security responsibility, their locations, roll-calls
        CreateReadinessAndMovements(),  // 0034 briefings, trainings, sessions, relocation readiness, movements
        CreateJobsAndAlerts(),  // 0035 durable jobs; alerts, their recipients, deliveries and answers; channel checks
        CreateCriticalIncidents(),  // 0036 critical incidents: first call, escalation, team, people, crisis log, review
        CreateServiceDirectory(),  // 0037 the referral directory: services at locations, in HSDS's shape
        CreateReferrals(),  // 0038 referrals with consent, their steps, the named caseworkers
        CreateActivities(),  // 0039 EPoA activities for people on the move: targets and reach
        CreateProtectionRisks(),  // 0040 the protection-risk register, its versions, its mitigations' activities
        CreateNeedsAssessments(),  // 0041 needs assessments, KoBo/ODK submissions, imports, mappings per form
        CreateCoordination(),  // 0042 the stakeholder registry; meetings, attendees, representatives, action points
        CreateAdvocacy(),  // 0043 advocacy products: versions, reviews, frozen figures, lists, distributions
        CreateBriefs(),  // 0044 the HeOps's documents, their files, schedules and recipients; the security budget
        CreateClientSubmissions(),  // 0045 offline entries' client ids: a replay answers with the record made
        CreateInbox(),  // 0046 SMS and WhatsApp gateways, the untriaged inbox, replies
    ]

    /// Names of all migrations, to tell whether a database is behind.
    public static var names: [String] { all.map(\.name) }
}
