/// Counts that come from input (a form, the API, a file) are added without trapping: a sum past
/// the type's range stops at its bound, which every check then reads as "too many".
extension FixedWidthInteger {
    public func saturatingAdding(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}

extension Sequence where Element: FixedWidthInteger {
    public func saturatingSum() -> Element { reduce(0) { $0.saturatingAdding($1) } }
}
