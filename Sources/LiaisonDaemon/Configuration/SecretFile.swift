import Foundation

/// Reads secrets (passwords) from files, so they never sit in the configuration, the command
/// line or the environment. The value is never logged or put in an error message.
///
/// A `password_file` setting is one of:
/// - `credential:NAME`: the systemd credential `NAME` (`LoadCredential=NAME:/path` or
///   `SetCredentialEncrypted=` in the unit), read from `$CREDENTIALS_DIRECTORY/NAME`;
/// - `$CREDENTIALS_DIRECTORY/NAME`: the same, spelled as a path;
/// - a path, absolute or relative to the configuration file's directory.
public enum SecretFile {
    /// The prefix of the systemd-credential form.
    public static let credentialPrefix = "credential:"
    /// Longer files are refused: a secret file holds one line.
    public static let maximumSize = 4096

    /// The file a `password_file` setting names.
    ///
    /// - Parameters:
    ///   - raw: the setting's value.
    ///   - relativeTo: the directory relative paths start from (the configuration file's).
    ///   - environment: where `CREDENTIALS_DIRECTORY` is looked up.
    /// - Returns: the path, or a problem text (never containing a secret) when the setting names
    ///   a systemd credential outside a unit that has credentials, or a credential name that is
    ///   not a plain file name.
    public static func resolve(
        _ raw: String, relativeTo directory: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Result<String, Unresolvable> {
        var name: Substring?
        if raw.hasPrefix(credentialPrefix) {
            name = raw.dropFirst(credentialPrefix.count)
        } else if raw.hasPrefix("$CREDENTIALS_DIRECTORY/") {
            name = raw.dropFirst("$CREDENTIALS_DIRECTORY/".count)
        } else if raw == "$CREDENTIALS_DIRECTORY" {
            name = ""
        }
        guard let name else {
            if raw.hasPrefix("/") { return .success(raw) }
            return .success(URL(fileURLWithPath: directory).appendingPathComponent(raw).standardizedFileURL.path)
        }
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/"),
            !name.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F })
        else {
            return .failure(Unresolvable(message: "\(raw) must name one systemd credential, e.g. credential:imap-password"))
        }
        guard let credentials = environment["CREDENTIALS_DIRECTORY"], credentials.hasPrefix("/") else {
            return .failure(
                Unresolvable(
                    message: "\(raw) is a systemd credential, but $CREDENTIALS_DIRECTORY is not set: run under a "
                        + "unit with LoadCredential=\(name):/path/to/file (or use a file path)"))
        }
        return .success(URL(fileURLWithPath: credentials).appendingPathComponent(String(name)).path)
    }

    /// Why a `password_file` setting names no usable file.
    public struct Unresolvable: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong, naming the setting's value (a name, never a secret).
        public var message: String
        public var description: String { message }
    }

    /// The secret in `path`, without a trailing line break.
    ///
    /// - Throws: ``ConfigError`` naming the file (never its content) when it cannot be read, is
    ///   empty, longer than ``maximumSize`` or holds more than one line.
    public static func read(_ path: String, key: String, configFile: String) throws -> String {
        func problem(_ message: String) -> ConfigError {
            ConfigError.invalid([ConfigProblem(file: configFile, line: nil, key: key, message: message)])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw problem("cannot read secret file \(path)")
        }
        guard data.count <= maximumSize else {
            throw problem("secret file \(path) is longer than \(maximumSize) bytes; it must hold the password alone")
        }
        var bytes = [UInt8](data)
        while let last = bytes.last, last == 0x0a || last == 0x0d { bytes.removeLast() }
        guard !bytes.isEmpty else { throw problem("secret file \(path) is empty") }
        guard !bytes.contains(where: { $0 == 0x0a || $0 == 0x0d || $0 == 0 }) else {
            throw problem("secret file \(path) holds more than one line")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A warning when `path` can be read by users other than its owner (mode bits for group or
    /// others); `nil` when it cannot or the file is private. Not an error: a file may be shared
    /// with a group on purpose, but usually 0600 or 0400 is meant.
    public static func permissionWarning(_ path: String, key: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o044 != 0
        else { return nil }
        return "\(key): secret file \(path) is readable by others (mode \(String(mode, radix: 8))); make it 0600 or 0400"
    }
}
