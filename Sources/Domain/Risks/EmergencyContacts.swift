import Foundation

/// The numbers a person reporting a serious incident must be able to call at once (the GSU's 24/7
/// line, the Security Coordinator): an operation setting the Security Coordinator keeps, shown as
/// `tel:` links on the incident form. None by default: a wrong number is worse than none.
public struct EmergencyContacts: Sendable, Hashable, SettingsGroup {
    public struct Contact: Sendable, Hashable, Codable {
        public var name: String
        public var phone: String
        public init(name: String, phone: String) { self.name = name; self.phone = phone }

        /// The number as a `tel:` URI wants it: "+", digits only.
        public var dialled: String { phone.filter { $0 == "+" || $0.isASCII && $0.isNumber } }
    }

    public enum Key: String, CaseIterable, Sendable, SettingsKey { case contacts = "emergency_contacts" }

    public var contacts: [Contact]
    public init(contacts: [Contact] = []) { self.contacts = contacts }
    public static let defaults = EmergencyContacts()

    public func json(_ key: Key) -> String { SettingsJSON.encode(contacts) }

    public func replacing(_ key: Key, json: String) throws(ValidationErrors) -> EmergencyContacts {
        let contacts = try SettingsJSON.decode([Contact].self, json, field: key.rawValue)
        var errors = ValidationErrors()
        for (index, contact) in contacts.enumerated() {
            let place = "Contact \(index + 1)"
            if contact.name.trimmingCharacters(in: .whitespaces).isEmpty || contact.name.count > 100 {
                errors.add(key.rawValue, key: "error.settings_invalid", "\(place): give a name of 1–100 characters.")
            }
            let digits = contact.phone.filter { $0.isASCII && $0.isNumber }.count
            let allowed = contact.phone.allSatisfy { $0.isASCII && ($0.isNumber || " +-().".contains($0)) }
            if !allowed || !(6...17).contains(digits) || contact.phone.dropFirst().contains("+") {
                errors.add(
                    key.rawValue, key: "error.settings_invalid",
                    "\(place): “\(contact.phone)” is not a phone number such as +41 22 730 4222.")
            }
        }
        if contacts.count > 10 {
            errors.add(key.rawValue, key: "error.settings_invalid", "At most 10 numbers: the form must stay short.")
        }
        try errors.throwIfAny()
        return EmergencyContacts(contacts: contacts)
    }
}
