import Domain
import Foundation

/// KoBoToolbox and ODK exports and forms (MIGRATION.md §1.7): the XLSForm (.xlsx, or KoBo's JSON
/// `content`), and the submissions as CSV (KoBo's `;`-separated with an HXL row, or ODK Central's),
/// XLSX (KoBo's XLS export; its first sheet, repeats on the others), or JSON (KoBo's data API
/// `results`, the form-and-submissions files of KPI and formpack, ODK Central's OData `value`).
public enum KoboReader {
    public enum Format: String, Sendable, CaseIterable { case kobo, odk }

    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// The submissions of an export: the columns as the file heads them, the HXL row's hashtags when
    /// it has one, and the rows, read one at a time (a CSV streams from its file, so a file of
    /// 100,000 submissions is never in memory whole). JSON submissions are flattened: nested groups
    /// joined with "/", arrays of choices joined with spaces; repeats are counted
    /// (`<repeat>/count`), not kept.
    public struct Table: Sendable {
        public var columns: [String]
        public var hxl: [String?]
        public var rows: Rows
        /// A form found in the same file (KPI's and formpack's JSON carry their form).
        public var form: FormDefinition?
    }

    /// The rows of a table, each as wide as the header, blank rows skipped.
    public final class Rows: @unchecked Sendable {
        enum Source {
            case csv(CSVRows)
            case list([[String]], startRow: Int)
        }
        let source: Source
        let width: Int
        var pending: (cells: [String], row: Int)?
        var position = 0
        /// The file's row number of the row `next()` returned last (the header being 1; a JSON
        /// list's first submission being 1).
        public private(set) var rowNumber = 0

        init(_ source: Source, width: Int) {
            self.source = source
            self.width = width
        }

        func raw() throws -> (cells: [String], row: Int)? {
            if let pending {
                self.pending = nil
                return pending
            }
            switch source {
            case .csv(let reader):
                guard let cells = try reader.next() else { return nil }
                return (cells, reader.recordNumber)
            case .list(let rows, let startRow):
                guard position < rows.count else { return nil }
                position += 1
                return (rows[position - 1], startRow + position - 1)
            }
        }

        public func next() throws -> [String]? {
            while let (cells, row) = try raw() {
                if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
                rowNumber = row
                return cells.count < width ? cells + Array(repeating: "", count: width - cells.count) : cells
            }
            return nil
        }

        /// Every remaining row (tests and small files).
        public func all() throws -> [[String]] {
            var rows: [[String]] = []
            while let row = try next() { rows.append(row) }
            return rows
        }
    }

    // MARK: Forms

