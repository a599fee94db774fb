import Domain
import Foundation

/// An HR or surge roster as CSV, read into `PersonInput`s, one per row, for the one person decoder.
/// Columns are found by name, the way rosters name them ("Full name", "Mobile", "Thuraya",
/// "Staff ID", "E-mail") or by HXL hashtag (`#contact+name`, `#contact+phone`, `#contact+email`),
/// in any order. Columns that would bring in what the register must not hold (passport and ID
/// numbers, proof-of-life questions, dates of birth) are left out, and the report says so.
public enum PersonRoster {
    /// A row's input and where it was in the file (the header is line 1).
    public struct Row: Sendable {
        public let line: Int
        public let input: PersonInput
    }

    public struct Result: Sendable {
        public var rows: [Row] = []
        /// The register's fields the file has a column for: a re-import changes those only.
        public var fields: Set<PersonDraft.Field> = []
        /// Columns not read, and why ("Passport number: Bearing keeps no passport or ID numbers").
        public var ignored: [(column: String, reason: Reason)] = []
    }

    public enum Reason: String, Sendable {
        /// Passport, ID, proof of life, date of birth: never kept.
        case forbidden
        /// A column the register has no field for.
        case unknown
    }

    public enum Failure: Error, Equatable {
        case empty
        case noNameColumn
        case notUTF8(line: Int)
        case unreadable(String)
    }

    /// The register's fields, each with the names rosters give it (lower-cased, with spaces,
    /// dashes, dots and slashes made underscores) and its HXL hashtag.
    static var columns: [(field: WritableKeyPath<PersonInput, String>, names: Set<String>)] {
        [
            (\.fullName, ["full_name", "name", "staff_name", "person", "#contact+name", "#contact_name"]),
            (\.category, ["category", "staff_category", "personnel_category", "type", "contract_type"]),
            (\.organisation, ["organisation", "organization", "org", "agency", "national_society", "#org"]),
            (\.function, ["function", "position", "job_title", "title", "role", "post"]),
            (\.origin, ["origin", "national_international", "staff_type", "national_or_international", "nat_intl"]),
            (\.languages, ["languages", "language", "languages_spoken"]),
            (\.mobilePhone, ["mobile", "mobile_phone", "phone", "telephone", "cell", "whatsapp", "#contact+phone"]),
            (\.satellitePhone, ["satellite_phone", "sat_phone", "satphone", "thuraya", "iridium", "inmarsat"]),
            (\.otherPhone, ["other_phone", "phone_2", "landline", "office_phone"]),
            (\.radioCallSign, ["radio_call_sign", "call_sign", "callsign", "radio"]),
            (\.email, ["email", "e_mail", "email_address", "mail", "#contact+email"]),
            (\.emergencyContactName, ["emergency_contact", "emergency_contact_name", "next_of_kin", "nok"]),
            (
                \.emergencyContactPhone,
                ["emergency_contact_phone", "emergency_phone", "next_of_kin_phone", "nok_phone"]
            ),
            (\.arrival, ["arrival", "arrival_date", "date_of_arrival", "start_date", "arrived"]),
            (\.plannedDeparture, ["planned_departure", "departure", "departure_date", "end_date", "end_of_mission"]),
            (\.relocationGroup, ["relocation_group", "group"]),
            (\.relocationPriority, ["relocation_priority", "priority"]),
            (\.manager, ["manager", "manages_team", "manages_a_team", "is_manager"]),
            (\.relocation, ["relocation", "relocates", "relocation_choice"]),
            (\.externalID, ["id", "staff_id", "employee_id", "hr_id", "personnel_number", "surge_id", "#contact+id"]),
        ]
    }

    /// Columns Bearing's own export adds that an import does not take back (the places are chosen
    /// in Bearing, not typed), read past without a remark.
    static let exportOnly: Set<String> = ["residence", "assembly_point", "last_known_location", "location_confirmed"]

    /// The field a column fills, by `PersonInput`'s names.
    static func field(_ path: WritableKeyPath<PersonInput, String>) -> PersonDraft.Field? {
        let table: [(WritableKeyPath<PersonInput, String>, PersonDraft.Field)] = [
            (\.fullName, .fullName), (\.category, .category), (\.organisation, .organisation), (\.function, .function),
            (\.origin, .origin), (\.languages, .languages), (\.mobilePhone, .mobilePhone),
            (\.satellitePhone, .satellitePhone), (\.otherPhone, .otherPhone), (\.radioCallSign, .radioCallSign),
            (\.email, .email), (\.emergencyContactName, .emergencyContactName),
            (\.emergencyContactPhone, .emergencyContactPhone), (\.arrival, .arrival),
            (\.plannedDeparture, .plannedDeparture), (\.relocationGroup, .relocationGroup),
            (\.relocationPriority, .relocationPriority), (\.manager, .manager), (\.relocation, .relocation),
            (\.externalID, .externalID),
        ]
        return table.first { $0.0 == path }?.1
    }

