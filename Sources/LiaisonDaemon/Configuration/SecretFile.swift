import Foundation

/// Reads secrets (passwords) from files, so they never sit in the configuration, the command
/// line or the environment. The value is never logged or put in an error message.
public enum SecretFile {
    /// The secret in `path`, without a trailing line break.
    ///
    /// - Throws: ``ConfigError`` naming the file (never its content) when it cannot be read or is empty.
    public static func read(_ path: String, key: String, configFile: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError.invalid([ConfigProblem(file: configFile, line: nil, key: key, message: "cannot read secret file \(path)")])
        }
        var bytes = [UInt8](data)
        while let last = bytes.last, last == 0x0a || last == 0x0d { bytes.removeLast() }
        guard !bytes.isEmpty else {
            throw ConfigError.invalid([ConfigProblem(file: configFile, line: nil, key: key, message: "secret file \(path) is empty")])
        }
        guard !bytes.contains(where: { $0 == 0x0a || $0 == 0x0d || $0 == 0 }) else {
            throw ConfigError.invalid([
                ConfigProblem(file: configFile, line: nil, key: key, message: "secret file \(path) holds more than one line")
            ])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
