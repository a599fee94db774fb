import Foundation

/// The words the crisis log writes itself (the first call, a status change, the GSU consulted, the
/// CIMT decision, stand-down, review), in the language of whoever made the change: a log reads as
/// its writers wrote it. Templates carry {placeholders}; labels are the vocabulary's words.
public struct CrisisWording: Sendable {
    public let template: @Sendable (String) -> String
    public let label: @Sendable (String) -> String
    public let time: @Sendable (Date) -> String

    public init(
        template: @escaping @Sendable (String) -> String, label: @escaping @Sendable (String) -> String,
        time: @escaping @Sendable (Date) -> String
    ) {
        self.template = template
        self.label = label
        self.time = time
    }

    /// The template `key` with its placeholders filled.
    public func text(_ key: String, _ values: [String: String]) -> String {
        var out = template(key)
        for (name, value) in values { out = out.replacingOccurrences(of: "{\(name)}", with: value) }
        return out
    }

    /// English with raw vocabulary words and UTC times: the command line, the demo, the store's tests.
    public static let english = CrisisWording(
        template: { englishTemplates[$0] ?? $0 },
        label: { key in key == "ci_owner_security" ? "Security" : String(key.split(separator: ".").last ?? "") },
        time: { DateText.minute($0) })

    public static let englishTemplates: [String: String] = [
        "first_call":
            "First call from {caller} ({phone}).\nWho: {who}\nWhat: {what}\nWhere: {where}\nWhen: {occurred}, known {known}",
        "first_call_why": "Why: {why}",
        "first_call_end": "Risk to life: {risk}. Level: {level}. Call back at {call_back}.",
        "next_call_back": "Next call-back agreed for {time}.",
        "gsu": "GSU consulted: {contact}. Advice: {advice}",
        "cimt_activated": "CIMT activated",
        "cimt_activated_plan": "CIMT activated (team from CIM plan version {version})",
        "cimt_not_activated": "CIMT not activated",
        "person_status": "{name}: {from} → {to}",
        "person_new": "{name}: {to}",
        "person_liaison": "family liaison: {liaison}",
        "roll_call": "Roll-call of {area} opened.",
        "stood_down": "The crisis team stood down.",
        "review": "After-action review. Procedures followed: {followed}. Lessons: {lessons}",
        "review_changes": "Changes to the plans: {changes}",
    ]
}
