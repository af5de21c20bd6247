import Foundation
public import LiaisonCore
import Mustache

/// The plain-text Mustache templates of outgoing mail, loaded from a directory of
/// `NAME.mustache` files (the project's top-level `templates/` folder by default), with
/// per-organization versions in `organizations/SLUG/NAME.mustache` (see ``slug(_:)``).
///
/// Templates render as plain text: nothing is HTML-escaped. A template may start with
/// `{{% CONTENT_TYPE: TEXT}}`; the library adds nothing else.
public struct TemplateLibrary: TemplateRendering {
    private let library: MustacheLibrary
    /// The directory the templates were read from.
    public let directory: String
    /// The names of the default templates loaded, sorted.
    public let names: [String]
    /// The per-organization templates: organization slug → names of the templates it overrides, sorted.
    public let overrides: [String: [String]]

    /// The templates every installation needs. The more specific ones (`triage`,
    /// `reminder-before`, `reminder-deadline`, `reminder-overdue`) are optional: without them the
    /// general one renders (``OutgoingMailFactory/templateFallbacks``).
    public static let requiredNames = ["acknowledgement", "closed", "delivery-failure", "digest", "forward", "quarantine", "reminder"]

    /// The sub-folder of per-organization templates.
    public static let organizationsFolder = "organizations"

    /// Loads every `*.mustache` file of `directory` and of its `organizations/SLUG/` folders.
    ///
    /// - Throws: ``TemplateError`` naming the directory or the file that failed: unreadable,
    ///   not valid Mustache, an organization folder not named by a slug, or an organization
    ///   template with no default of the same name.
    public init(directory: String) throws {
        let url = URL(fileURLWithPath: directory, isDirectory: true)
        var library = MustacheLibrary()
        let names = try TemplateLibrary.load(url, prefix: "", into: &library)
        var overrides: [String: [String]] = [:]
        let organizations = url.appendingPathComponent(TemplateLibrary.organizationsFolder, isDirectory: true)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: organizations.path, isDirectory: &isDirectory), isDirectory.boolValue {
            let folders: [String]
            do {
                folders = try FileManager.default.contentsOfDirectory(atPath: organizations.path)
            } catch {
                throw TemplateError.directoryUnreadable(path: organizations.path, reason: error.localizedDescription)
            }
            for folder in folders.sorted() where !folder.hasPrefix(".") {
                let folderURL = organizations.appendingPathComponent(folder, isDirectory: true)
                guard FileManager.default.fileExists(atPath: folderURL.path, isDirectory: &isDirectory), isDirectory.boolValue
                else { continue }
                guard TemplateLibrary.slug(folder) == folder else {
                    throw TemplateError.badOrganizationFolder(path: folderURL.path, expected: TemplateLibrary.slug(folder))
                }
                let found = try TemplateLibrary.load(folderURL, prefix: TemplateLibrary.overridePrefix(folder), into: &library)
                for name in found where !names.contains(name) {
                    throw TemplateError.overrideWithoutDefault(
                        path: folderURL.appendingPathComponent(name + ".mustache").path, name: name)
                }
                if !found.isEmpty { overrides[folder] = found }
            }
        }
        self.library = library
        self.directory = url.path
        self.names = names
        self.overrides = overrides
    }

    /// Registers the `*.mustache` files of one folder under `prefix + name`; returns the names.
    private static func load(_ url: URL, prefix: String, into library: inout MustacheLibrary) throws -> [String] {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: url.path)
        } catch {
            throw TemplateError.directoryUnreadable(path: url.path, reason: error.localizedDescription)
        }
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
                try library.register(TemplateLibrary.textPragma + text, named: prefix + name)
            } catch {
                throw TemplateError.syntax(path: path, reason: String(describing: error))
            }
            names.append(name)
        }
        return names
    }

    /// The folder name of an organization's templates: its name in lower case, with every run
    /// of characters other than letters and digits turned into one `-` (`ITU-T` → `itu-t`,
    /// `Broadband Forum` → `broadband-forum`, `3GPP` → `3gpp`).
    public static func slug(_ organization: String) -> String {
        var slug = ""
        var pendingDash = false
        for character in organization.lowercased() {
            if character.isLetter || character.isNumber {
                if pendingDash && !slug.isEmpty { slug.append("-") }
                pendingDash = false
                slug.append(character)
            } else {
                pendingDash = true
            }
        }
        return slug
    }

    private static func overridePrefix(_ slug: String) -> String { "\(organizationsFolder)/\(slug)/" }

    /// The file, relative to ``directory``, that renders `name` for `organization`: its own
    /// version when it has one, else the default; `nil` when there is neither.
    public func file(for name: String, organization: String?) -> String? {
        if let organization, overrides[TemplateLibrary.slug(organization)]?.contains(name) == true {
            return TemplateLibrary.overridePrefix(TemplateLibrary.slug(organization)) + name + ".mustache"
        }
        return names.contains(name) ? name + ".mustache" : nil
    }

    /// Checks that every template of ``requiredNames`` exists.
    ///
    /// - Throws: ``TemplateError/missing(name:directory:)`` for the first one that does not.
    public func checkRequired() throws {
        for name in TemplateLibrary.requiredNames where !names.contains(name) {
            throw TemplateError.missing(name: name, directory: directory)
        }
    }

    public func contains(_ name: String) -> Bool { names.contains(name) }

    public func render(_ name: String, context: TemplateValue) throws -> String {
        try render(name, organization: nil, context: context)
    }

    public func render(_ name: String, organization: String?, context: TemplateValue) throws -> String {
        var registered = name
        if let organization, overrides[TemplateLibrary.slug(organization)]?.contains(name) == true {
            registered = TemplateLibrary.overridePrefix(TemplateLibrary.slug(organization)) + name
        }
        guard library.getTemplate(named: registered) != nil,
            let text = library.render(TemplateLibrary.mustacheObject(context), withTemplate: registered)
        else {
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
