import Foundation

/// A report added to an incident's timeline.
public enum IncidentReportText {
    /// The summary as kept (trimmed), or why it is refused: 1 to 10,000 characters.
    public static func checked(_ summary: String) throws(DomainError) -> String {
        let text = summary.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 10_000 else {
            throw DomainError(
                .invalid, field: "summary", key: "error.required", "A report needs a summary of 1–10,000 characters.")
        }
        return text
    }
}
