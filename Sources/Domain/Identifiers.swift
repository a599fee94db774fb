import Foundation
// Re-exported: every layer that speaks of ids hashes, compares and encodes them, and Swift asks each
// file that does to see Tagged's conformances.
@_exported import Tagged

/// Tags that keep ids apart: a `UserID` cannot be passed where an `OperationID` is meant, and
/// neither is a bare string or UUID. Stored as the UUID itself (`Tagged` encodes its raw value).
public enum IdentifierTag {
    public enum User {}
    public enum Operation {}
    public enum Incident {}
    public enum Site {}
    public enum Risk {}
    public enum RiskReport {}
    public enum SiteAssessment {}
    public enum PhaseDeclaration {}
    public enum PlanVersion {}
    public enum PlanAttachment {}
    public enum ComplianceAssessment {}
    public enum Scenario {}
    public enum APIToken {}
    public enum FlowObservation {}
    public enum Person {}
    public enum RollCall {}
    public enum Movement {}
    public enum Job {}
    public enum Alert {}
    public enum AlertRecipient {}
    public enum Service {}
    public enum ServiceLocation {}
    public enum ServiceOrganization {}
    public enum Referral {}
    public enum ProtectionRisk {}
    public enum Stakeholder {}
    public enum Meeting {}
    public enum MeetingAction {}
    public enum Product {}
    public enum DistributionList {}
    public enum Distribution {}
    public enum Brief {}
    public enum BriefSchedule {}
    public enum BudgetLine {}
}

/// Any of the typed ids below, for code that treats every kind alike (the text of an audit entry).
public protocol TypedID: Sendable {
    var uuidString: String { get }
}

extension Tagged: TypedID where RawValue == UUID {
    public var uuidString: String { rawValue.uuidString }
}

/// An account's id.
public typealias UserID = Tagged<IdentifierTag.User, UUID>
/// An operation's id: every record belongs to one, and access is decided per operation.
public typealias OperationID = Tagged<IdentifierTag.Operation, UUID>
/// An incident's id.
public typealias IncidentID = Tagged<IdentifierTag.Incident, UUID>
/// A site's id: offices, residences, warehouses, and the flow-monitoring points and assembly points among them.
public typealias SiteID = Tagged<IdentifierTag.Site, UUID>
/// A risk's id, in the operation's register.
public typealias RiskID = Tagged<IdentifierTag.Risk, UUID>
/// A "what changed" report issued from the risk register.
public typealias RiskReportID = Tagged<IdentifierTag.RiskReport, UUID>
/// One security assessment of a site.
public typealias SiteAssessmentID = Tagged<IdentifierTag.SiteAssessment, UUID>
/// A declaration of a security phase (pending, in force or withdrawn).
public typealias PhaseDeclarationID = Tagged<IdentifierTag.PhaseDeclaration, UUID>
/// One version of a security plan.
public typealias PlanVersionID = Tagged<IdentifierTag.PlanVersion, UUID>
/// A document attached to a plan version.
public typealias PlanAttachmentID = Tagged<IdentifierTag.PlanAttachment, UUID>
/// One MSR compliance assessment.
public typealias ComplianceAssessmentID = Tagged<IdentifierTag.ComplianceAssessment, UUID>
/// A planning scenario.
public typealias ScenarioID = Tagged<IdentifierTag.Scenario, UUID>
/// An API token (its id, never its secret).
public typealias APITokenID = Tagged<IdentifierTag.APIToken, UUID>
/// A tally at a flow-monitoring point.
public typealias FlowObservationID = Tagged<IdentifierTag.FlowObservation, UUID>
/// A person in an operation's personnel register (duty of care).
public typealias PersonID = Tagged<IdentifierTag.Person, UUID>
/// A roll-call of the people in an area.
public typealias RollCallID = Tagged<IdentifierTag.RollCall, UUID>
/// A field movement.
public typealias MovementID = Tagged<IdentifierTag.Movement, UUID>
/// A durable job (alert delivery, reminders, the channel monitor).
public typealias JobID = Tagged<IdentifierTag.Job, UUID>
/// An alert sent to people of the register.
public typealias AlertID = Tagged<IdentifierTag.Alert, UUID>
/// One person an alert was sent to: their answer, and the key of their one-time link.
public typealias AlertRecipientID = Tagged<IdentifierTag.AlertRecipient, UUID>
/// A service in the operation's referral directory (Open Referral HSDS's `service`).
public typealias ServiceID = Tagged<IdentifierTag.Service, UUID>
/// A place where services are delivered (HSDS's `location`).
public typealias ServiceLocationID = Tagged<IdentifierTag.ServiceLocation, UUID>
/// An organization that provides services (HSDS's `organization`).
public typealias ServiceOrganizationID = Tagged<IdentifierTag.ServiceOrganization, UUID>
/// A referral of a person (by a pseudonymous reference) to a service.
public typealias ReferralID = Tagged<IdentifierTag.Referral, UUID>
/// A risk of the protection-risk register (GPC's risks against context and journey phase).
public typealias ProtectionRiskID = Tagged<IdentifierTag.ProtectionRisk, UUID>
/// An organisation or a person of the operation's stakeholder registry.
public typealias StakeholderID = Tagged<IdentifierTag.Stakeholder, UUID>
/// A coordination meeting (cluster, security cell, bilateral …).
public typealias MeetingID = Tagged<IdentifierTag.Meeting, UUID>
/// An action point agreed at a meeting.
public typealias MeetingActionID = Tagged<IdentifierTag.MeetingAction, UUID>
/// An advocacy product (key messages, a humanitarian update, an issue brief …).
public typealias ProductID = Tagged<IdentifierTag.Product, UUID>
/// A distribution list built from the stakeholder registry.
public typealias DistributionListID = Tagged<IdentifierTag.DistributionList, UUID>
/// One sending of an approved product, by one channel, to one list.
public typealias DistributionID = Tagged<IdentifierTag.Distribution, UUID>
/// A document for the HeOps: a weekly brief, a sitrep, a migration update, a handover pack.
public typealias BriefID = Tagged<IdentifierTag.Brief, UUID>
/// A document generated and sent on a schedule.
public typealias BriefScheduleID = Tagged<IdentifierTag.BriefSchedule, UUID>
/// A security line of the Emergency Appeal budget.
public typealias BudgetLineID = Tagged<IdentifierTag.BudgetLine, UUID>
