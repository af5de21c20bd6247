import Foundation
import LiaisonCore
import LiaisonDocuments
import MIME
import Testing

/// The statement fixtures: `Fixtures/statements/NN-name.eml` with the expected `parse --json`
/// fields in `NN-name.json` (see `Fixtures/README.md`).
enum StatementFixtures {
    static var directory: String? {
        Bundle.module.url(forResource: "Fixtures/statements", withExtension: nil)?.path
    }

    /// The fixture names, without extension, in order.
    static let names: [String] = {
        guard let directory, let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return files.filter { $0.hasSuffix(".eml") }.map { String($0.dropLast(4)) }.sorted()
    }()

    static func bytes(_ file: String) throws -> [UInt8] {
        guard let directory, let data = FileManager.default.contents(atPath: "\(directory)/\(file)") else {
            throw FixtureMissing(name: file)
        }
        return [UInt8](data)
    }

    /// The statement a fixture gives with the real attachment reader.
    static func statement(_ name: String, reader: DocumentTextReader = DocumentTextReader()) throws -> Statement {
        StatementExtractor(directory: fixtureDirectory, attachmentReader: reader).extract(from: MIMEMessage(bytes: try bytes("\(name).eml")))
    }

    /// A JSON value in a canonical form (sorted keys), for comparison.
    static func canonical(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys]) else { return "\(value)" }
        return String(decoding: data, as: UTF8.self)
    }

    static func output(_ statement: Statement) throws -> [String: Any] {
        let data = try JSONEncoder().encode(StatementOutput(statement))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}

struct FixtureMissing: Error {
    var name: String
}

@Suite("Statement fixtures")
struct StatementFixtureTests {
    @Test("At least 25 fixtures, covering every layout")
    func coverage() throws {
        try #require(StatementFixtures.directory != nil, "the fixtures are not in the test bundle")
        #expect(StatementFixtures.names.count >= 25)
        var layouts = Set<String>()
        var attachmentKinds = Set<String>()
        for name in StatementFixtures.names {
            let expected = try JSONSerialization.jsonObject(with: Data(try StatementFixtures.bytes("\(name).json"))) as? [String: Any]
            if let layout = expected?["layout"] as? String { layouts.insert(layout) }
            for attachment in expected?["attachments"] as? [[String: Any]] ?? [] {
                if let filename = attachment["filename"] as? String, let ext = filename.split(separator: ".").last {
                    attachmentKinds.insert(String(ext))
                }
            }
        }
        #expect(layouts.isSuperset(of: ["datatracker", "itu-t", "3gpp", "broadband-forum", "ieee", "subject-line"]))
        #expect(attachmentKinds.isSuperset(of: ["docx", "zip", "pdf", "html", "txt", "doc"]))
    }

    @Test("Extraction gives the expected fields", arguments: StatementFixtures.names)
    func fixture(name: String) throws {
        let statement = try StatementFixtures.statement(name)
        let isPDF = try String(decoding: StatementFixtures.bytes("\(name).eml"), as: UTF8.self).contains("application/pdf")
        if isPDF && PDFToText.installed() == nil {
            // Without poppler the PDF is reported unread and the statement goes to triage.
            #expect(statement.needsTriage)
            #expect(statement.missing.contains(.attachments))
            return
        }
        let expected = try JSONSerialization.jsonObject(with: Data(try StatementFixtures.bytes("\(name).json"))) as? [String: Any] ?? [:]
        #expect(expected.count > 10, "the expected JSON of \(name) is empty")
        let actual = try StatementFixtures.output(statement)
        // expectedRecipients is checked with the daemon's routing (LiaisonDaemonTests).
        for key in expected.keys.sorted() where !key.hasPrefix("_") && key != "expectedRecipients" {
            let want = expected[key].map(StatementFixtures.canonical) ?? "null"
            let got = actual[key].map(StatementFixtures.canonical) ?? "null"
            #expect(got == want, "\(name): \(key)")
        }
        // Every fixture records where its fields came from, and every triage item has a reason.
        #expect(Set(statement.triageReasons.map(\.field)) == Set(statement.missing))
        #expect(statement.sources[.title] != nil || statement.title == nil)
    }

    @Test(
        "Hostile attachments end in needs-triage with a reason, never a crash",
        arguments: [
            "24-hostile-truncated-zip", "25-hostile-zip-bomb", "26-hostile-docx-no-text", "27-doc-unread", "28-hostile-nested-zip", "29-hostile-lying-sizes",
            "30-hostile-entity-expansion",
        ])
    func hostile(name: String) throws {
        let statement = try StatementFixtures.statement(name)
        #expect(statement.needsTriage)
        #expect(statement.missing == [.attachments])
        #expect(statement.attachments.first?.read == false)
        let reason = try #require(statement.attachments.first?.unreadReason)
        #expect(!reason.isEmpty)
        #expect(statement.triageReasons.map(\.reason) == [reason])
    }

    @Test("A PDF without pdftotext is unread, with the reason")
    func pdfWithoutConverter() throws {
        let statement = try StatementFixtures.statement("15-bbf-pdf", reader: DocumentTextReader(pdf: nil))
        #expect(statement.needsTriage)
        #expect(statement.attachments.first?.read == false)
        #expect(statement.attachments.first?.unreadReason?.contains("pdftotext (poppler-utils) is not installed") == true)
        #expect(statement.title == "Published TR-398 Issue 4")
        #expect(statement.triageReasons.map(\.field) == [.to, .purpose, .attachments])
    }

    @Test("A PDF with pdftotext is read", .enabled(if: PDFToText.installed() != nil))
    func pdfWithConverter() throws {
        let statement = try StatementFixtures.statement("15-bbf-pdf")
        #expect(statement.attachments.first?.read == true)
        #expect(statement.title == "Published TR-398 Issue 4 Wi-Fi performance testing")
        #expect(statement.sources[.title]?.origin == .attachment)
        #expect(statement.identifiers == ["LIAISE-431"])
    }

    @Test("Without a reader, attachments are summarised but not read")
    func noReader() throws {
        let raw = try StatementFixtures.bytes("11-3gpp-zipped-docx.eml")
        let statement = StatementExtractor(directory: fixtureDirectory).extract(from: MIMEMessage(bytes: raw))
        #expect(statement.attachments.first?.read == false)
        #expect(statement.attachments.first?.unreadReason == nil)
        #expect(statement.title == "LS OUT on User Plane Analysis (C4-185491)")
        #expect(!statement.missing.contains(.attachments))
    }
}