    /// A column name that must never be imported.
    static func isForbidden(_ name: String) -> Bool {
        ["passport", "national_id", "id_number", "id_card", "identity", "proof_of_life", "pol_", "birth", "dob"]
            .contains { name.contains($0) } || name == "pol"
    }

    static func normalise(_ header: String) -> String {
        let lowered = header.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if lowered.hasPrefix("#") { return lowered.replacingOccurrences(of: " ", with: "") }
        var out = ""
        for ch in lowered {
            if ch.isLetter || ch.isNumber {
                out.append(ch)
            } else if !out.hasSuffix("_") {
                out.append("_")
            }
        }
        return out.trimmingCharacters(in: CharacterSet(charactersIn: "_"))
    }

    /// Reads the roster. Only the file's shape can fail it (no name column, not UTF-8); a row's
    /// own problems are the decoder's, said row by row.
    public static func read(_ csv: CSVRows) throws(Failure) -> Result {
        let header: [String]
        do {
            guard let first = try csv.next() else { throw Failure.empty }
            header = first
        } catch let failure as Failure {
            throw failure
        } catch CSVRows.Failure.notUTF8(let row) {
            throw .notUTF8(line: row)
        } catch {
            throw .unreadable("\(error)")
        }
        var result = Result()
        let columns = Self.columns
        var mapping: [(index: Int, field: WritableKeyPath<PersonInput, String>)] = []
        var firstName: Int?, lastName: Int?
        var taken = Set<Int>()
        for (index, raw) in header.enumerated() {
            let name = normalise(raw)
            if name.isEmpty { continue }
            if exportOnly.contains(name) {
                continue
            } else if isForbidden(name) {
                result.ignored.append((raw, .forbidden))
            } else if name == "first_name" || name == "given_name" {
                firstName = index
                result.fields.insert(.fullName)
            } else if name == "last_name" || name == "surname" || name == "family_name" {
                lastName = index
                result.fields.insert(.fullName)
            } else if let column = columns.enumerated().first(where: { $0.element.names.contains(name) }),
                !taken.contains(column.offset)
            {
                taken.insert(column.offset)
                mapping.append((index, column.element.field))
                if let field = Self.field(column.element.field) { result.fields.insert(field) }
            } else {
                result.ignored.append((raw, .unknown))
            }
        }
        let hasName = taken.contains(0) || firstName != nil || lastName != nil
        guard hasName else { throw .noNameColumn }
        while true {
            let fields: [String]
            do {
                guard let next = try csv.next() else { break }
                fields = next
            } catch CSVRows.Failure.notUTF8(let row) {
                throw .notUTF8(line: row)
            } catch {
                throw .unreadable("\(error)")
            }
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            var input = PersonInput()
            // A roster row says nothing of these unless it has the column: no defaults slip in.
            input.category = ""
            input.origin = ""
            for (index, field) in mapping where index < fields.count {
                input[keyPath: field] = undefused(fields[index].trimmingCharacters(in: .whitespacesAndNewlines))
            }
            if input.fullName.isEmpty {
                input.fullName = [firstName, lastName].compactMap { $0 }.filter { $0 < fields.count }
                    .map { fields[$0].trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(
                        separator: " ")
            }
            input.category = category(input.category)
            input.origin = origin(input.origin)
            result.rows.append(Row(line: csv.recordNumber, input: input))
        }
        return result
    }

    /// A roster's way of naming a category, as the register's; unknown words are kept for the
    /// decoder to refuse by name. An empty cell is a delegate's, the usual roster's subject.
    static func category(_ text: String) -> String {
        let word = normalise(text)
        if word.isEmpty { return PersonCategory.delegate.rawValue }
        if let exact = PersonCategory(rawValue: word) { return exact.rawValue }
        let table: [(PersonCategory, [String])] = [
            (.nationalSocietyVolunteer, ["volunteer", "ns_volunteer", "rc_volunteer"]),
            (.nationalSocietyStaff, ["ns_staff", "national_society_staff", "ns"]),
            (.surge, ["surge", "rdrt", "eru", "fact", "rapid_response", "rapid_response_member", "heops_surge"]),
            (.delegate, ["delegate", "international_delegate", "expat"]),
            (.ifrcStaff, ["ifrc_staff", "staff", "ifrc", "national_staff", "secretariat"]),
            (.consultant, ["consultant", "contractor"]),
            (.visitor, ["visitor", "guest", "mission", "visiting"]),
        ]
        return table.first { $0.1.contains(word) }?.0.rawValue ?? text
    }

    /// A cell an export guarded against spreadsheet formulas ("'+249 91…") read as it was meant.
    static func undefused(_ cell: String) -> String {
        guard cell.hasPrefix("'"), let next = cell.dropFirst().first, "=+-@".contains(next) else { return cell }
        return String(cell.dropFirst())
    }

    static func origin(_ text: String) -> String {
        let word = normalise(text)
        switch word {
        case "", "international", "intl", "int", "expat", "i":
            return word.isEmpty ? "" : StaffOrigin.international.rawValue
        case "national", "nat", "local", "n": return StaffOrigin.national.rawValue
        default: return text
        }
    }
}
