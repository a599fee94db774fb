import Foundation

/// A KoBo/ODK form as its XLSForm (or KoBo's JSON) declares it: the questions with their group
/// paths, types, choice lists and HXL hashtags. What the import checks answers against.
public struct FormDefinition: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, Hashable {
        case selectOne = "select_one", selectMultiple = "select_multiple", integer, decimal, date, text, meta, other
    }
    public struct Question: Sendable, Codable, Hashable {
        public var name: String
        /// "household/members_count": the groups it sits in, then its name.
        public var path: String
        public var kind: Kind
        public var list: String?
        public var hxl: String?
        /// Its labels in the form's languages, for exports that head columns with labels.
        public var labels: [String]
        /// Inside a repeat: its answers are on the export's other sheets, one row per repetition.
        public var repeated: Bool
        public init(
            name: String, path: String, kind: Kind, list: String? = nil, hxl: String? = nil, labels: [String] = [],
            repeated: Bool = false
        ) {
            self.name = name; self.path = path; self.kind = kind; self.list = list; self.hxl = hxl; self.labels = labels
            self.repeated = repeated
        }
    }
    /// The form's id (XLSForm `settings.form_id`, KoBo's `id_string`): what a saved mapping is kept under.
    public var formID: String
    public var questions: [Question]
    /// Choice names by list.
    public var choices: [String: [String]]
    /// Choice names by list and label: KoBo exports answers as labels unless told otherwise.
    public var choiceLabels: [String: [String: String]]

    public init(
        formID: String, questions: [Question], choices: [String: [String]],
        choiceLabels: [String: [String: String]] = [:]
    ) {
        self.formID = formID; self.questions = questions; self.choices = choices; self.choiceLabels = choiceLabels
    }

    /// An answer's choice name: the name itself, or the name of the choice it is the label of.
    public func choiceName(_ answer: String, list: String) -> String? {
        if choices[list]?.contains(answer) == true { return answer }
        return choiceLabels[list]?[answer]
    }

    /// The type column as XLSForm writes it, in either spelling: "select_one x", "select one x",
    /// "select_multiple x", "begin_group", "begin group".
    public static func kind(of type: String) -> (kind: Kind, list: String?) {
        let trimmed = type.trimmingCharacters(in: .whitespaces)
        let lower = trimmed.lowercased()
        // The list keeps its spelling (lists are matched exactly, underscores and case included).
        for (prefix, kind) in [
            ("select_one ", Kind.selectOne), ("select one ", .selectOne), ("select1 ", .selectOne),
            ("select_multiple ", .selectMultiple), ("select multiple ", .selectMultiple),
        ] where lower.hasPrefix(prefix) {
            let list = trimmed.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
            return (kind, list.isEmpty ? nil : list)
        }
        switch lower.split(separator: " ").first.map(String.init) ?? "" {
        case "integer": return (.integer, nil)
        case "decimal": return (.decimal, nil)
        case "date", "datetime": return (.date, nil)
        case "start", "end", "today", "deviceid", "username", "simserial", "subscriberid", "phonenumber", "audit":
            return (.meta, nil)
        case "text", "note", "calculate": return (.text, nil)
        default: return (.other, nil)
        }
    }

    /// The question an export's column holds, and the choice when the column is one of a
    /// select_multiple's 1/0 columns ("profile/reason/safety", "profile.reason.safety",
    /// "What kind of symmetry do you have?/Radial"). Group separators are "/", "." (KoBo's XLS
    /// export) or "-" (ODK Central); headers may be names, paths or labels.
    public func question(forColumn column: String) -> (question: Question, choice: String?)? {
        let header = column.trimmingCharacters(in: .whitespaces)
        let normal = Self.normalPath(header)
        if let q = questions.first(where: { Self.normalPath($0.path) == normal || $0.name == header }) {
            return (q, nil)
        }
        if let q = questions.first(where: { $0.labels.contains(header) }) { return (q, nil) }
        // A select_multiple's expanded column: the question, then a separator, then the choice.
        for q in questions where q.kind == .selectMultiple {
            for prefix in [q.path, q.name] + q.labels {
                for separator in ["/", ".", "-"] where header.hasPrefix(prefix + separator) {
                    let choice = String(header.dropFirst(prefix.count + 1))
                    return (q, choice)
                }
                if normal.hasPrefix(Self.normalPath(prefix) + "/") {
                    return (q, String(normal.dropFirst(Self.normalPath(prefix).count + 1)))
                }
            }
        }
        return nil
    }

    public static func normalPath(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ".", with: "/")
            .replacingOccurrences(of: "-", with: "/")
    }
}

