import Domain
import Foundation

/// A source row's coordinates: both in range, or none, with a warning naming the row when the
/// source gave coordinates that cannot be right. One rule for every source reader.
enum SourceCoordinates {
    static func checked(latitude: String?, longitude: String?, row: Int, field: String,
                        problems: inout [ImportProblem]) -> (latitude: Double?, longitude: Double?) {
        guard latitude != nil || longitude != nil else { return (nil, nil) }
        guard let lat = latitude.flatMap(Double.init), let lon = longitude.flatMap(Double.init) else {
            // Spreadsheets that lose the decimal separator turn 14.07092855 into 1.407.092.855.
            let given = [latitude, longitude].map { $0 ?? "" }.joined(separator: ", ")
            problems.append(ImportProblem(row: row, field: field, severity: .warning,
                                          message: "“\(given)” are not decimal coordinates (a lost decimal separator?); kept without them."))
            return (nil, nil)
        }
        guard (-90...90).contains(lat), (-180...180).contains(lon) else {
            problems.append(ImportProblem(row: row, field: field, severity: .warning,
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
        guard years.contains(year), (1...12).contains(month), day >= 1 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let first = calendar.date(from: DateComponents(year: year, month: month, day: 1)),
              let days = calendar.range(of: .day, in: .month, for: first), days.contains(day) else { return nil }
        return DateComponents(year: year, month: month, day: day)
    }
}
