/// A value handed to a template: a tree of strings, flags, lists and objects.
public indirect enum TemplateValue: Sendable, Equatable {
    /// Text, inserted as is (templates here produce plain text, never HTML).
    case string(String)
    /// A flag for `{{#flag}}…{{/flag}}` sections.
    case bool(Bool)
    /// A list, iterated by a section.
    case list([TemplateValue])
    /// Named values.
    case object([String: TemplateValue])
}

/// Renders the named plain-text templates of outgoing mail.
public protocol TemplateRendering: Sendable {
    /// Renders the template `name` (e.g. `forward`, `acknowledgement`) with `context`.
    ///
    /// - Throws: when the template does not exist or cannot be rendered.
    func render(_ name: String, context: TemplateValue) throws -> String
}
