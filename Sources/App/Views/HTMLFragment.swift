import Views

/// The pages still drawn by Leaf place fragments built with Views' `HTML`; each goes when its page
/// becomes a view (issue 14).
typealias HTMLFragment = HTML

extension HTML {
    /// `<option>`s from tuples, as the Leaf pages' controllers build them.
    mutating func options(_ options: [(value: String, label: String, selected: Bool)]) {
        self.options(options.map { Choice(value: $0.value, label: $0.label, selected: $0.selected) })
    }
}
