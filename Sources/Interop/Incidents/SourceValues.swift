import Domain
import Foundation

/// A source row's coordinates: both in range, or none, with a warning naming the row when the
/// source gave coordinates that cannot be right. One rule for every source reader.
enum SourceCoordinates {
    static func checked(
        latitude: String?, longitude: String?, row: Int, field: String,
        problems: inout [ImportProblem]
    ) -> (latitude: Double?, longitude: Double?) {
        guard latitude != nil || longitude != nil else { return (nil, nil) }
        guard let lat = latitude.flatMap(Double.init), let lon = longitude.flatMap(Double.init) else {
            // Spreadsheets that lose the decimal separator turn 14.07092855 into 1.407.092.855.
            let given = [latitude, longitude].map { $0 ?? "" }.joined(separator: ", ")
            problems.append(
                ImportProblem(
                    row: row, field: field, severity: .warning,
                    message: "“\(given)” are not decimal coordinates (a lost decimal separator?); kept without them."))
            return (nil, nil)
        }
        guard (-90...90).contains(lat), (-180...180).contains(lon) else {
            problems.append(
                ImportProblem(
                    row: row, field: field, severity: .warning,
                    message: "Coordinates \(lat), \(lon) are out of range; kept without them."))
            return (nil, nil)
        }
        return (lat, lon)
    }
}

/// Calendar dates from sources: a day that does not exist (30 February) is an impossible date,
/// not the 2nd of March.
enum SourceDates {
    static let years = 1900...2100

    static func day(year: Int, month: Int, day: Int) -> DateComponents? {
        guard years.contains(year), let days = CivilDay.daysInMonth(year: year, month: month), (1...days).contains(day)
        else { return nil }
        return DateComponents(year: year, month: month, day: day)
    }
}

/// What every CSV source reader shares: opening the file and the next record, with failures
/// said in a person's words.
enum SourceCSV {
    static func open(_ url: URL) throws -> CSVRows {
        do { return try CSVRows(url: url) } catch { throw SourceFileError("Cannot open \(url.lastPathComponent).") }
    }

    static func next(_ rows: CSVRows) throws -> [String]? {
        do { return try rows.next() } catch CSVRows.Failure.notUTF8(let row) {
            throw SourceFileError("Row \(row) is not valid UTF-8 text.")
        } catch {
            throw SourceFileError("The file stops being readable after row \(rows.recordNumber): \(error)")
        }
    }
}

/// Source files that may not be UTF-8. Hand-written because Foundation decodes whole files only,
/// and CSV.swift streams UTF-8/16/32 but not Windows-1252.
enum SourceText {
    static let chunkSize = 1 << 20

    /// The file itself when it is valid UTF-8; otherwise a temporary UTF-8 copy of it read as
    /// Windows-1252 (`temporary` true: the caller removes it). Both passes stream in 1 MB chunks.
    static func utf8File(_ url: URL) throws -> (url: URL, encoding: String, temporary: Bool) {
        guard let input = try? FileHandle(forReadingFrom: url) else {
            throw SourceFileError("Cannot read \(url.lastPathComponent).")
        }
        defer { try? input.close() }
        var carry = Data()
        var valid = true
        while valid, let chunk = try input.read(upToCount: chunkSize), !chunk.isEmpty {
            carry.append(chunk)
            // Validate up to the last ASCII byte, so no multi-byte character is cut in two.
            guard let cut = carry.lastIndex(where: { $0 < 0x80 }) else { continue }
            valid = String(data: carry[carry.startIndex...cut], encoding: .utf8) != nil
            carry = Data(carry[(cut + 1)...])
        }
        if valid && (carry.isEmpty || String(data: carry, encoding: .utf8) != nil) { return (url, "UTF-8", false) }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bearing-utf8-\(UUID().uuidString).csv")
        guard FileManager.default.createFile(atPath: output.path, contents: nil),
            let writer = try? FileHandle(forWritingTo: output)
        else {
            throw SourceFileError(
                "Cannot write a temporary file to convert \(url.lastPathComponent) from Windows-1252.")
        }
        defer { try? writer.close() }
        try input.seek(toOffset: 0)
        while let chunk = try input.read(upToCount: chunkSize), !chunk.isEmpty {
            // Windows-1252 is one byte per character, so any chunk boundary is a character boundary.
            guard let text = String(data: chunk, encoding: .windowsCP1252) else {
                try? FileManager.default.removeItem(at: output)
                throw SourceFileError("The file is neither UTF-8 nor Windows-1252 text.")
            }
            try writer.write(contentsOf: Data(text.utf8))
        }
        return (output, "Windows-1252", true)
    }
}
