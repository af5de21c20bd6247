import Foundation
public import LiaisonCore
import Mustache

/// The plain-text Mustache templates of outgoing mail, loaded from a directory of
/// `NAME.mustache` files (the project's top-level `templates/` folder by default).
///
/// Templates render as plain text: nothing is HTML-escaped. A template may start with
/// `{{% CONTENT_TYPE: TEXT}}`; the library adds nothing else.
public struct TemplateLibrary: TemplateRendering {
    private let library: MustacheLibrary
    /// The directory the templates were read from.
    public let directory: String
    /// The names of the templates loaded, sorted.
    public let names: [String]

    /// The templates every installation needs.
    public static let requiredNames = ["acknowledgement", "delivery-failure", "forward", "quarantine", "reminder"]

    /// Loads every `*.mustache` file of `directory`.
    ///
    /// - Throws: ``TemplateError`` naming the directory or the file that failed.
    public init(directory: String) throws {
        let url = URL(fileURLWithPath: directory, isDirectory: true)
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: url.path)
        } catch {
            throw TemplateError.directoryUnreadable(path: url.path, reason: error.localizedDescription)
        }
        var library = MustacheLibrary()
        var names: [String] = []
        for file in files.sorted() where file.hasSuffix(".mustache") {
            let path = url.appendingPathComponent(file).path
            let name = String(file.dropLast(".mustache".count))
            guard let data = FileManager.default.contents(atPath: path),
                let text = String(data: data, encoding: .utf8)
            else {
                throw TemplateError.fileUnreadable(path: path)
            }
            do {
                try library.register(TemplateLibrary.textPragma + text, named: name)
            } catch {
                throw TemplateError.syntax(path: path, reason: String(describing: error))
            }
            names.append(name)
        }
        self.library = library
        self.directory = url.path
        self.names = names
    }

    /// Checks that every template of ``requiredNames`` exists.
    ///
    /// - Throws: ``TemplateError/missing(name:directory:)`` for the first one that does not.
    public func checkRequired() throws {
        for name in TemplateLibrary.requiredNames where !names.contains(name) {
            throw TemplateError.missing(name: name, directory: directory)
        }
    }

    public func render(_ name: String, context: TemplateValue) throws -> String {
        guard library.getTemplate(named: name) != nil else {
            throw TemplateError.missing(name: name, directory: directory)
        }
        guard let text = library.render(TemplateLibrary.mustacheObject(context), withTemplate: name) else {
            throw TemplateError.missing(name: name, directory: directory)
        }
        return text
    }

    /// Switches escaping off: these templates produce mail text, not HTML.
    private static let textPragma = "{{% CONTENT_TYPE: TEXT}}"

    /// The dictionary / array / string form swift-mustache walks.
    static func mustacheObject(_ value: TemplateValue) -> Any {
        switch value {
        case .string(let text): text
        case .bool(let flag): flag
        case .list(let items): items.map(mustacheObject)
        case .object(let fields): fields.mapValues(mustacheObject)
        }
    }
}

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

    public var description: String {
        switch self {
        case .directoryUnreadable(let path, let reason): "template directory \(path) cannot be read: \(reason)"
        case .fileUnreadable(let path): "template \(path) cannot be read as UTF-8 text"
        case .syntax(let path, let reason): "template \(path) is not valid Mustache: \(reason)"
        case .missing(let name, let directory): "template \(name).mustache not found in \(directory)"
        }
    }
}
