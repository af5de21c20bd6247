import Foundation
public import LiaisonCore
import Mustache

/// The dashboard's HTML templates: every `NAME.mustache` file of a directory (the project's
/// `templates/web/`), rendered with HTML escaping.
///
/// Unlike ``TemplateLibrary`` (mail text, never escaped), every `{{value}}` here comes out with
/// `&`, `<`, `>`, `"` and `'` escaped, so a statement's title or body cannot inject markup.
/// Templates may include each other as partials (`{{> header}}`).
public struct WebTemplateLibrary: Sendable {
    private let library: MustacheLibrary
    /// The directory the templates were read from.
    public let directory: String
    /// The names of the templates loaded, sorted.
    public let names: [String]

    /// Loads every `*.mustache` file of `directory`.
    ///
    /// - Throws: ``TemplateError`` naming the directory or file that is unreadable or not valid Mustache.
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
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw TemplateError.fileUnreadable(path: path)
            }
            let name = String(file.dropLast(".mustache".count))
            do {
                // swift-mustache escapes for HTML unless told otherwise; the pragma says so explicitly.
                try library.register("{{% CONTENT_TYPE: HTML}}" + text, named: name)
            } catch {
                throw TemplateError.syntax(path: path, reason: String(describing: error))
            }
            names.append(name)
        }
        self.library = library
        self.directory = url.path
        self.names = names
    }

    /// The pages the dashboard renders.
    public static let requiredNames = ["calendar", "index", "statement"]

    /// Checks that every template of ``requiredNames`` exists.
    ///
    /// - Throws: ``TemplateError/missing(name:directory:)`` for the first one that does not.
    public func checkRequired() throws {
        for name in WebTemplateLibrary.requiredNames where !names.contains(name) {
            throw TemplateError.missing(name: name, directory: directory)
        }
    }

    /// Renders template `name` with `context`, HTML-escaping every value.
    ///
    /// - Throws: ``TemplateError/missing(name:directory:)`` when there is no such template.
    public func render(_ name: String, context: TemplateValue) throws -> String {
        guard library.getTemplate(named: name) != nil,
            let text = library.render(TemplateLibrary.mustacheObject(context), withTemplate: name)
        else {
            throw TemplateError.missing(name: name, directory: directory)
        }
        return text
    }
}