/// The Bearing fields a submission's columns can fill, with the HXL hashtags and column names that
/// say so. HXL core has no hashtag for specific needs or a respondent's group; ours are written with
/// `#respondee`, HXL's hashtag for a survey respondent, and documented on the import page.
public enum AssessmentField: String, CaseIterable, Sendable, Codable, Hashable {
    case submissionID = "submission_id", date, area, group, sex, age, needs
    case prioritySectors = "priority_sectors", householdSize = "household_size"

    public var labelKey: String { "assessment_field.\(rawValue)" }

    /// Hashtags that name this field, most specific first (compared as HXL compares them).
    public var hashtags: [String] {
        switch self {
        case .submissionID: ["#meta+id", "#respondee+id"]
        case .date: ["#date+collected", "#date+start", "#date"]
        case .area: ["#adm2+code", "#adm1+code", "#loc+code"]
        case .group: ["#respondee+type", "#population+type", "#affected+type"]
        case .sex: ["#respondee+sex", "#beneficiary+sex"]
        case .age: ["#respondee+age", "#beneficiary+age"]
        case .needs: ["#respondee+needs", "#indicator+needs"]
        case .prioritySectors: ["#sector+priority"]
        case .householdSize: ["#respondee+hh_size", "#household+size"]
        }
    }

    /// Column names (the last part of a path, case and separators ignored) that name this field.
    public var names: [String] {
        switch self {
        case .submissionID: ["_uuid", "instanceid", "meta/instanceid", "key", "__id"]
        case .date: ["today", "date", "_submission_time", "submissiondate", "start"]
        case .area: ["adm1_pcode", "adm2_pcode", "admin1_pcode", "pcode", "adm1", "admin1"]
        case .group: ["population_group", "population_type", "pop_group", "displacement_status", "group"]
        case .sex: ["sex", "gender", "respondent_sex", "resp_sex"]
        case .age: ["age", "respondent_age", "resp_age"]
        case .needs: ["specific_needs", "needs", "vulnerabilities"]
        case .prioritySectors: ["priority_needs", "priority_sectors", "needs_priority"]
        case .householdSize: ["hhsize", "hh_size", "household_size"]
        }
    }
}

/// Which column fills which field, and how each was found.
public struct AssessmentMapping: Sendable, Codable, Hashable {
    public enum Source: String, Sendable, Codable, Hashable { case saved, hxl, name }
    public var columns: [AssessmentField: String]
    public var sources: [AssessmentField: Source]

    public init(columns: [AssessmentField: String] = [:], sources: [AssessmentField: Source] = [:]) {
        self.columns = columns; self.sources = sources
    }

    /// By the hashtags (the export's HXL row, else the form's `hxl` column), then by the names.
    public static func detect(columns: [String], hxl: [String?], form: FormDefinition?) -> AssessmentMapping {
        var mapping = AssessmentMapping()
        func tag(_ i: Int) -> String? {
            if hxl.indices.contains(i), let tag = hxl[i], !tag.isEmpty { return tag }
            return form?.question(forColumn: columns[i]).flatMap { $0.choice == nil ? $0.question.hxl : nil }
        }
        for field in AssessmentField.allCases {
            let wanted = field.hashtags.compactMap(Hashtag.init)
            for want in wanted {
                if let i = columns.indices.first(where: { tag($0).flatMap(Hashtag.init).map(want.matches) ?? false }) {
                    mapping.columns[field] = columns[i]
                    mapping.sources[field] = .hxl
                    break
                }
            }
        }
        for field in AssessmentField.allCases where mapping.columns[field] == nil {
            for name in field.names {
                let match = columns.first { column in
                    let normal = FormDefinition.normalPath(column).lowercased()
                    return normal == name || normal.split(separator: "/").last.map(String.init) == name
                        || column.lowercased() == name
                }
                if let match, !mapping.columns.values.contains(match) {
                    mapping.columns[field] = match
                    mapping.sources[field] = .name
                    break
                }
            }
        }
        return mapping
    }