    /// An XLSForm (.xlsx) or a KoBo form's JSON (`content` with `survey` and `choices`).
    public static func form(_ data: Data, name: String) throws -> FormDefinition {
        if XLSXReader.isXLSX(data) {
            let sheets: [XLSXReader.Sheet]
            do { sheets = try XLSXReader.sheets(data) } catch let failure as XLSXReader.Failure {
                throw Failure(failure.description)
            }
            func table(_ sheet: String) -> [[String: String]] {
                guard let rows = sheets.first(where: { $0.name.lowercased() == sheet })?.rows, let header = rows.first
                else { return [] }
                let keys = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                return rows.dropFirst().map { cells in
                    Dictionary(zip(keys, cells).filter { !$0.0.isEmpty }, uniquingKeysWith: { first, _ in first })
                }
            }
            let survey = table("survey")
            guard !survey.isEmpty else { throw Failure("\(name) has no survey sheet: it is not an XLSForm.") }
            let settings = table("settings").first ?? [:]
            let formID =
                settings["form_id"].flatMap { $0.isEmpty ? nil : $0 } ?? settings["id_string"]
                ?? ((name as NSString).deletingPathExtension)
            return build(formID: formID, survey: survey, choices: table("choices"))
        }
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Failure("\(name) is neither an XLSForm (.xlsx) nor a KoBo form's JSON.")
        }
        guard let form = jsonForm(json) else { throw Failure("\(name) has no form content (survey).") }
        return form
    }

    static func jsonForm(_ json: [String: Any]) -> FormDefinition? {
        let content = (json["content"] as? [String: Any]) ?? json
        guard let survey = content["survey"] as? [[String: Any]] else { return nil }
        func text(_ value: Any?) -> String? {
            if let s = value as? String { return s }
            if let list = value as? [Any] { return list.compactMap { $0 as? String }.joined(separator: "\u{1F}") }
            return nil
        }
        let rows = survey.map { row -> [String: String] in
            var out: [String: String] = [:]
            for (key, value) in row {
                if key == "tags", let tags = value as? [String], let tag = tags.first(where: { $0.hasPrefix("hxl:") }) {
                    out["hxl"] = String(tag.dropFirst(4))
                } else if let t = text(value) {
                    out[key.lowercased()] = t
                }
            }
            if let list = row["select_from_list_name"] as? String, let type = out["type"] {
                out["type"] = type + " " + list
            }
            return out
        }
        let choices = ((content["choices"] as? [[String: Any]]) ?? []).map { row in
            [
                "list_name": text(row["list_name"]) ?? "", "name": text(row["name"]) ?? "",
                "label": text(row["label"]) ?? "",
            ]
        }
        let settings = content["settings"] as? [String: Any]
        let formID =
            text(settings?["id_string"]) ?? text(settings?["form_id"]) ?? text(json["name"]) ?? text(json["version"])
            ?? "form"
        return build(formID: formID, survey: rows, choices: choices)
    }

    /// Questions with their group paths, from the survey rows; trailing spaces trimmed (real forms have them).
    static func build(formID: String, survey: [[String: String]], choices: [[String: String]]) -> FormDefinition {
        var path: [String] = []
        var repeats: [Bool] = []
        var questions: [FormDefinition.Question] = []
        for row in survey {
            let type = (row["type"] ?? "").trimmingCharacters(in: .whitespaces)
            let name = (row["name"] ?? "").trimmingCharacters(in: .whitespaces)
            let words = type.lowercased().replacingOccurrences(of: "_", with: " ")
            if words.hasPrefix("begin group") || words.hasPrefix("begin repeat") {
                path.append(name)
                repeats.append(words.hasPrefix("begin repeat"))
                continue
            }
            if words.hasPrefix("end group") || words.hasPrefix("end repeat") {
                _ = path.popLast()
                _ = repeats.popLast()
                continue
            }
            guard !name.isEmpty, !type.isEmpty else { continue }
            let (kind, list) = FormDefinition.kind(of: type)
            let labels = row.filter { $0.key == "label" || $0.key.hasPrefix("label::") }.flatMap {
                $0.value.split(separator: "\u{1F}").map { $0.trimmingCharacters(in: .whitespaces) }
            }.filter { !$0.isEmpty }
            questions.append(
                .init(
                    name: name, path: (path + [name]).joined(separator: "/"), kind: kind, list: list,
                    hxl: row["hxl"].flatMap { $0.isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) },
                    labels: labels, repeated: repeats.contains(true)))
        }
        var lists: [String: [String]] = [:]
        var labels: [String: [String: String]] = [:]
        for row in choices {
            let list = (row["list_name"] ?? "").trimmingCharacters(in: .whitespaces)
            let name = (row["name"] ?? "").trimmingCharacters(in: .whitespaces)
            guard !list.isEmpty, !name.isEmpty else { continue }
            lists[list, default: []].append(name)
            for (key, value) in row where key == "label" || key.hasPrefix("label::") {
                for label in value.split(separator: "\u{1F}").map({ $0.trimmingCharacters(in: .whitespaces) })
                where !label.isEmpty {
                    labels[list, default: [:]][label] = name
                }
            }
        }
        return FormDefinition(
            formID: formID.trimmingCharacters(in: .whitespaces), questions: questions, choices: lists,
            choiceLabels: labels)
    }

    // MARK: Submissions

    /// KoBo's and ODK's files are told apart by their content, not their maker: ODK's "-" group
    /// separator and `KEY` id are matched by the mapping like KoBo's "/" and `_uuid`.
    public static func submissions(_ data: Data, name: String) throws -> Table {
        if XLSXReader.isXLSX(data) { return try xlsx(data, name: name) }
        if isJSON(data.prefix(4_096)) { return try json(data, name: name) }
        guard let text = String(data: data, encoding: .utf8) else { throw Failure("\(name) is not UTF-8 text.") }
        return try csv(CSVRows(string: text), firstLine: Data(text.utf8.prefix(65_536)), name: name)
    }

    /// The same from a file; a CSV is read as it streams, never whole.
    public static func submissions(url: URL, name: String) throws -> Table {
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch { throw Failure("\(name) cannot be read.") }
        let head = (try? handle.read(upToCount: 65_536)) ?? Data()
        try? handle.close()
        if XLSXReader.isXLSX(head) || isJSON(head) {
            let data: Data
            do { data = try Data(contentsOf: url) } catch { throw Failure("\(name) cannot be read.") }
            return try submissions(data, name: name)
        }
        let reader: CSVRows
        do { reader = try CSVRows(url: url) } catch { throw Failure("\(name) cannot be read.") }
        return try csv(reader, firstLine: head, name: name)
    }

    static func isJSON(_ head: Data) -> Bool {
        let first = head.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) })
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    }

    static func xlsx(_ data: Data, name: String) throws -> Table {
        let sheets: [XLSXReader.Sheet]
        do { sheets = try XLSXReader.sheets(data) } catch let failure as XLSXReader.Failure {
            throw Failure(failure.description)
        }
        guard let first = sheets.first, let header = first.rows.first else { throw Failure("\(name) has no rows.") }
        return try table(header: header, rows: .list(Array(first.rows.dropFirst()), startRow: 2))
    }

    /// KoBo writes ";" by default; ODK Central ",". The header line says which (cut on bytes:
    /// "\r\n" is one Character in Swift).
    static func csv(_ reader: CSVRows, firstLine head: Data, name: String) throws -> Table {
        let line = head.prefix { $0 != 0x0A && $0 != 0x0D }
        if line.filter({ $0 == 0x3B }).count > line.filter({ $0 == 0x2C }).count { reader.separator = 0x3B }
        do {
            guard let header = try reader.next() else { throw Failure("\(name) is empty.") }
            return try table(header: header, rows: .csv(reader))
        } catch let failure as CSVRows.Failure {
            throw Failure("\(name) could not be read: \(failure).")
        }
    }

    /// The header and the rows, with KoBo's HXL row (the second) taken out when there is one.
    static func table(header: [String], rows source: Rows.Source) throws -> Table {
        let columns = header.map { $0.trimmingCharacters(in: .whitespaces) }
        let rows = Rows(source, width: columns.count)
        var hxl: [String?] = Array(repeating: nil, count: columns.count)
        if let second = try rows.raw() {
            let filled = second.cells.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if !filled.isEmpty, filled.allSatisfy({ $0.hasPrefix("#") }) {
                hxl = second.cells.prefix(columns.count).map {
                    $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces)
                }
                hxl += Array(repeating: nil, count: max(0, columns.count - hxl.count))
            } else {
                rows.pending = second
            }
        }
        return Table(columns: columns, hxl: hxl, rows: rows, form: nil)
    }

    static func json(_ data: Data, name: String) throws -> Table {
        guard let json = try? JSONSerialization.jsonObject(with: data) else {
            throw Failure("\(name) is not valid JSON.")
        }
        var form: FormDefinition?
        let submissions: [[String: Any]]
        if let list = json as? [[String: Any]] {
            submissions = list
        } else if let object = json as? [String: Any] {
            form = jsonForm(object)
            // KoBo's data API (`results`), KPI/formpack files (`submissions`), ODK's OData (`value`).
            guard let list = (object["results"] ?? object["submissions"] ?? object["value"]) as? [[String: Any]] else {
                throw Failure("\(name) has no submissions (a list, or results, submissions or value).")
            }
            submissions = list
        } else {
            throw Failure("\(name) is not a list of submissions.")
        }
        var columns: [String] = []
        var seen = Set<String>()
        let flat = submissions.map { submission -> [String: String] in
            var out: [String: String] = [:]
            flatten(submission, prefix: "", into: &out)
            for key in out.keys.sorted() where seen.insert(key).inserted { columns.append(key) }
            return out
        }
        return Table(
            columns: columns, hxl: Array(repeating: nil, count: columns.count),
            rows: Rows(.list(flat.map { row in columns.map { row[$0] ?? "" } }, startRow: 1), width: columns.count),
            form: form)
    }

    /// KoBo keys already carry their group path ("group/question"); ODK's OData nests objects.
    /// A repeat (an array of objects) becomes its count; an array of texts, one space-separated answer.
    static func flatten(_ value: [String: Any], prefix: String, into out: inout [String: String]) {
        for (key, item) in value {
            let name = key.contains("/") || prefix.isEmpty ? key : prefix + "/" + key
            switch item {
            case let nested as [String: Any]:
                flatten(nested, prefix: name, into: &out)
            case let list as [[String: Any]]:
                out[name + "/count"] = String(list.count)
            case let list as [Any]:
                out[name] = list.map { "\($0)" }.joined(separator: " ")
            case is NSNull:
                continue
            case let number as NSNumber:
                out[name] = number.stringValue
            case let text as String:
                out[name] = text
            default:
                out[name] = "\(item)"
            }
        }
    }
}
