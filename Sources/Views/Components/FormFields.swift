/// A form's labelled fields with their help and their error, written once for the forms that came
/// after the first ones (which spell theirs out).
extension HTML {
    /// `<label>` and `<input>`, its help under it, its error after.
    public mutating func textInput(
        _ t: Strings, _ name: String, label: String, value: String, errors: [String: String],
        _ attributes: StaticString = "", help: String? = nil
    ) {
        markup("\n  <label")
        attribute("for", name)
        markup(">")
        text(t(label))
        markup("</label>\n  <input")
        attribute("id", name)
        attribute("name", name)
        attribute("value", value)
        if attributes.utf8CodeUnitCount > 0 { markup(" "); markup(attributes) }
        if help != nil { attribute("aria-describedby", name + "-help") }
        markup(">")
        fieldHelp(t, name, help)
        fieldError(errors, name)
    }

    /// `<label>` and `<textarea>`; `ltr` for lists of numbers and addresses.
    public mutating func textArea(
        _ t: Strings, _ name: String, label: String, value: String, errors: [String: String], rows: Int = 3,
        help: String? = nil, ltr: Bool = false
    ) {
        markup("\n  <label")
        attribute("for", name)
        markup(">")
        text(t(label))
        markup("</label>\n  <textarea")
        attribute("id", name)
        attribute("name", name)
        attribute("rows", String(rows))
        if ltr { markup(" dir=\"ltr\"") }
        if help != nil { attribute("aria-describedby", name + "-help") }
        markup(">")
        text(value)
        markup("</textarea>")
        fieldHelp(t, name, help)
        fieldError(errors, name)
    }

    /// `<label>` and `<select>`, with a first empty choice when `blank` names it.
    public mutating func selectField(
        _ t: Strings, _ name: String, label: String, choices: [Choice], errors: [String: String],
        blank: String? = nil, help: String? = nil
    ) {
        markup("\n  <label")
        attribute("for", name)
        markup(">")
        text(t(label))
        markup("</label>\n  <select")
        attribute("id", name)
        attribute("name", name)
        if help != nil { attribute("aria-describedby", name + "-help") }
        markup(">")
        if let blank {
            markup("<option value=\"\">")
            text(t(blank))
            markup("</option>")
        }
        options(choices)
        markup("</select>")
        fieldHelp(t, name, help)
        fieldError(errors, name)
    }

    mutating func fieldHelp(_ t: Strings, _ name: String, _ help: String?) {
        guard let help else { return }
        markup("<small class=\"help\"")
        attribute("id", name + "-help")
        markup(">")
        text(t(help))
        markup("</small>")
    }

    /// A definition list's row: the term and its value (nothing when the value is empty).
    public mutating func detail(_ term: String, _ value: String?, ltr: Bool = false) {
        guard let value, !value.isEmpty else { return }
        markup("<dt>")
        text(term)
        // Isolated, not given its own direction: a Latin value stays beside its label on an Arabic page.
        markup(ltr ? "</dt><dd><span dir=\"ltr\">" : "</dt><dd><bdi>")
        text(value)
        markup(ltr ? "</span></dd>" : "</bdi></dd>")
    }
}