    /// A saved mapping where the file has its columns; the detected one for the rest.
    public func applying(saved: [AssessmentField: String], columns: [String]) -> AssessmentMapping {
        var next = self
        for (field, column) in saved where columns.contains(column) {
            next.columns[field] = column
            next.sources[field] = .saved
        }
        return next
    }

    /// A hashtag and attributes, compared as HXL does: the wanted attributes are all there.
    struct Hashtag {
        let tag: String
        let attributes: Set<String>
        init?(_ text: String) {
            let parts = text.trimmingCharacters(in: .whitespaces).lowercased().split(separator: "+").map(String.init)
            guard let first = parts.first, first.hasPrefix("#"), first.count > 1 else { return nil }
            tag = first
            attributes = Set(parts.dropFirst())
        }
        func matches(_ other: Hashtag) -> Bool { tag == other.tag && attributes.isSubset(of: other.attributes) }
    }
}

/// One submission as the import keeps it: the mapped fields, decoded, and the answers to the form's
/// closed questions (select_one, select_multiple, numbers, dates). Free text is never kept: it is
/// where names and stories are, and the assessment reports counts.
public struct AssessmentResponseDraft: Sendable, Hashable {
    public var submissionID: String
    public var submittedAt: Date?
    public var areaPcode: String?
    public var group: PopulationType
    /// "f" or "m"; nil when not said.
    public var sex: String?
    /// One of UNHCR's brackets ("18_59"); nil when not said.
    public var ageBracket: String?
    public var needs: [SpecificNeed]
    public var prioritySectors: [IFRCSector]
    public var householdSize: Int?
    /// Question path → the choices (select_multiple keeps every one) or the value.
    public var answers: [String: [String]]
}

/// Reads one row of an export into a response, or says why it cannot.
public struct SubmissionDecoder: Sendable {
    public let columns: [String]
    public let mapping: AssessmentMapping
    public let form: FormDefinition?
    /// The group of submissions whose row does not say (an assessment of one group).
    public let defaultGroup: PopulationType?
    public let knownAreas: Set<String>?

    public init(
        columns: [String], mapping: AssessmentMapping, form: FormDefinition?, defaultGroup: PopulationType?,
        knownAreas: Set<String>?
    ) {
        self.columns = columns; self.mapping = mapping; self.form = form; self.defaultGroup = defaultGroup
        self.knownAreas = knownAreas
        index = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        questions = columns.map { form?.question(forColumn: $0) }
        var expanded: [String: [(choice: String, column: Int)]] = [:]
        for (i, resolved) in questions.enumerated() {
            if let (question, choice) = resolved, let choice {
                expanded[question.path, default: []].append((choice, i))
            }
        }
        expansions = expanded
    }

    let index: [String: Int]
    let questions: [(question: FormDefinition.Question, choice: String?)?]
    /// A select_multiple's 1/0 columns by question: what says which choices were picked when the
    /// answer column holds labels, which may have spaces of their own.
    let expansions: [String: [(choice: String, column: Int)]]

    /// Words the field forms use for groups, besides UNHCR's codes.
    static let groupWords: [String: PopulationType] = [
        "refugee": .refugees, "refugees": .refugees, "asylum_seeker": .asylumSeekers, "asylum": .asylumSeekers,
        "idp": .idps, "idps": .idps, "internally_displaced": .idps, "returnee": .returnedRefugees,
        "returned_refugee": .returnedRefugees, "returned_idp": .returnedIDPs, "stateless": .stateless,
        "host": .hostCommunity, "host_community": .hostCommunity, "resident": .hostCommunity,
        "migrant": .migrantsInTransit, "migrants": .migrantsInTransit, "migrant_in_transit": .migrantsInTransit,
    ]

