import Foundation

@testable import MIME

/// Paths and helpers shared by the tests.
enum TestSupport {
    /// The repository root, found from this file's path.
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .resolvingSymlinksInPath()  // the dev package links the test folder in
        .deletingLastPathComponent()  // MIMETests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repo root

    /// `<repo>/../shared/corpus` (the developers' corpus, outside the repo).
    static var corpusDirectory: URL {
        if let override = ProcessInfo.processInfo.environment["MIME_CORPUS"] { return URL(fileURLWithPath: override) }
        return repoRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    }

    /// Relative paths of every corpus message (README, manifest and licences excluded), sorted.
    static let corpusFiles: [String] = {
        let root = corpusDirectory
        guard let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return []
        }
        var files: [String] = []
        for case let url as URL in e {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let rel = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            if rel.hasPrefix("LICENSES/") || rel == "README.md" || rel == "MANIFEST.tsv" { continue }
            files.append(rel)
        }
        return files.sorted()
    }()

    static func corpusBytes(_ relativePath: String) -> [UInt8] {
        (try? [UInt8](Data(contentsOf: corpusDirectory.appendingPathComponent(relativePath)))) ?? []
    }

    /// Bytes of a fixture in `Fixtures/` (bundled resources).
    static func fixture(_ name: String) -> [UInt8] {
        if let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"),
            let data = try? Data(contentsOf: url)
        {
            return [UInt8](data)
        }
        let url = repoRoot.appendingPathComponent("Tests/MIMETests/Fixtures").appendingPathComponent(name)
        return (try? [UInt8](Data(contentsOf: url))) ?? []
    }

    /// A message from text with `\n` line ends turned into CRLF.
    static func crlf(_ s: String) -> [UInt8] {
        Array(s.replacingOccurrences(of: "\n", with: "\r\n").utf8)
    }

    /// A message from text kept with bare LF line ends.
    static func lf(_ s: String) -> [UInt8] { Array(s.utf8) }
}
