import Foundation
import Testing

@testable import MIME

/// Corpus messages copied into Fixtures/corpus, each checked against the
/// values Python's `email` package (policy.default) computed for it
/// (Fixtures/make-expectations.py writes `<message>.json` next to it).
/// Deliberate differences are listed in each JSON file with their reason;
/// the `expected` value there is what we check.
@Suite("Corpus fixtures vs Python's email")
struct CorpusFixtureTests {
    static let fixtures: [String] = {
        let index = TestSupport.fixture("corpus/index.txt")
        return String(decoding: index, as: UTF8.self).split(separator: "\n").map(String.init)
    }()

    @Test("At least 60 fixtures with expectations")
    func count() {
        #expect(CorpusFixtureTests.fixtures.count >= 60)
    }

    @Test("Our parser agrees with Python's email", arguments: fixtures)
    func agrees(_ path: String) throws {
        let bytes = TestSupport.fixture("corpus/" + path)
        let json = TestSupport.fixture("corpus/" + path + ".json")
        let object = try JSONSerialization.jsonObject(with: Data(json))
        let expected = try #require(object as? [String: Any], "\(path): no expectation")
        #expect(SHA256.hex(of: bytes) == expected["sha256"] as? String, "\(path): fixture differs from its expectation")

        let m = MIMEMessage(bytes: bytes)
        #expect(m.subject == expected["subject"] as? String, "\(path): subject")
        if let tree = expected["tree"] as? [String: Any] {
            CorpusFixtureTests.compare(m.root, tree, at: "", file: path)
        }
        if let partial = expected["partial"] as? [String: Any] {
            #expect(
                m.partial
                    == MessagePartial(
                        id: partial["id"] as? String ?? "", number: partial["number"] as? Int,
                        total: partial["total"] as? Int), "\(path): message/partial")
        } else {
            #expect(m.partial == nil, "\(path): not message/partial")
        }
        if let groups = expected["deliveryStatus"] as? [[[String]]] {
            // Python keeps a group without fields (lines that are not fields) as an empty
            // sub-message; we have no such groups.
            let python = groups.filter { !$0.isEmpty }
            let status = try #require(m.deliveryStatus, "\(path): no delivery status")
            let ours = ([status.messageFields] + status.recipients.map(\.fields)).filter { !$0.isEmpty }
            #expect(ours.map { $0.map { [$0.name, $0.value] } } == python, "\(path): delivery-status fields")
        }
        if let files = expected["uuencoded"] as? [[String: Any]] {
            let ours = m.uuencodedFiles
            #expect(ours.map(\.filename) == files.compactMap { $0["filename"] as? String }, "\(path): uuencoded files")
            #expect(ours.map(\.size) == files.compactMap { $0["size"] as? Int }, "\(path): uuencoded sizes")
            #expect(
                ours.map { SHA256.hex(of: $0.data) } == files.compactMap { $0["sha256"] as? String },
                "\(path): uuencoded data")
        }
        if let text = expected["text"] as? [String: Any], text["error"] == nil {
            let ours = m.textBody() ?? ""
            if text["flowed"] as? Bool == true {
                let key = String(ours.unicodeScalars.filter { !($0.properties.isWhitespace || $0 == ">") }.map(Character.init))
                #expect(SHA256.hex(of: Array(key.utf8)) == text["flowedKey"] as? String, "\(path): flowed text")
            } else {
                let snippet = text["snippet"] as? String ?? ""
                #expect(String(ours.prefix(snippet.count)) == snippet, "\(path): text snippet")
                #expect(SHA256.hex(of: Array(ours.utf8)) == text["sha256"] as? String, "\(path): text")
            }
        }
    }

    /// Compares a part with Python's node: type, file name, decoded body, children.
    static func compare(_ part: MIMEPart, _ node: [String: Any], at path: String, file: String) {
        let here = "\(file) part \(path.isEmpty ? "/" : path)"
        #expect(part.contentType.mimeType == node["type"] as? String, "\(here): type")
        #expect(part.filename == node["filename"] as? String, "\(here): filename")
        if let digest = node["sha256"] as? String {
            let body = part.decodedBody()
            #expect(SHA256.hex(of: body) == digest, "\(here): decoded body (\(body.count) bytes, Python \(node["size"] ?? "?"))")
        }
        guard let children = node["children"] as? [[String: Any]] else { return }  // null: not checked
        let ours: [MIMEPart]
        if part.isMultipart {
            ours = part.children
        } else if let embedded = part.embeddedMessage {
            ours = [embedded.root]
        } else {
            ours = []
        }
        #expect(ours.count == children.count, "\(here): \(ours.count) children, Python \(children.count)")
        for (i, (child, expectedChild)) in zip(ours, children).enumerated() {
            compare(child, expectedChild, at: "\(path)/\(i)", file: file)
        }
    }
}