    public func decode(_ cells: [String], row: Int) -> Result<AssessmentResponseDraft, SubmissionProblem> {
        func value(_ field: AssessmentField) -> String? {
            guard let column = mapping.columns[field], let i = index[column], cells.indices.contains(i) else {
                return nil
            }
            let text = cells[i].trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : text
        }
        func problem(_ field: String, _ message: String) -> Result<AssessmentResponseDraft, SubmissionProblem> {
            .failure(SubmissionProblem(row: row, field: field, message: message))
        }
        // Answers outside the form's choices.
        var answers: [String: [String]] = [:]
        for (i, resolved) in questions.enumerated() {
            guard let (question, choice) = resolved, choice == nil, cells.indices.contains(i) else { continue }
            let text = cells[i].trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { continue }
            switch question.kind {
            case .selectOne, .selectMultiple:
                var picked: [String]
                if question.kind == .selectOne {
                    picked = [text]
                } else if let columns = expansions[question.path], !columns.isEmpty {
                    picked = columns.filter {
                        cells.indices.contains($0.column)
                            && cells[$0.column].trimmingCharacters(in: .whitespaces) == "1"
                    }.map(\.choice)
                } else {
                    picked = text.split(separator: " ").map(String.init)
                }
                if let list = question.list, let form, let allowed = form.choices[list] {
                    var names: [String] = []
                    for answer in picked {
                        guard let name = form.choiceName(answer, list: list) else {
                            return problem(
                                question.path,
                                "“\(answer)” is not a choice of \(question.path) (\(allowed.prefix(12).joined(separator: ", "))\(allowed.count > 12 ? ", …" : ""))."
                            )
                        }
                        names.append(name)
                    }
                    picked = names
                }
                answers[question.path] = picked
            case .integer, .decimal, .date:
                answers[question.path] = [text]
            case .text, .meta, .other:
                continue
            }
        }
        let id = value(.submissionID) ?? Self.digest(cells)
        var submittedAt: Date?
        if let text = value(.date) {
            submittedAt = Self.date(text)
            if submittedAt == nil { return problem("date", "“\(text)” is not a date.") }
        }
        var area: String?
        if let text = value(.area) {
            let code = text.uppercased()
            if let knownAreas, !knownAreas.contains(code) {
                return problem("area", "“\(text)” is not an admin area P-code of this operation.")
            }
            area = code
        }
        var group = defaultGroup
        if let text = value(.group) {
            let normal = text.lowercased().replacingOccurrences(of: " ", with: "_")
            group =
                PopulationType(rawValue: text.uppercased()).flatMap { $0 == .totalPopulation ? nil : $0 }
                ?? Self.groupWords[normal]
            if group == nil {
                return problem(
                    "group",
                    "“\(text)” is not a population group (REF, ASY, IDP, RET, RDP, STA, HST, MIT, or words like refugee, host)."
                )
            }
        }
        guard let group else {
            return problem("group", "The row does not say its group, and the import names none for such rows.")
        }
        var sex: String?
        if let text = value(.sex) {
            switch text.lowercased() {
            case "f", "female", "woman", "girl", "femme", "mujer", "femenino", "أنثى": sex = "f"
            case "m", "male", "man", "boy", "homme", "hombre", "masculino", "ذكر": sex = "m"
            case "other", "no_answer", "prefer_not", "unknown": sex = nil
            default: return problem("sex", "“\(text)” is not a sex (f or m, female or male).")
            }
        }
        var bracket: String?
        if let text = value(.age) {
            if let age = Int(text), (0...120).contains(age) {
                bracket = Self.bracket(age)
            } else if DisaggregationScheme.unhcrAgeBrackets.contains(text) {
                bracket = text
            } else {
                return problem("age", "“\(text)” is not an age (0–120) or one of UNHCR's brackets (0_4 … 60).")
            }
        }
        var needs: [SpecificNeed] = []
        for code in (value(.needs) ?? "").split(separator: " ").map(String.init) where code != "none" {
            guard let need = SpecificNeed(code: code) else {
                return problem("needs", "“\(code)” is not a UNHCR specific-needs code (like SC-UC, DS-PM, SV-VA).")
            }
            if !needs.contains(need) { needs.append(need) }
        }
        var sectors: [IFRCSector] = []
        for word in (value(.prioritySectors) ?? "").split(separator: " ").map(String.init) {
            guard
                let sector = IFRCSector(rawValue: word)
                    ?? IFRCSector.allCases.first(where: { $0.rawValue.hasPrefix(word) })
            else {
                return problem(
                    "priority_sectors",
                    "“\(word)” is not an IFRC sector (like health, shelter_housing_and_settlements).")
            }
            if !sectors.contains(sector) { sectors.append(sector) }
        }
        var size: Int?
        if let text = value(.householdSize) {
            guard let n = Int(text), (1...100).contains(n) else {
                return problem("household_size", "“\(text)” is not a household size (1–100).")
            }
            size = n
        }
        return .success(
            AssessmentResponseDraft(
                submissionID: String(id.prefix(100)), submittedAt: submittedAt, areaPcode: area, group: group,
                sex: sex, ageBracket: bracket, needs: needs, prioritySectors: sectors, householdSize: size,
                answers: answers))
    }

