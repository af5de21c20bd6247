/// One problem found in a configuration file, with where it is.
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file the problem is in.
    public var file: String
    /// The 1-based line, when known.
    public var line: Int?
    /// The dotted key path, e.g. `directory.groups[2].area`.
    public var key: String
    /// What is wrong.
    public var message: String

    /// Creates a problem.
    public init(file: String, line: Int?, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// `config.yaml:12: imap.url: must start with imap:// or imaps://`.
    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return key.isEmpty ? "\(place): \(message)" : "\(place): \(key): \(message)"
    }
}

/// Why the daemon cannot start: configuration, secrets and state-directory problems.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The configuration file cannot be read.
    case unreadable(file: String, reason: String)
    /// The configuration has problems; every one found is listed.
    case invalid([ConfigProblem])

    /// The problems, one per line.
    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            "\(file): cannot read the configuration: \(reason)"
        case .invalid(let problems):
            problems.map(\.description).joined(separator: "\n")
        }
    }
}
