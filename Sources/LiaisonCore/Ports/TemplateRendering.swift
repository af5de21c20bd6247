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

    /// Renders `organization`'s own version of the template `name` when it has one, else the
    /// default `name`. `organization` is an organization's canonical name (e.g. `ITU-T`), or nil.
    ///
    /// - Throws: when neither exists or the template cannot be rendered.
    func render(_ name: String, organization: String?, context: TemplateValue) throws -> String

    /// Whether a default template `name` exists; used to fall back from a specific template
    /// (e.g. `reminder-overdue`) to a general one (`reminder`).
    func contains(_ name: String) -> Bool
}

extension TemplateRendering {
    /// Renderers without per-organization templates render the default.
    public func render(_ name: String, organization: String?, context: TemplateValue) throws -> String {
        try render(name, context: context)
    }

    /// Renderers that cannot tell claim every template, so the specific name is always tried.
    public func contains(_ name: String) -> Bool { true }
}