    static func bracket(_ age: Int) -> String {
        switch age {
        case ..<5: "0_4"
        case 5...11: "5_11"
        case 12...17: "12_17"
        case 18...59: "18_59"
        default: "60"
        }
    }

    /// ISO 8601 with or without a time or zone (KoBo: "2017-10-23T05:40:39.000-04:00"; ODK:
    /// "2026-05-01T10:00:00.000Z"; a day), or an Excel serial day from an XLS export (44861.37).
    static func date(_ text: String) -> Date? {
        if let date = isoDate(Array(text.utf8)) { return date }
        if let serial = Double(text), serial > 20_000, serial < 80_000 {
            return Date(timeIntervalSince1970: (serial - 25_569) * 86_400)
        }
        return nil
    }

    /// "YYYY-MM-DD", then optionally "T" or " ", "HH:MM[:SS[.fff]]", then optionally "Z" or "±HH[:]MM"
    /// (no zone: UTC). Read by hand: a DateFormatter made and tried per row cost most of an
    /// import's time (2,200 rows/s for 100,000 submissions).
    static func isoDate(_ b: [UInt8]) -> Date? {
        var i = 0
        func number(_ digits: Int) -> Int? {
            guard i + digits <= b.count else { return nil }
            var value = 0
            for k in i..<(i + digits) {
                guard (0x30...0x39).contains(b[k]) else { return nil }
                value = value * 10 + Int(b[k] - 0x30)
            }
            i += digits
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard i < b.count, b[i] == byte else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect(0x2D), let month = number(2), expect(0x2D), let day = number(2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var seconds = 0.0
        if i < b.count, b[i] == 0x54 || b[i] == 0x20 {
            i += 1
            guard let hour = number(2), expect(0x3A), let minute = number(2), hour < 24, minute < 60 else { return nil }
            seconds = Double(hour * 3_600 + minute * 60)
            if expect(0x3A) {
                guard let second = number(2), second < 61 else { return nil }
                seconds += Double(second)
                if expect(0x2E) {
                    var scale = 0.1
                    while i < b.count, (0x30...0x39).contains(b[i]) {
                        seconds += Double(b[i] - 0x30) * scale
                        scale /= 10
                        i += 1
                    }
                }
            }
            if i < b.count {
                if b[i] == 0x5A {
                    i += 1
                } else if b[i] == 0x2B || b[i] == 0x2D {
                    let sign = b[i] == 0x2B ? 1.0 : -1.0
                    i += 1
                    guard let zoneHours = number(2) else { return nil }
                    _ = expect(0x3A)
                    guard let zoneMinutes = number(2) else { return nil }
                    seconds -= sign * Double(zoneHours * 3_600 + zoneMinutes * 60)
                }
            }
        }
        guard i == b.count else { return nil }
        // Days from the civil date (Howard Hinnant's algorithm): no calendar object per row.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Date(timeIntervalSince1970: Double(days) * 86_400 + seconds)
    }

    /// A stable id for a row without one: the same row in a re-import is the same submission.
    public static func digest(_ cells: [String]) -> String {
        // FNV-1a over the cells, 64 bits twice (two seeds): no dependency, stable across runs.
        func fnv(_ seed: UInt64) -> UInt64 {
            var hash = seed
            for cell in cells {
                for byte in cell.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
                hash = (hash ^ 0x1F) &* 0x100_0000_01b3
            }
            return hash
        }
        return "row:" + String(fnv(0xcbf2_9ce4_8422_2325), radix: 16) + String(fnv(0x8422_2325_cbf2_9ce4), radix: 16)
    }
}

/// Why one submission was not imported.
public struct SubmissionProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file's row (the header being 1), or the position in a JSON list (the first being 1).
    public let row: Int
    public let field: String
    public let message: String
    public init(row: Int, field: String, message: String) { self.row = row; self.field = field; self.message = message }
    public var description: String { "Row \(row), \(field): \(message)" }
}
