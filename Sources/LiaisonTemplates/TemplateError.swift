/// Why templates could not be loaded or rendered.
public enum TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The template directory cannot be listed.
    case directoryUnreadable(path: String, reason: String)
    /// A template file cannot be read as UTF-8.
    case fileUnreadable(path: String)
    /// A template file is not valid Mustache.
    case syntax(path: String, reason: String)
    /// A template the pipeline needs does not exist.
    case missing(name: String, directory: String)
    /// A folder under `organizations/` is not named by an organization's slug.
    case badOrganizationFolder(path: String, expected: String)
    /// An organization's template has no default of the same name (a misspelt file name, most likely).
    case overrideWithoutDefault(path: String, name: String)

    public var description: String {
        switch self {
        case .directoryUnreadable(let path, let reason): "template directory \(path) cannot be read: \(reason)"
        case .fileUnreadable(let path): "template \(path) cannot be read as UTF-8 text"
        case .syntax(let path, let reason): "template \(path) is not valid Mustache: \(reason)"
        case .missing(let name, let directory): "template \(name).mustache not found in \(directory)"
        case .badOrganizationFolder(let path, let expected):
            "template folder \(path) is not an organization slug (lower case, letters, digits and '-'; e.g. \(expected.isEmpty ? "itu-t" : expected))"
        case .overrideWithoutDefault(let path, let name):
            "template \(path) overrides \(name).mustache, which does not exist in the template directory"
        }
    }
}
