import Domain

/// A source row's coordinates: both in range, or none, with a warning naming the row when the
/// source gave coordinates that cannot be right. One rule for every source reader.
enum SourceCoordinates {
    static func checked(latitude: String?, longitude: String?, row: Int, field: String,
                        problems: inout [ImportProblem]) -> (latitude: Double?, longitude: Double?) {
        guard let lat = latitude.flatMap(Double.init), let lon = longitude.flatMap(Double.init) else { return (nil, nil) }
        guard (-90...90).contains(lat), (-180...180).contains(lon) else {
            problems.append(ImportProblem(row: row, field: field, severity: .warning,
                                          message: "Coordinates \(lat), \(lon) are out of range; kept without them."))
            return (nil, nil)
        }
        return (lat, lon)
    }
}
